/**
 * PagerDuty v3 webhooks (webhook subscriptions): `{event: {id, event_type: incident.triggered |
 * incident.acknowledged | incident.resolved | ..., resource_type: "incident", occurred_at, data: {id, type:
 * "incident", number, status, incident_key, title, urgency, priority: {summary}, service: {id, summary}, ...}}}`.
 * Recognised by `event.event_type` starting with `incident.` and `event.data`. type = the incident title in
 * CamelCase (or a `alertname` in the title's custom details is not sent: the title it is); status Resolved for
 * `incident.resolved` (or data.status resolved); fingerprint = the incident key (PagerDuty's dedup key),
 * else the incident id: each webhook event has its own `event.id`, the incident keeps its key.
 */
import type { RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stableFingerprint, text, typeFromTitle } from './build-alert.js';

export function recognisePagerDuty(body: unknown): RecognisedPayload | undefined {
  if (!isRecord(body) || !isRecord(body['event'])) return undefined;
  const event = body['event'];
  const eventType = text(event['event_type']) ?? '';
  const data = event['data'];
  if (!eventType.startsWith('incident.') || !isRecord(data)) return undefined;
  const labels: Record<string, string> = {};
  const service = isRecord(data['service']) ? text(data['service']['summary']) : undefined;
  if (service !== undefined && service !== '') labels['service'] = service;
  const priority = isRecord(data['priority']) ? text(data['priority']['summary']) : undefined;
  if (priority !== undefined && priority !== '') labels['priority'] = priority;
  for (const key of ['urgency', 'number', 'html_url']) {
    const value = text(data[key]);
    if (value !== undefined && value !== '') labels[key] = value;
  }
  const incidentKey = text(data['incident_key']) ?? text(data['id']);
  const status = (text(data['status']) ?? '').toLowerCase();
  const title = text(data['title']) ?? text(data['summary']);
  return {
    format: 'pagerduty',
    results: [
      buildAlert({
        type: title === undefined ? undefined : typeFromTitle(title),
        status: eventType === 'incident.resolved' || status === 'resolved' ? 'Resolved' : 'Firing',
        labels,
        description: title,
        fingerprint:
          incidentKey === undefined || incidentKey === ''
            ? undefined
            : stableFingerprint('pagerduty', [incidentKey]),
        startsAt: text(data['created_at']) ?? text(event['occurred_at']),
        severity: priority ?? text(data['urgency']),
        sender: 'pagerduty',
      }),
    ],
  };
}
