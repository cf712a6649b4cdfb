/**
 * Status writes that must not lose a concurrent update: read-modify-write with the resourceVersion as
 * precondition, re-read and recomputed on conflict.
 */
import { AegisError } from '../../core/errors.js';
import { isConflict, type AegisAlert, type AegisAlertStatus, type AlertStore } from '../../core/ports/index.js';

const maxAttempts = 5;

/**
 * Apply `decide(current)` (a status merge patch, or undefined for "nothing to write") to the alert, retrying
 * on conflicts with a fresh read. Returns the written object, the unchanged one, or undefined when the alert
 * is gone.
 */
export async function updateStatus(
  store: AlertStore,
  alert: AegisAlert,
  decide: (current: AegisAlert) => Partial<AegisAlertStatus> | undefined,
): Promise<AegisAlert | undefined> {
  const namespace = alert.metadata.namespace ?? '';
  const name = alert.metadata.name ?? '';
  let current: AegisAlert | undefined = alert;
  for (let attempt = 1; current !== undefined; attempt += 1) {
    const patch = decide(current);
    if (patch === undefined) return current;
    const resourceVersion = current.metadata.resourceVersion;
    try {
      return await store.patchStatus(
        namespace,
        name,
        patch,
        resourceVersion === undefined ? {} : { resourceVersion },
      );
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (attempt >= maxAttempts) {
        throw new AegisError('ALERT_CONFLICT', `status of ${namespace}/${name} kept changing`, {
          retryable: true,
          cause: error,
        });
      }
    }
    current = await store.get(namespace, name);
  }
  return undefined;
}
