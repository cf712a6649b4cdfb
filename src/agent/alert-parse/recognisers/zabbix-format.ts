/**
 * Zabbix webhook media type. The JSON is built from macros by the media type's script; Aegis reads the names of
 * Zabbix's own templates and common custom ones: `event_id` ({EVENT.ID}, the problem's id, also sent with its
 * recovery), `event_name` / `trigger_name` / `alert_subject`, `event_status` / `status` (PROBLEM, RESOLVED, OK),
 * `event_value` (1 problem, 0 resolved), `event_severity` / `severity`, `host_name` / `host` / `hostname`,
 * `host_ip`, `trigger_id`, `trigger_description` / `alert_message`, `event_tags` ({EVENT.TAGSJSON}: `[{tag,
 * value}]`, or "k:v,k2:v2"), `event_date` + `event_time`. Recognised by `event_id` or `trigger_id` with a
 * Zabbix status/name field. type = the trigger name without " on <host>" in CamelCase (or tag `alertname`);
 * fingerprint = the stable problem key `zabbix-<trigger_id>-<host>` (a recovery event has its own event id, so
 * the event id pairs nothing), else `zabbix-<event_id>` when the payload has no trigger id.
 */
import type { RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stableFingerprint, text, typeFromTitle } from './build-alert.js';

function tagLabels(tags: unknown): Record<string, string> {
  let list: unknown = tags;
  if (typeof tags === 'string') {
    try {
      list = JSON.parse(tags);
    } catch {
      list = tags.split(',').map((pair) => {
        const [tag = '', ...rest] = pair.split(':');
        return { tag: tag.trim(), value: rest.join(':').trim() };
      });
    }
  }
  const labels: Record<string, string> = {};
  if (!Array.isArray(list)) return labels;
  for (const item of list) {
    if (isRecord(item) && typeof item['tag'] === 'string' && item['tag'] !== '') {
      labels[item['tag']] = text(item['value']) ?? '';
    }
  }
  return labels;
}

export function recogniseZabbix(body: unknown): RecognisedPayload | undefined {
  if (!isRecord(body)) return undefined;
  const hasId = 'event_id' in body || 'trigger_id' in body;
  const hasZabbixField = [
    'event_status',
    'event_value',
    'event_severity',
    'trigger_name',
    'event_name',
    'host_name',
  ].some((key) => key in body);
  if (!hasId || !hasZabbixField) return undefined;
  const host = text(body['host_name']) ?? text(body['hostname']) ?? text(body['host']);
  const labels: Record<string, string> = { ...tagLabels(body['event_tags'] ?? body['tags']) };
  if (host !== undefined && host !== '') labels['host'] = host;
  for (const key of ['host_ip', 'trigger_id', 'event_severity', 'event_id']) {
    const value = text(body[key]);
    if (value !== undefined && value !== '') labels[key] = value;
  }
  const name = text(body['trigger_name']) ?? text(body['event_name']) ?? text(body['alert_subject']);
  const status = (text(body['event_status']) ?? text(body['status']) ?? '').toUpperCase();
  const value = text(body['event_value']);
  const resolved = value === '0' || status === 'RESOLVED' || status === 'OK';
  const date = text(body['event_date']);
  const time = text(body['event_time']);
  const eventId = text(body['event_id']);
  const triggerId = text(body['trigger_id']);
  const fingerprint =
    triggerId !== undefined && triggerId !== ''
      ? stableFingerprint('zabbix', [triggerId, host ?? ''])
      : eventId === undefined || eventId === ''
        ? undefined
        : `zabbix-${eventId}`;
  const result = buildAlert({
    type: labels['alertname'] ?? (name === undefined ? undefined : typeFromTitle(name, host)),
    status: resolved ? 'Resolved' : 'Firing',
    labels,
    description: text(body['trigger_description']) ?? text(body['alert_message']) ?? name,
    fingerprint,
    startsAt: date === undefined ? undefined : `${date.replaceAll('.', '-')}T${time ?? '00:00:00'}Z`,
    severity: text(body['event_severity']) ?? text(body['severity']),
    sender: 'zabbix',
  });
  return { format: 'zabbix', results: [result] };
}
