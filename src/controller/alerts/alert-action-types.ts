/**
 * The vocabulary of the alert decision: what the reconciler looked up for an alert (the context) and the one step
 * `decideAlertAction` returns for it (the action).
 */
import type { ApprovalDefault } from '../../core/approvals/index.js';
import type { AegisAlert, AegisAlertStatus } from '../../core/resources/index.js';
import type { RenderResult } from '../../core/templates/index.js';
import type { DeepReadonly } from '../runtime/index.js';
import type {
  AlertEvent,
  ObjectReferenceView,
  RuleApprovalView,
  SilenceView,
  TemplateView,
  WorkflowObject,
} from '../../core/ports/index.js';
import type { WorkflowView } from './alert-workflow.js';

export type AlertObject = DeepReadonly<AegisAlert>;
export type StatusPatch = Partial<AegisAlertStatus>;

/** Rule match, template and render for an alert that is about to be triggered. */
export type TriggerResolution =
  | { readonly kind: 'none' }
  | { readonly kind: 'many'; readonly rules: readonly string[] }
  | {
      readonly kind: 'resolved';
      /** The matched rule; undefined for an ops request. */
      readonly rule?: ObjectReferenceView;
      readonly ruleApproval?: RuleApprovalView;
      /** An operator-initiated run (`spec.opsRequest`): always approved first, by anyone but the requester. */
      readonly opsRequest?: { readonly requestedBy: string };
      readonly template: ObjectReferenceView;
      /** Undefined when the template does not exist. */
      readonly templateObject?: TemplateView;
      /** Undefined when the template is missing or marked Invalid. */
      readonly render?: RenderResult;
    };

export interface AlertDecisionContext {
  readonly now: Date;
  /** `AEGIS_APPROVAL_DEFAULT`: whether a rule without an approval block waits for approval. */
  readonly approvalDefault: ApprovalDefault;
  /** How long to wait for the ingest worker's initial status before writing it ourselves (as upstream). */
  readonly initialStatusGraceMs: number;
  /** Filled when `needsTrigger(alert)`. */
  readonly trigger?: TriggerResolution;
  /** The Workflow of the alert's name (owned or not), as cached or read; undefined when none exists. */
  readonly workflow?: WorkflowView;
  /** The current `spec.approval` of the rule an Approved approval record names (undefined when none or gone). */
  readonly approvalRule?: RuleApprovalView;
  /** The silence in force that matches the alert; looked up while the alert has no trigger status yet. */
  readonly silence?: SilenceView;
}

/** A metric-worthy fact about the step. */
export type AlertFact =
  | { readonly kind: 'triggerFailed'; readonly reason: string }
  | { readonly kind: 'approvalRequested' }
  | { readonly kind: 'workflowDeleted' };

export type AlertAction =
  | { readonly kind: 'nothing'; readonly why: string; readonly afterMs?: number }
  | {
      readonly kind: 'writeStatus';
      readonly why: string;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
      readonly fact?: AlertFact;
      readonly afterMs?: number;
    }
  | {
      /** Create the Workflow (or adopt it if this alert already owns one of that name), then write `status`. */
      readonly kind: 'createWorkflow';
      readonly why: string;
      readonly workflow: WorkflowObject;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
      readonly fact?: AlertFact;
    }
  | {
      /**
       * Resume the alert's suspended Workflow (`spec.suspend: false`), guarded by the resourceVersion its approval
       * record was read at, then write `status`.
       */
      readonly kind: 'resumeWorkflow';
      readonly why: string;
      readonly name: string;
      readonly resourceVersion: string;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
    }
  | {
      /** Delete the alert's suspended Workflow (rejected, expired, cancelled, invalid), then write `status`. */
      readonly kind: 'deleteWorkflow';
      readonly why: string;
      readonly name: string;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
      readonly fact?: AlertFact;
    }
  | {
      /** Count the outcome on the template (exactly once per Workflow uid), then write `status`. */
      readonly kind: 'recordOutcome';
      readonly why: string;
      readonly outcome: 'Succeeded' | 'Failed';
      readonly workflowUid: string;
      readonly template?: ObjectReferenceView;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
    };

export function alertStatusOf(alert: AlertObject): 'Firing' | 'Resolved' {
  return alert.status?.status ?? alert.spec.status;
}
