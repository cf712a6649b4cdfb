/**
 * Which known format a body is in, for `POST /ai/alert` before any LLM is asked:
 * - `alertmanager`: an object whose `alerts` is a non-empty array with at least one item holding a `labels`
 *   object (keys case-sensitive, as Alertmanager writes them);
 * - `custom`: an object, or a non-empty array with at least one object, having `type` and `involvedObject`
 *   (in any case, as Go reads them).
 * "At least one" so that a batch with a bad item still goes to the parser that says what is wrong with it.
 */
import { isJsonObject } from './conversion-result.js';
import { hasFoldedKey } from './fold-keys.js';

export type KnownFormat = 'alertmanager' | 'custom';

function looksLikeCustomAlert(value: unknown): boolean {
  return isJsonObject(value) && hasFoldedKey(value, 'type') && hasFoldedKey(value, 'involvedObject');
}

export function recogniseKnownFormat(body: unknown): KnownFormat | undefined {
  if (isJsonObject(body)) {
    const alerts = body['alerts'];
    if (
      Array.isArray(alerts) &&
      alerts.some((item: unknown) => isJsonObject(item) && isJsonObject(item['labels']))
    ) {
      return 'alertmanager';
    }
    return looksLikeCustomAlert(body) ? 'custom' : undefined;
  }
  if (Array.isArray(body) && body.some(looksLikeCustomAlert)) return 'custom';
  return undefined;
}
