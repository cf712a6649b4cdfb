/** Budgets of the collectors: everything they read is bounded. */
export interface LogBudget {
  /** Lines kept first when they contain one of these (case-insensitive). */
  readonly keywords: readonly string[];
  /** Last lines fetched per log. */
  readonly fetchLines: number;
  /** Lines kept per log after filtering. */
  readonly maxLines: number;
}

export interface CollectorPodSettings {
  readonly image: string;
  /** A shell script, or `builtin`. */
  readonly command: string;
  /** Namespace the collector pod runs in (the diagnosis's own). */
  readonly namespace: string;
  /** The AegisDiagnosis that owns the pod (garbage-collected with it if the delete is missed). */
  readonly owner?: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly name: string;
    readonly uid: string;
  };
  /** How often the pod's phase is polled (default 1 s). */
  readonly pollMs?: number;
}

export interface CollectOptions {
  readonly logs: LogBudget;
  /** Runs a collector pod on the node of a Node diagnosis when set. */
  readonly collectorPod?: CollectorPodSettings;
  readonly signal: AbortSignal;
}

/** Bounds that are not settings. */
export const collectLimits = {
  /** Bytes read per container log at most. */
  logBytes: 1_048_576,
  /** Events read per object. */
  events: 100,
  /** Pods read for a Node or a PyTorchJob. */
  pods: 500,
  /** Containers whose logs are read per pod. */
  containersPerPod: 4,
  /** Abnormal workers of a PyTorchJob analysed in depth (as upstream). */
  abnormalWorkers: 5,
  /** Failed Workflow steps whose pods are analysed in depth. */
  failedSteps: 5,
} as const;
