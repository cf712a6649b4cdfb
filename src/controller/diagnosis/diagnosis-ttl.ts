/**
 * When a finished diagnosis is deleted: `spec.ttlStrategy` (secondsAfterCompletion, else secondsAfterSuccess
 * for Completed or secondsAfterFailure for Failed), else the configured default; measured from the object's
 * creation, as upstream.
 */
import type { AegisDiagnosis } from '../../core/resources/index.js';

export function deleteAt(
  diagnosis: Pick<AegisDiagnosis, 'spec' | 'metadata' | 'status'>,
  defaultTtlMs: number,
): number | undefined {
  const created = Date.parse(diagnosis.metadata.creationTimestamp ?? '');
  if (Number.isNaN(created)) return undefined;
  const ttl = diagnosis.spec.ttlStrategy;
  const phase = diagnosis.status?.phase;
  const seconds =
    ttl?.secondsAfterCompletion ??
    (phase === 'Completed'
      ? ttl?.secondsAfterSuccess
      : phase === 'Failed'
        ? ttl?.secondsAfterFailure
        : undefined);
  return created + (seconds === undefined ? defaultTtlMs : seconds * 1_000);
}
