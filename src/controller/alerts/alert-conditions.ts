/** Kubernetes-style conditions on the AegisAlert status: one per type, transition time kept while unchanged. */
import type { Condition, ConditionStatus } from '../../core/resources/index.js';

/** Condition types the alert reconciler writes. */
export const alertConditionTypes = {
  /** True once the Workflow exists; False with the reason when it was not (or not yet) created. */
  triggered: 'Triggered',
  /** True when the Workflow succeeded. */
  complete: 'Complete',
  /** True when the Workflow failed, errored or vanished before finishing. */
  failed: 'Failed',
  /**
   * True while an AegisSilence holds the alert's trigger back (no Workflow, no approval request, no chat post);
   * False (`SilenceEnded`) once the silence ended and the alert was handled. An alert resolved while silenced
   * keeps True: it was never triggered nor posted.
   */
  silenced: 'Silenced',
} as const;

/** A time as metav1.Time writes it: RFC 3339, seconds precision, UTC. */
export function kubeTime(time: Date | number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `time` normalised to metav1.Time, or undefined when it does not parse. */
export function normaliseTime(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? kubeTime(ms) : undefined;
}

export interface ConditionUpdate {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/**
 * `conditions` with `update` applied: replaced by type, `lastTransitionTime` kept when the status did not
 * change. The list is always written whole (a merge patch replaces lists).
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  now: Date,
  observedGeneration: number | undefined,
): Condition[] {
  const list = (conditions ?? []).map((condition) => ({ ...condition }));
  const index = list.findIndex((condition) => condition.type === update.type);
  const previous = index >= 0 ? list[index] : undefined;
  const next: Condition = {
    type: update.type,
    status: update.status,
    reason: update.reason,
    message: update.message,
    lastTransitionTime:
      previous !== undefined && previous.status === update.status
        ? previous.lastTransitionTime
        : kubeTime(now),
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}
