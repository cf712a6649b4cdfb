/**
 * Tries the deterministic recognisers in order (most specific first) and returns the first that claims the
 * payload. Alertmanager and the custom format are recognised by the `/ai/alert` route itself before the parser
 * is called. Common envelopes are unwrapped when nothing claims the payload as it is: an event under an `event`
 * key, an SNS notification whose message is JSON, and a list of events (each recognised on its own).
 */
import type { RecognisedPayload } from './build-alert.js';
import { isRecord } from './build-alert.js';
import { recogniseCloudWatchSns, snsMessage } from './cloudwatch-sns-format.js';
import { recogniseDatadog } from './datadog-format.js';
import { recogniseGeneric } from './generic-format.js';
import { recogniseGrafana } from './grafana-format.js';
import { recogniseKubernetesEvent } from './kubernetes-event-format.js';
import { recogniseOpsgenie } from './opsgenie-format.js';
import { recognisePagerDuty } from './pagerduty-format.js';
import { recognisePrometheusAlerts } from './prometheus-alerts-format.js';
import { recogniseZabbix } from './zabbix-format.js';

export const recognisers: readonly ((body: unknown, now: number) => RecognisedPayload | undefined)[] = [
  recogniseGrafana,
  recognisePagerDuty,
  recogniseOpsgenie,
  recogniseCloudWatchSns,
  recognisePrometheusAlerts,
  recogniseKubernetesEvent,
  recogniseDatadog,
  recogniseZabbix,
  recogniseGeneric,
];

const maxDepth = 3;

/** `now` (ms) decides whether a Prometheus alert's `endsAt` has passed. */
export function recognisePayload(
  body: unknown,
  now: number = Date.now(),
  depth = 0,
): RecognisedPayload | undefined {
  for (const recognise of recognisers) {
    const result = recognise(body, now);
    if (result !== undefined) return result;
  }
  if (depth >= maxDepth) return undefined;
  if (isRecord(body) && isRecord(body['event'])) return recognisePayload(body['event'], now, depth + 1);
  const message = snsMessage(body);
  if (message !== undefined) return recognisePayload(message, now, depth + 1);
  if (Array.isArray(body) && body.length > 0) {
    const parts = body.map((item) => recognisePayload(item, now, depth + 1));
    if (parts.some((part) => part === undefined)) return undefined;
    const recognised = parts as RecognisedPayload[];
    return {
      format: [...new Set(recognised.map((part) => part.format))].join('+'),
      results: recognised.flatMap((part) => part.results),
    };
  }
  return undefined;
}
