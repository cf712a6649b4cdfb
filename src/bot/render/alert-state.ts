/**
 * The one state an alert's root message shows, and its colour. Precedence: resolved beats everything (the
 * problem is gone), then an open approval, then the workflow's phase, then a trigger that failed, then a
 * silence holding the alert back.
 */
import type { AegisAlert } from '../../core/resources/aegis-alert.js';

export type AlertDisplayState =
  'firing' | 'awaiting-approval' | 'running' | 'succeeded' | 'failed' | 'silenced' | 'resolved';

export const stateColors: Readonly<Record<AlertDisplayState, string>> = {
  firing: '#e01e5a',
  'awaiting-approval': '#f2a900',
  running: '#1e88e5',
  succeeded: '#2eb67d',
  failed: '#8b0000',
  silenced: '#bdbdbd',
  resolved: '#9e9e9e',
};

export const stateLabels: Readonly<Record<AlertDisplayState, string>> = {
  firing: 'Firing',
  'awaiting-approval': 'Awaiting approval',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  silenced: 'Silenced',
  resolved: 'Resolved',
};

const stateEmoji: Readonly<Record<AlertDisplayState, string>> = {
  firing: ':red_circle:',
  'awaiting-approval': ':large_orange_circle:',
  running: ':large_blue_circle:',
  succeeded: ':large_green_circle:',
  failed: ':x:',
  silenced: ':mute:',
  resolved: ':white_circle:',
};

/** Trigger outcomes after which nothing runs (shown as failed). */
export const failedTriggers: ReadonlySet<string> = new Set([
  'TriggerFailed',
  'TemplateUnsafe',
  'TemplateInvalid',
  'RuleErrorFound',
]);

/** Read-only all the way down, so a frozen object from a watch cache renders as well as a fresh one. */
type Immutable<T> = T extends readonly (infer Item)[]
  ? readonly Immutable<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: Immutable<T[Key]> }
    : T;

/** What the renderers read of an alert. */
export type AlertLike = Immutable<Pick<AegisAlert, 'metadata' | 'spec' | 'status'>>;

export function alertDisplayState(alert: AlertLike): AlertDisplayState {
  const status = alert.status;
  if ((status?.status ?? alert.spec.status) === 'Resolved') return 'resolved';
  // A trigger that failed (e.g. no suspended Workflow holds the request) outranks a request the status shows.
  const triggerFailed = failedTriggers.has(status?.opsStatus?.triggerStatus ?? '');
  if (
    !triggerFailed &&
    (status?.approval?.state === 'Pending' || status?.opsStatus?.triggerStatus === 'AwaitingApproval')
  ) {
    if (status?.approval === undefined || status.approval.state === 'Pending') return 'awaiting-approval';
  }
  switch (status?.opsStatus?.alertOpsStatus) {
    case 'Running':
      return 'running';
    case 'Succeeded':
      return 'succeeded';
    case 'Failed':
      return 'failed';
    default:
      break;
  }
  if (failedTriggers.has(status?.opsStatus?.triggerStatus ?? '')) return 'failed';
  const silenced = status?.conditions?.some((item) => item.type === 'Silenced' && item.status === 'True');
  if (silenced === true && status?.opsStatus?.triggerStatus === undefined) return 'silenced';
  return 'firing';
}

export function stateBadge(state: AlertDisplayState): string {
  return `${stateEmoji[state]} *${stateLabels[state]}*`;
}

/** `Node gpu-node-1` or `Pod ml/trainer-0` (plain text, not escaped). */
export function involvedObjectLabel(alert: AlertLike): string {
  const object = alert.spec.involvedObject;
  if (object === undefined) return alert.metadata.name ?? 'unknown object';
  const name =
    object.namespace === undefined || object.namespace === ''
      ? object.name
      : `${object.namespace}/${object.name}`;
  return (
    [object.kind, name].filter((part) => part !== undefined && part !== '').join(' ') || 'unknown object'
  );
}

/** `<namespace>/<name>` of the AegisAlert itself: the value of the approval buttons. */
export function alertReference(alert: AlertLike): string {
  return `${alert.metadata.namespace ?? ''}/${alert.metadata.name ?? ''}`;
}
