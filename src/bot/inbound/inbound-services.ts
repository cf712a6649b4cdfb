/**
 * What the inbound Slack bot needs from the rest of Aegis, declared by its consumer. The composition root wires
 * them from the approval service, the AlertStore, custom-object clients for rules and templates, the silence
 * store and the health checks. Every reference without a namespace means the Aegis namespace (the service's
 * default).
 */
import type { ApprovalActor, ApprovalOutcome } from '../../controller/approvals/index.js';
import type { OpsRequestInput } from '../../core/approvals/index.js';
import type {
  AegisAlert,
  AegisAlertOpsRule,
  AegisOpsTemplate,
  ApprovalChannel,
} from '../../core/resources/index.js';
import type { SilenceStore } from '../../core/silences/index.js';

export interface ObjectRef {
  namespace?: string | undefined;
  name: string;
}

export interface InboundApprovals {
  approve(
    alert: ObjectRef,
    actor: ApprovalActor,
    via: ApprovalChannel,
    reason?: string,
  ): Promise<ApprovalOutcome>;
  reject(
    alert: ObjectRef,
    actor: ApprovalActor,
    via: ApprovalChannel,
    reason?: string,
  ): Promise<ApprovalOutcome>;
}

export interface InboundOpsRequests {
  /** Create an ops request (always needs approval); resolves with the created AegisAlert's reference. */
  create(request: OpsRequestInput): Promise<{ namespace: string; name: string }>;
}

export interface InboundAlerts {
  /** The AegisAlerts of the Aegis namespace (open and finished). */
  list(): Promise<readonly AegisAlert[]>;
  get(alert: ObjectRef): Promise<AegisAlert | undefined>;
}

export interface InboundRules {
  list(): Promise<readonly AegisAlertOpsRule[]>;
}

export interface InboundTemplates {
  list(): Promise<readonly AegisOpsTemplate[]>;
}

export interface ComponentStatus {
  ok: boolean;
  /** A short plain-words detail: latency, version, or why it is down. */
  detail?: string | undefined;
}

export interface StatusReport {
  /** Waiting jobs per queue (ingest, reconcile, Slack posting, ...). */
  queues: readonly { name: string; depth: number }[];
  apiServer: ComponentStatus;
  redis: ComponentStatus;
  /** Undefined when no LLM is configured. */
  llm?: ComponentStatus | undefined;
}

/** One cluster check as `/aegis checks` lists it. */
export interface ClusterCheckSummary {
  namespace: string;
  name: string;
  schedule?: string | undefined;
  phase?: string | undefined;
  round?: number | undefined;
  lastRound?:
    | {
        completionTime?: string | undefined;
        desired?: number | undefined;
        succeeded?: number | undefined;
        failingNodes?: number | undefined;
        uncheckedNodes?: number | undefined;
      }
    | undefined;
}

export interface InboundHealthChecks {
  list(): Promise<readonly ClusterCheckSummary[]>;
  /**
   * Start a check of `node` now with a cluster check's checker; the result is posted to `channel` when it is
   * known. Resolves with the AegisNodeHealthCheck's name once it exists.
   */
  checkNode(request: {
    node: string;
    from?: string | undefined;
    user: string;
    channel?: string | undefined;
  }): Promise<string>;
}

export interface InboundDiagnoses {
  /**
   * Create an AegisDiagnosis of the object; its summary is posted to `channel` when it completed or failed.
   * Resolves with the AegisDiagnosis's `namespace/name` once it exists.
   */
  diagnose(request: {
    kind: 'node' | 'pod' | 'pytorchjob' | 'workflow';
    name: string;
    namespace?: string | undefined;
    user: string;
    channel?: string | undefined;
  }): Promise<string>;
}

export interface InboundServices {
  approvals: InboundApprovals;
  opsRequests: InboundOpsRequests;
  alerts: InboundAlerts;
  rules: InboundRules;
  templates: InboundTemplates;
  silences: SilenceStore;
  status: () => Promise<StatusReport>;
  /** Undefined when the health-check controllers are off. */
  healthChecks?: InboundHealthChecks | undefined;
  /** `/aegis diagnose`; undefined when not wired (then the command says so). */
  diagnoses?: InboundDiagnoses | undefined;
}

/** A question to the LLM agent from Slack (mention, DM, or reply in an alert thread). */
export interface AgentQuestion {
  text: string;
  /** Slack user id of the asker. */
  user: string;
  channel: string;
  /** The thread to answer in (the message's own ts when it started no thread). */
  threadTs: string;
  /** The alert whose thread the question was asked in. */
  alertRef?: { namespace: string; name: string };
}

export interface AgentAnswer {
  text: string;
  /** Block Kit blocks; `text` is the notification fallback. */
  blocks?: readonly unknown[];
}

/** The agent port (src/agent implements it). Undefined answer: the agent posted by itself. */
export interface AgentPort {
  answer(question: AgentQuestion): Promise<AgentAnswer | undefined>;
}
