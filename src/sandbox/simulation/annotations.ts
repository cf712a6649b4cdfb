/**
 * Annotations that steer the simulation. Documented in docs/sandbox.md; tests and users set them on
 * Pods and Workflows.
 */
export const sandboxAnnotations = {
  /** "true": leave the object's status exactly as written. */
  frozen: 'sandbox.aegis.io/frozen',
  /** Workflow or Pod outcome: Succeeded | Failed | Error (Workflows only). */
  outcome: 'sandbox.aegis.io/outcome',
  /** How long a Workflow (all its steps) or a Pod runs, e.g. "2s", "500ms", "1m". */
  duration: 'sandbox.aegis.io/duration',
  /** How long a Workflow stays Pending before it runs. */
  pendingFor: 'sandbox.aegis.io/pending-for',
  /** Pod container restart count and waiting reason, e.g. "CrashLoopBackOff". */
  restarts: 'sandbox.aegis.io/restarts',
  waitingReason: 'sandbox.aegis.io/waiting-reason',
  /** Every container's last termination, `<reason>:<exit code>`, e.g. `Error:1` or `OOMKilled:137`. */
  lastTermination: 'sandbox.aegis.io/last-termination',
  logPrefix: 'sandbox.aegis.io/log.',
  /** Pod: the exit code of a Failed pod's containers (default 1). */
  exitCode: 'sandbox.aegis.io/exit-code',
  /**
   * Node: the log of container <name> of every pod that runs on this node, instead of the pod's own
   * `log.<name>` (fault injection: one node reports a problem whatever the pod says).
   */
  nodePodLogPrefix: 'sandbox.aegis.io/pod-log.',
  /** Node: the outcome (Succeeded | Failed) of every pod that finishes on this node. */
  nodePodOutcome: 'sandbox.aegis.io/pod-outcome',
  previousLogPrefix: 'sandbox.aegis.io/previous-log.',
} as const;

/** Parse "500ms", "2s", "1m", "1h" or a bare number of seconds; undefined when absent or invalid. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(value * factor);
}

export function isFrozen(annotations: Record<string, string> | undefined): boolean {
  return annotations?.[sandboxAnnotations.frozen] === 'true';
}
