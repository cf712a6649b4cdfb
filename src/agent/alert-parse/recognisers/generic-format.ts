/**
 * The generic labels/annotations shape: one alert `{labels, annotations?, status?, startsAt?, fingerprint?}`,
 * an array of them, or `{alerts: [...]}` of them (Alertmanager-like senders such as vmalert, Prometheus-
 * compatible tools, hand-written scripts). type = label `alertname` (or `name`, `alert`); status `resolved` in
 * any case → Resolved, anything else Firing; object inferred from the labels (build-alert.ts).
 */
import type { RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stringLabels, text } from './build-alert.js';

function isGenericAlert(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && isRecord(value['labels']);
}

export function recogniseGeneric(body: unknown): RecognisedPayload | undefined {
  const list: unknown[] = Array.isArray(body)
    ? body
    : isRecord(body) && Array.isArray(body['alerts'])
      ? body['alerts']
      : [body];
  if (!list.some(isGenericAlert)) return undefined;
  return {
    format: 'generic',
    results: list.map((item: unknown, index) => {
      if (!isGenericAlert(item)) return { path: `[${index}].labels`, reason: 'is required' };
      const labels = stringLabels(item['labels']);
      const annotations = stringLabels(item['annotations']);
      return buildAlert({
        type: labels['alertname'] ?? labels['name'] ?? labels['alert'],
        status: (text(item['status']) ?? '').toLowerCase() === 'resolved' ? 'Resolved' : 'Firing',
        labels,
        description: annotations['description'] ?? annotations['summary'] ?? annotations['message'],
        fingerprint: text(item['fingerprint']),
        startsAt: text(item['startsAt']),
        severity: labels['severity'],
        sender: 'generic',
      });
    }),
  };
}
