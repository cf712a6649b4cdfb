/**
 * Opsgenie outgoing webhook integration: `{action: Create | Close | Acknowledge | AddNote | ..., alert: {alertId,
 * message, tags: [...], tinyId, entity, alias, createdAt, username, description, source, priority, details:
 * {...}}, source: {name, type}, integrationName, integrationType}`. Recognised by `action` with an `alert`
 * holding `alertId`. type = detail `alertname`, else the message in CamelCase; labels = the alert's details,
 * its tags (`k:v`, or a bare tag as `true`), entity and source; status Resolved for `Close`; fingerprint =
 * the alias (Opsgenie's de-duplication key, the same for the alert's whole life), else the alert id.
 */
import type { RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stableFingerprint, stringLabels, text, typeFromTitle } from './build-alert.js';

export function recogniseOpsgenie(body: unknown): RecognisedPayload | undefined {
  if (!isRecord(body) || typeof body['action'] !== 'string' || !isRecord(body['alert'])) return undefined;
  const alert = body['alert'];
  if (!('alertId' in alert)) return undefined;
  const labels: Record<string, string> = { ...stringLabels(alert['details']) };
  const tags: unknown[] = Array.isArray(alert['tags']) ? alert['tags'] : [];
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.trim() === '') continue;
    const [key = '', ...rest] = tag.trim().split(':');
    if (labels[key] === undefined) labels[key] = rest.length === 0 ? 'true' : rest.join(':');
  }
  for (const key of ['entity', 'source']) {
    const value = text(alert[key]);
    if (value !== undefined && value !== '' && labels[key] === undefined) labels[key] = value;
  }
  const message = text(alert['message']);
  const key = text(alert['alias']) ?? text(alert['alertId']);
  const createdAt = text(alert['createdAt']);
  return {
    format: 'opsgenie',
    results: [
      buildAlert({
        type: labels['alertname'] ?? (message === undefined ? undefined : typeFromTitle(message)),
        status: body['action'].toLowerCase() === 'close' ? 'Resolved' : 'Firing',
        labels,
        description: text(alert['description']) ?? message,
        fingerprint: key === undefined || key === '' ? undefined : stableFingerprint('opsgenie', [key]),
        startsAt: createdAt,
        severity: text(alert['priority']),
        sender: 'opsgenie',
      }),
    ],
  };
}
