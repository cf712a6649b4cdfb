/**
 * Closing the loop: a failing check item becomes an alert of type `NodeHealthCheckFailed` on its Node, sent
 * through the same ingest queue as webhook alerts, so rules, silences, Slack and TTLs treat it like any other.
 * The fingerprint is the node, module and item, so one problem is one AegisAlert across rounds (repeats count
 * up) and a later passing round resolves it. The delivery id is tied to the round, so a retried round is one
 * delivery.
 */
import { createHash } from 'node:crypto';
import type { Alert } from '../alerts/index.js';
import type { FailingItem } from './round-summary.js';

export const nodeHealthCheckAlertType = 'NodeHealthCheckFailed';
export const healthCheckAlertSource = 'HealthCheck';
const messageLimit = 1024;

export function healthCheckFingerprint(item: Pick<FailingItem, 'node' | 'module' | 'item'>): string {
  const material = JSON.stringify([nodeHealthCheckAlertType, item.node, item.module, item.item ?? '']);
  return createHash('sha256').update(material, 'utf8').digest('hex').slice(0, 63);
}

export function healthCheckAlert(
  item: FailingItem,
  status: 'Firing' | 'Resolved',
  context: { readonly check: string; readonly roundStart: string },
): Alert {
  const details: Record<string, string> = { node: item.node, module: item.module, check: context.check };
  if (item.item !== undefined && item.item !== '') details['item'] = item.item;
  if (item.condition !== undefined && item.condition !== '') details['condition'] = item.condition;
  if (item.level !== undefined && item.level !== '') details['level'] = item.level;
  if (item.message !== undefined && item.message !== '')
    details['message'] = item.message.slice(0, messageLimit);
  return {
    source: healthCheckAlertSource,
    type: nodeHealthCheckAlertType,
    status,
    involvedObject: { kind: 'Node', name: item.node, node: item.node },
    details,
    fingerprint: healthCheckFingerprint(item),
    startsAt: context.roundStart,
    ...(item.level === undefined || item.level === '' ? {} : { severity: item.level }),
  };
}

/** The delivery id of one alert of one round: the same round sent twice is one delivery. */
export function healthCheckDeliveryId(alert: Alert, round: string): string {
  const material = JSON.stringify([alert.source, alert.fingerprint, alert.status, round]);
  return `alert-${createHash('sha256').update(material, 'utf8').digest('hex')}`;
}
