/**
 * Prometheus' own alert push, the Alertmanager API v2 `POST /api/v2/alerts` body: a list of `{labels,
 * annotations, startsAt, endsAt, generatorURL}` without a status. As Alertmanager reads it, an alert whose
 * `endsAt` has passed is resolved, any other is firing. type = label `alertname`; fingerprint = the label set's
 * (the same for the firing and the resolved push).
 */
import type { RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stringLabels, text } from './build-alert.js';

function isPostableAlert(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    isRecord(value['labels']) &&
    !('status' in value) &&
    ('generatorURL' in value || 'endsAt' in value)
  );
}

export function recognisePrometheusAlerts(body: unknown, now: number): RecognisedPayload | undefined {
  if (!Array.isArray(body) || body.length === 0 || !body.every(isPostableAlert)) return undefined;
  return {
    format: 'prometheus',
    results: body.map((item: Record<string, unknown>) => {
      const labels = stringLabels(item['labels']);
      const annotations = stringLabels(item['annotations']);
      const endsAt = Date.parse(text(item['endsAt']) ?? '');
      return buildAlert({
        type: labels['alertname'],
        status: Number.isFinite(endsAt) && endsAt <= now ? 'Resolved' : 'Firing',
        labels,
        description: annotations['description'] ?? annotations['summary'],
        startsAt: text(item['startsAt']),
        severity: labels['severity'],
        sender: 'prometheus',
      });
    }),
  };
}
