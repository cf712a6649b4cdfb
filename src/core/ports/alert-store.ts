/**
 * The port the ingest worker, the count flusher and the TTL sweeper use to read and write AegisAlerts. Declared
 * here by its consumer; `src/kube/aegis-alert-store.ts` implements it with @kubernetes/client-node, tests may
 * wrap it (e.g. to count API writes).
 *
 * Errors: a write whose `resourceVersion` precondition no longer holds rejects with an AegisError of code
 * `ALERT_CONFLICT`; an object that does not exist with `ALERT_NOT_FOUND`; anything else with
 * `KUBE_API_ERROR` (retryable unless the API server refused the request as invalid).
 */
import type { AegisAlertObject } from '../alerts/index.js';
import { isAegisError } from '../errors.js';
import type { AegisAlert, AegisAlertStatus } from '../resources/aegis-alert.js';

export type { AegisAlert, AegisAlertStatus };

/** Preconditions of a write: the write fails with ALERT_CONFLICT when the object changed since it was read. */
export interface WritePreconditions {
  resourceVersion?: string;
}

export interface AlertStore {
  /** A fresh list (straight from the API server, never a cache) of the alerts with this `fingerprint` label value. */
  listByFingerprint(namespace: string, fingerprintLabelValue: string): Promise<AegisAlert[]>;
  /** Every alert in the namespace (paged internally). */
  list(namespace: string): Promise<AegisAlert[]>;
  /** The alert, or undefined when it does not exist. */
  get(namespace: string, name: string): Promise<AegisAlert | undefined>;
  /** Create the alert (`metadata.generateName`); the API server ignores `status` on create. */
  create(object: AegisAlertObject): Promise<AegisAlert>;
  /** JSON merge patch of the `/status` subresource. */
  patchStatus(
    namespace: string,
    name: string,
    status: Partial<AegisAlertStatus>,
    preconditions?: WritePreconditions,
  ): Promise<AegisAlert>;
  /** JSON merge patch of `metadata.labels` (a null value removes the label). */
  patchLabels(namespace: string, name: string, labels: Record<string, string | null>): Promise<AegisAlert>;
  /** `spec.nodeName` of the pod; undefined when the pod does not exist or is not scheduled. */
  getPodNode(namespace: string, name: string): Promise<string | undefined>;
  /** Delete the alert; false when it was already gone. */
  delete(
    namespace: string,
    name: string,
    preconditions?: WritePreconditions & { uid?: string },
  ): Promise<boolean>;
}

/** Error codes the store raises (see the file comment). */
export const alertStoreErrorCodes = {
  conflict: 'ALERT_CONFLICT',
  notFound: 'ALERT_NOT_FOUND',
  apiError: 'KUBE_API_ERROR',
} as const;

/** True when a store call failed because its resourceVersion precondition no longer held. */
export function isConflict(error: unknown): boolean {
  return isAegisError(error) && error.code === alertStoreErrorCodes.conflict;
}

/** True when a store call failed because the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return isAegisError(error) && error.code === alertStoreErrorCodes.notFound;
}
