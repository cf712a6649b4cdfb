/** What the tools are built from; the composition root supplies adapters, tests supply the sandbox's. */
import type { OpsRequestInput } from '../../core/approvals/index.js';
import type { DiagnosisOutcome } from '../../core/diagnosis/index.js';
import type { ClusterReader } from '../../core/ports/index.js';

/** Creates an approval-required ops request (the approval service's `createOpsRequest`). */
export interface OpsRequestCreator {
  createOpsRequest(request: OpsRequestInput): Promise<{ namespace: string; name: string }>;
}

/**
 * Runs the AegisDiagnosis collectors and analyzers on one object, reads only (the controller's
 * `createObjectDiagnoser`; the composition root wires it, the agent does not import the controller).
 */
export interface ObjectDiagnoser {
  diagnose(
    object: {
      kind: 'Node' | 'Pod' | 'PyTorchJob' | 'Workflow';
      name: string;
      namespace?: string | undefined;
    },
    signal: AbortSignal,
  ): Promise<DiagnosisOutcome>;
}

export interface AgentToolDependencies {
  reader: ClusterReader;
  opsRequests: OpsRequestCreator;
  /** AEGIS_NAMESPACE: where AegisAlerts (and by default rules and templates) live. */
  namespace: string;
  /**
   * The redaction every tool output goes through. Tools that select or count by content (get_pod_logs' keyword)
   * apply it first, so what they select by is what the model may see: a keyword cannot probe a secret.
   */
  redact: (text: string) => string;
  /** Gives the agent the `diagnose` tool when set. */
  diagnoser?: ObjectDiagnoser | undefined;
}
