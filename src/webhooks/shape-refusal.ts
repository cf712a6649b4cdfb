import type { ReadAlerts } from './enqueue-alerts.js';
import { WebhookRefusal } from './webhook-refusal.js';

/**
 * A 400 when the body as a whole has the wrong shape (the format parser's single refusal at one of
 * `bodyPaths`, with nothing accepted); otherwise the alerts unchanged.
 */
export function refuseWrongShape(read: ReadAlerts, bodyPaths: readonly string[]): ReadAlerts {
  const [only, ...others] = read.refused;
  if (read.accepted.length > 0 || only === undefined || others.length > 0) return read;
  if (!bodyPaths.includes(only.path)) return read;
  const message = only.path === '' ? only.reason : `the field "${only.path}" ${only.reason}`;
  throw new WebhookRefusal(400, 'unparseable', message, { details: [only] });
}
