/**
 * The BullMQ job id of one delivery of an alert, so that a redelivery is one job, not two.
 *
 * Rule: `alert-` + sha256 hex of (source, fingerprint, status, start) where start is
 * - `alert.startsAt` when the sender gave one: a retried Alertmanager notification (same alert, same status,
 *   same startsAt) maps to the same id, so duplicates collapse into one job;
 * - otherwise `receivedNonce`, a value the caller makes unique per HTTP request: a custom alert without a start
 *   time cannot be told apart from a deliberate repeat, so every post counts as its own delivery.
 * The two cases are tagged before hashing, so a nonce can never collide with a start time. The id holds only
 * hex digits after the prefix: no `:` (BullMQ refuses it in custom ids) and nothing from the payload in clear.
 */
import { createHash } from 'node:crypto';
import type { Alert } from './alert.js';

export function deliveryId(
  alert: Pick<Alert, 'source' | 'fingerprint' | 'status' | 'startsAt'>,
  receivedNonce: string,
): string {
  const start = alert.startsAt === undefined ? ['nonce', receivedNonce] : ['startsAt', alert.startsAt];
  const material = JSON.stringify([alert.source, alert.fingerprint, alert.status, ...start]);
  return `alert-${createHash('sha256').update(material, 'utf8').digest('hex')}`;
}
