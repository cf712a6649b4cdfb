/**
 * Bounds on one alert, whatever route it came through: the type's length, how many details (labels and
 * annotations) it has and their total size. A sender could otherwise post one alert with 20,000 labels (each a
 * label on the AegisAlert, a template variable, a line in every Slack message and model prompt) or a type
 * that every rule pattern is run against. An alert over a bound is refused on its own, with its index, what
 * was over and the setting that sets the bound; the other alerts of the body are still accepted.
 */
import type { Alert } from '../core/alerts/index.js';
import type { ReadAlerts } from './enqueue-alerts.js';
import type { RefusedAlert } from './webhook-refusal.js';

export interface AlertBounds {
  /** AEGIS_ALERT_MAX_DETAILS. */
  maxDetails: number;
  /** AEGIS_ALERT_MAX_DETAILS_SIZE, in UTF-8 bytes of keys and values. */
  maxDetailsBytes: number;
}

export const defaultAlertBounds: AlertBounds = { maxDetails: 256, maxDetailsBytes: 65_536 };

/** Longest alert type accepted (a Kubernetes label value is at most 63 characters; types are names). */
export const maxAlertTypeLength = 256;

/** Why `alert` is over a bound, as [path, reason]; undefined when it is within them. */
export function alertBoundProblem(alert: Alert, bounds: AlertBounds): [string, string] | undefined {
  if (alert.type.length > maxAlertTypeLength) {
    return ['type', `is ${alert.type.length} characters long; at most ${maxAlertTypeLength} are accepted`];
  }
  const keys = Object.keys(alert.details);
  if (keys.length > bounds.maxDetails) {
    return [
      'details',
      `has ${keys.length} details (labels and annotations); at most ${bounds.maxDetails} are accepted (AEGIS_ALERT_MAX_DETAILS)`,
    ];
  }
  let bytes = 0;
  for (const key of keys)
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(alert.details[key] ?? '', 'utf8');
  if (bytes > bounds.maxDetailsBytes) {
    return [
      'details',
      `has ${bytes} bytes of details; at most ${bounds.maxDetailsBytes} are accepted (AEGIS_ALERT_MAX_DETAILS_SIZE)`,
    ];
  }
  return undefined;
}

/** `read` with the alerts over a bound moved to the refused ones. */
export function applyAlertBounds(read: ReadAlerts, bounds: AlertBounds): ReadAlerts {
  const refused: RefusedAlert[] = [...read.refused];
  const accepted = read.accepted.filter(({ index, alert }) => {
    const problem = alertBoundProblem(alert, bounds);
    if (problem === undefined) return true;
    const [path, reason] = problem;
    const type = alert.type.length > 60 ? `${alert.type.slice(0, 60)}…` : alert.type;
    refused.push({ index, path, reason: `alert ${index} (type ${JSON.stringify(type)}) ${reason}` });
    return false;
  });
  if (accepted.length === read.accepted.length) return read;
  refused.sort((left, right) => left.index - right.index);
  return { accepted, refused };
}
