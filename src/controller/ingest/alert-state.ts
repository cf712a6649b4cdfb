/**
 * Pure decisions about an AegisAlert's state that the ingest worker, the flusher and the sweeper share.
 */
import type { AegisAlert, AegisAlertStatus } from '../../core/ports/index.js';

/** Annotation holding the delivery (job id) that created the alert: a retried create finds its own object. */
export const firstDeliveryAnnotation = 'aegis.io/first-delivery';

const finishedOps: ReadonlySet<string> = new Set(['Succeeded', 'Failed']);

/** The alert's status; before the initial status write lands, the status it was created with (spec). */
export function alertStatusOf(alert: AegisAlert): 'Firing' | 'Resolved' {
  return alert.status?.status ?? alert.spec.status;
}

/** Firing and not being deleted. */
export function isFiring(alert: AegisAlert): boolean {
  return alertStatusOf(alert) === 'Firing' && alert.metadata.deletionTimestamp === undefined;
}

/** Active: firing and its ops not finished. Repeats count on the active alert; without one, a new one is made. */
export function isActive(alert: AegisAlert): boolean {
  const ops = alert.status?.opsStatus?.alertOpsStatus;
  return isFiring(alert) && (ops === undefined || !finishedOps.has(ops));
}

/** The active alert a repeat counts on: the oldest (there is only one unless someone else made more). */
export function pickActive(alerts: readonly AegisAlert[]): AegisAlert | undefined {
  return alerts.filter(isActive).sort(byAge)[0];
}

function byAge(left: AegisAlert, right: AegisAlert): number {
  const a = left.metadata.creationTimestamp ?? '';
  const b = right.metadata.creationTimestamp ?? '';
  if (a !== b) return a < b ? -1 : 1;
  return (left.metadata.name ?? '') < (right.metadata.name ?? '') ? -1 : 1;
}

/**
 * The status patch that completes a created alert's initial status, merged with whatever is already there (a
 * retried create, or another worker that repaired it first), or undefined when nothing is missing.
 */
export function initialStatusPatch(alert: AegisAlert, now: string): Partial<AegisAlertStatus> | undefined {
  const status = alert.status ?? {};
  if (status.status !== undefined && status.count !== undefined && status.startTime !== undefined)
    return undefined;
  return {
    status: status.status ?? alert.spec.status,
    count: Math.max(status.count ?? 0, 1),
    startTime: status.startTime ?? now,
    lastSeen: status.lastSeen ?? now,
  };
}

/** A time as metav1.Time writes it: RFC 3339, seconds precision, UTC. */
export function kubeTime(time: Date | number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The later of a stored time and an epoch-ms time; the stored string is kept when it is not earlier. */
export function laterTime(stored: string | undefined, candidateMs: number | undefined): string | undefined {
  if (candidateMs === undefined || !Number.isFinite(candidateMs)) return stored;
  const candidate = kubeTime(candidateMs);
  if (stored === undefined) return candidate;
  const storedMs = Date.parse(stored);
  return Number.isFinite(storedMs) && storedMs >= Date.parse(candidate) ? stored : candidate;
}
