/**
 * The silence branch (`alertConditionTypes.silenced`): a Firing alert not yet triggered that an AegisSilence
 * matches is held: triggerStatus stays unset, condition `Silenced=True` (reason `Silenced`) and
 * `opsStatus.message` say which silence and until when, and the run comes again at `until`. Once no silence
 * matches, condition `Silenced=False` (reason `SilenceEnded`) is written first, then the alert triggers as
 * usual. A silence never touches an alert that was already triggered (or awaits approval).
 */
import type { Condition } from '../../core/resources/index.js';
import type { DeepReadonly } from '../runtime/index.js';
import { alertConditionTypes } from './alert-conditions.js';
import type { AlertAction, AlertObject } from './alert-action-types.js';
import type { SilenceView } from '../../core/ports/index.js';
import { conditionPatch } from './alert-status-steps.js';

/** The message of the Silenced condition (and of `opsStatus.message`) for a silence. */
export function silencedMessage(silence: SilenceView): string {
  const reason = silence.reason === undefined || silence.reason === '' ? '' : `: ${silence.reason}`;
  return `silenced by AegisSilence ${silence.name} until ${silence.until}${reason}`;
}

export function silencedCondition(alert: AlertObject): DeepReadonly<Condition> | undefined {
  return alert.status?.conditions?.find((condition) => condition.type === alertConditionTypes.silenced);
}

/** Hold a silenced alert: record why once, then wait for the silence to end (a change of it re-queues us). */
export function decideSilenced(alert: AlertObject, silence: SilenceView, now: Date): AlertAction {
  const message = silencedMessage(silence);
  const until = Date.parse(silence.until);
  // A little after `until`, so the silence is over when the run comes (`silenceInForce` is `now < until`).
  const afterMs = Number.isFinite(until) ? Math.max(1, until - now.getTime() + 50) : undefined;
  const wait = afterMs === undefined ? {} : { afterMs };
  const condition = silencedCondition(alert);
  if (
    condition?.status === 'True' &&
    condition.message === message &&
    alert.status?.opsStatus?.message === message
  ) {
    return { kind: 'nothing', why: 'silenced', ...wait };
  }
  return {
    kind: 'writeStatus',
    why: 'silenced',
    status: {
      opsStatus: { message },
      ...conditionPatch(
        alert,
        [{ type: alertConditionTypes.silenced, status: 'True', reason: 'Silenced', message }],
        now,
      ),
    },
    events: condition?.status === 'True' ? [] : [{ type: 'Normal', reason: 'Silenced', message }],
    ...wait,
  };
}

/** The silence is over (expired or deleted): say so, then the next run triggers. */
export function silenceEnded(alert: AlertObject, now: Date): AlertAction {
  const message = 'no AegisSilence matches any more; the alert is handled now';
  return {
    kind: 'writeStatus',
    why: 'silence ended',
    status: conditionPatch(
      alert,
      [{ type: alertConditionTypes.silenced, status: 'False', reason: 'SilenceEnded', message }],
      now,
    ),
    // The write's own watch event brings the run that triggers.
    events: [{ type: 'Normal', reason: 'SilenceEnded', message }],
  };
}
