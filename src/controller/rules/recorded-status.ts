/**
 * The status Aegis writes on the objects it only validates (AegisAlertOpsRule, AegisOpsTemplate): `status.status`
 * Recorded|Invalid, `status.message`, the `Valid` and `Ready` conditions (metav1.Condition shape) and
 * `status.observedGeneration`. Pure: given what the object says now and the verdict on its spec, returns the
 * fields to write, whether they differ from what is there, and the event for a transition.
 */
import type { Condition, RecordedStatus } from '../../core/resources/index.js';

export interface Verdict {
  readonly valid: boolean;
  /** Why the object is invalid, or what Recorded means for it. */
  readonly message: string;
}

export interface RecordedStatusFields {
  status: RecordedStatus;
  message: string;
  conditions: Condition[];
  observedGeneration?: number;
}

/** The status as read from the API server (unchecked: upstream and other writers put things there too). */
export interface CurrentRecordedStatus {
  readonly status?: string | undefined;
  readonly message?: string | undefined;
  readonly conditions?: readonly Readonly<Partial<Condition>>[] | undefined;
  readonly observedGeneration?: number | undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the fields this module compares from an unchecked `status`; anything malformed counts as absent. */
export function currentRecordedStatus(status: unknown): CurrentRecordedStatus | undefined {
  if (!isRecord(status)) return undefined;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const conditions = Array.isArray(status['conditions'])
    ? (status['conditions'] as unknown[])
        .filter(isRecord)
        .map((condition) => condition as Readonly<Partial<Condition>>)
    : undefined;
  const generation = status['observedGeneration'];
  return {
    status: text(status['status']),
    message: text(status['message']),
    conditions,
    observedGeneration: typeof generation === 'number' ? generation : undefined,
  };
}

export interface RecordedStatusPlan {
  readonly fields: RecordedStatusFields;
  /** False when the object already says exactly this: nothing to write. */
  readonly changed: boolean;
  /** The event to record when the verdict changed (or the reason it is invalid did). */
  readonly event?: {
    readonly type: 'Normal' | 'Warning';
    readonly reason: RecordedStatus;
    readonly message: string;
  };
}

export const recordedConditionTypes = ['Valid', 'Ready'] as const;

/** metav1.Time: RFC 3339 in whole seconds. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function planRecordedStatus(input: {
  readonly current: CurrentRecordedStatus | undefined;
  readonly generation: number | undefined;
  readonly verdict: Verdict;
  readonly now: Date;
  /** e.g. `rule`, `template`: for the Ready message. */
  readonly noun: string;
}): RecordedStatusPlan {
  const { current, generation, verdict, noun } = input;
  const status: RecordedStatus = verdict.valid ? 'Recorded' : 'Invalid';
  const conditionStatus = verdict.valid ? 'True' : 'False';
  const existing = current?.conditions ?? [];
  const wanted: Record<(typeof recordedConditionTypes)[number], string> = {
    Valid: verdict.message,
    Ready: verdict.valid ? `the ${noun} is in use` : `the ${noun} is not used while it is invalid`,
  };
  const ours = recordedConditionTypes.map((type): Condition => {
    const previous = existing.find((condition) => condition.type === type);
    const keepTime = previous?.status === conditionStatus && typeof previous.lastTransitionTime === 'string';
    return {
      type,
      status: conditionStatus,
      reason: status,
      message: wanted[type],
      lastTransitionTime: keepTime ? previous.lastTransitionTime : kubeTime(input.now),
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
  });
  // Conditions of other types (written by someone else) are kept as they are, in their place.
  const conditions: Condition[] = [];
  for (const condition of existing) {
    const mine = ours.find((candidate) => candidate.type === condition.type);
    if (mine === undefined) conditions.push(condition as Condition);
  }
  const fields: RecordedStatusFields = {
    status,
    message: verdict.message,
    conditions: [...ours, ...conditions],
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  const changed =
    current?.status !== fields.status ||
    current.message !== fields.message ||
    current.observedGeneration !== fields.observedGeneration ||
    !sameConditions(existing, fields.conditions);
  const transition =
    current?.status !== status || (status === 'Invalid' && current.message !== verdict.message);
  return {
    fields,
    changed,
    ...(transition
      ? {
          event: {
            type: verdict.valid ? ('Normal' as const) : ('Warning' as const),
            reason: status,
            message: verdict.message,
          },
        }
      : {}),
  };
}

const conditionFields = [
  'type',
  'status',
  'reason',
  'message',
  'lastTransitionTime',
  'observedGeneration',
] as const;

function sameConditions(
  current: readonly Readonly<Partial<Condition>>[],
  wanted: readonly Condition[],
): boolean {
  if (current.length !== wanted.length) return false;
  return wanted.every((condition) => {
    const other = current.find((candidate) => candidate.type === condition.type);
    return other !== undefined && conditionFields.every((field) => other[field] === condition[field]);
  });
}
