/**
 * When a finished AegisAlert may be deleted. Unlike upstream (which counted from `status.startTime`, so a
 * long-running or long-firing alert could vanish the moment its ops finished), the TTL runs from completion:
 * - ops Succeeded → `secondsAfterSuccess` after `opsStatus.completionTime`;
 * - ops Failed → `secondsAfterFailure` after `opsStatus.completionTime`;
 * - no ops and Resolved → `secondsAfterNoOps` after `status.resolvedAt`.
 * - no ops, Firing, and no rule matched it (`RuleNotFound`, or too many did) → `secondsAfterUnmatched` after its
 *   last delivery (`status.lastSeen`), so alerts nobody handles do not pile up; a new delivery creates it again.
 * Ops still pending or running, or another firing alert without ops, never expire. `spec.ttlStrategy` wins over the
 * configured defaults; `secondsAfterCompletion` (declared upstream, unused there) stands in for a missing
 * success or failure value.
 */
import type { AegisAlert } from '../../core/ports/index.js';

export interface AlertTtlDefaults {
  secondsAfterSuccess: number;
  secondsAfterFailure: number;
  secondsAfterNoOps: number;
  /** AEGIS_ALERT_TTL_AFTER_UNMATCHED; undefined: firing alerts that matched no rule stay. */
  secondsAfterUnmatched?: number;
}

const unmatched: ReadonlySet<string> = new Set(['RuleNotFound', 'TooManyRulesFound', 'TooManyRuletFound']);

/** Upstream's Helm defaults: success 1 day, failure 3 days, no ops 1 day. */
export const upstreamAlertTtlDefaults: AlertTtlDefaults = {
  secondsAfterSuccess: 86_400,
  secondsAfterFailure: 259_200,
  secondsAfterNoOps: 86_400,
};

/** Epoch ms from which the alert may be deleted, or undefined while it must stay. */
export function alertExpiresAt(alert: AegisAlert, defaults: AlertTtlDefaults): number | undefined {
  const strategy = alert.spec.ttlStrategy ?? {};
  const status = alert.status ?? {};
  const ops = status.opsStatus?.alertOpsStatus;
  if (ops === 'Succeeded' || ops === 'Failed') {
    const seconds =
      ops === 'Succeeded'
        ? (strategy.secondsAfterSuccess ?? strategy.secondsAfterCompletion ?? defaults.secondsAfterSuccess)
        : (strategy.secondsAfterFailure ?? strategy.secondsAfterCompletion ?? defaults.secondsAfterFailure);
    const completed =
      status.opsStatus?.completionTime ?? conditionTime(alert, ops === 'Succeeded' ? 'Complete' : 'Failed');
    return after(completed, seconds);
  }
  if (ops === undefined && status.status === 'Resolved') {
    return after(status.resolvedAt, strategy.secondsAfterNoOps ?? defaults.secondsAfterNoOps);
  }
  const trigger = status.opsStatus?.triggerStatus;
  if (
    ops === undefined &&
    status.status === 'Firing' &&
    trigger !== undefined &&
    unmatched.has(trigger) &&
    defaults.secondsAfterUnmatched !== undefined
  ) {
    return after(status.lastSeen ?? status.startTime, defaults.secondsAfterUnmatched);
  }
  return undefined;
}

function conditionTime(alert: AegisAlert, type: string): string | undefined {
  return alert.status?.conditions?.find((condition) => condition.type === type && condition.status === 'True')
    ?.lastTransitionTime;
}

function after(time: string | undefined, seconds: number): number | undefined {
  if (time === undefined) return undefined;
  const start = Date.parse(time);
  return Number.isFinite(start) ? start + seconds * 1000 : undefined;
}
