/**
 * Grafana unified alerting webhook (contact point "Webhook"): `{receiver, status, orgId, alerts[], groupLabels,
 * commonLabels, commonAnnotations, externalURL, version: "1", groupKey, truncatedAlerts, title, state,
 * message}`; each alert `{status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint, silenceURL,
 * dashboardURL, panelURL, values, valueString}`. Recognised by `orgId` / `state` / `truncatedAlerts` next to
 * `alerts`, or Grafana's per-alert URLs. type = label `alertname` (Grafana sets it to the rule title);
 * fingerprint = Grafana's (stable per alert instance).
 */
import type { Labels, RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stringLabels, text } from './build-alert.js';

function isGrafanaAlert(item: unknown): boolean {
  return (
    isRecord(item) &&
    isRecord(item['labels']) &&
    ('silenceURL' in item || 'dashboardURL' in item || 'valueString' in item)
  );
}

export function recogniseGrafana(body: unknown): RecognisedPayload | undefined {
  if (!isRecord(body) || !Array.isArray(body['alerts'])) return undefined;
  const alerts: unknown[] = body['alerts'];
  const grafanaEnvelope =
    'orgId' in body || 'truncatedAlerts' in body || ('state' in body && 'title' in body);
  if (!grafanaEnvelope && !alerts.some(isGrafanaAlert)) return undefined;
  const common = stringLabels(body['commonLabels']);
  return {
    format: 'grafana',
    results: alerts.map((item, index) => {
      if (!isRecord(item)) return { path: `alerts[${index}]`, reason: 'must be an alert object' };
      const labels: Labels = { ...common, ...stringLabels(item['labels']) };
      const annotations = stringLabels(item['annotations']);
      const status = (text(item['status']) ?? text(body['status']) ?? 'firing').toLowerCase();
      return buildAlert({
        type: labels['alertname'] ?? labels['rulename'],
        status: status === 'resolved' ? 'Resolved' : 'Firing',
        labels,
        description: annotations['description'] ?? annotations['summary'] ?? text(item['valueString']),
        fingerprint: text(item['fingerprint']),
        startsAt: text(item['startsAt']),
        severity: labels['severity'],
        sender: 'grafana',
      });
    }),
  };
}
