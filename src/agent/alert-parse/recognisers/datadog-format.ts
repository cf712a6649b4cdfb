/**
 * Datadog webhook integration. The payload is a user template; Aegis reads the variables of Datadog's
 * documented examples: `id`, `alert_id`, `aggreg_key`, `alert_title` / `title`, `alert_transition`
 * (Triggered, Re-Triggered, Recovered, Warn, No Data, ...), `alert_type` (error, warning, success, info),
 * `alert_status`, `alert_priority`, `hostname`, `tags` ("k:v,k2:v2" or a list), `event_msg` / `body`, `date`,
 * `last_updated`. Recognised by at least two of the `alert_*` / `aggreg_key` / `event_type` fields.
 * type = the monitor title without the transition prefix and the " on <host>" suffix, in CamelCase (or tag
 * `alertname` when present); status Resolved for Recovered/success; fingerprint = the monitor (`alert_id`) and
 * its scope (`alert_scope`, else `scope`, else the host): `datadog-<monitor>-<scope>`, stable from Triggered to
 * Recovered; else `aggreg_key`, else the details fingerprint.
 */
import { detailsFingerprint } from '../../../core/alerts/index.js';
import type { RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stableFingerprint, text, typeFromTitle } from './build-alert.js';

const markers = [
  'alert_id',
  'alert_title',
  'alert_transition',
  'alert_type',
  'alert_status',
  'aggreg_key',
  'alert_metric',
  'alert_query',
  'event_type',
];

function tagLabels(tags: unknown): Record<string, string> {
  const list = Array.isArray(tags) ? tags : typeof tags === 'string' ? tags.split(',') : [];
  const labels: Record<string, string> = {};
  for (const tag of list) {
    if (typeof tag !== 'string' || tag.trim() === '') continue;
    const [key = '', ...rest] = tag.trim().split(':');
    labels[key] = rest.length === 0 ? 'true' : rest.join(':');
  }
  return labels;
}

/** The details fingerprint without what changes from Triggered to Recovered. */
function transitionFreeFingerprint(labels: Record<string, string>): string | undefined {
  const stable = { ...labels };
  delete stable['alert_transition'];
  delete stable['alert_type'];
  return Object.keys(stable).length === 0 ? undefined : detailsFingerprint(stable);
}

export function recogniseDatadog(body: unknown): RecognisedPayload | undefined {
  if (!isRecord(body)) return undefined;
  if (markers.filter((key) => key in body).length < 2) return undefined;
  const tags = tagLabels(body['tags']);
  const hostname = text(body['hostname']) ?? text(body['host']);
  const labels: Record<string, string> = { ...tags };
  if (hostname !== undefined && hostname !== '' && labels['host'] === undefined) labels['host'] = hostname;
  for (const key of [
    'alert_id',
    'alert_type',
    'alert_transition',
    'alert_priority',
    'alert_metric',
    'org_name',
  ]) {
    const value = text(body[key]);
    if (value !== undefined && value !== '') labels[key] = value;
  }
  const title = text(body['alert_title']) ?? text(body['title']) ?? text(body['event_title']);
  const transition = (text(body['alert_transition']) ?? '').toLowerCase();
  const alertType = (text(body['alert_type']) ?? '').toLowerCase();
  const resolved = transition === 'recovered' || transition === 'resolved' || alertType === 'success';
  const monitor = text(body['alert_id']);
  const scope = text(body['alert_scope']) ?? text(body['scope']) ?? hostname ?? '';
  const fingerprint =
    monitor !== undefined && monitor !== ''
      ? stableFingerprint('datadog', [monitor, scope])
      : (text(body['aggreg_key']) ?? transitionFreeFingerprint(labels));
  const result = buildAlert({
    type: tags['alertname'] ?? (title === undefined ? undefined : typeFromTitle(title, hostname)),
    status: resolved ? 'Resolved' : 'Firing',
    labels,
    description: text(body['event_msg']) ?? text(body['body']) ?? title,
    fingerprint,
    startsAt: text(body['date']) ?? text(body['last_updated']),
    severity: text(body['alert_priority']) ?? (alertType === '' ? undefined : alertType),
    sender: 'datadog',
  });
  return { format: 'datadog', results: [result] };
}
