/** Metrics of the inbound Slack half: requests by kind and outcome, listener failures. */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { MetricsRegistry } from '../../metrics/index.js';

export type SlackRequestKind = 'event' | 'command' | 'interaction' | 'url_verification' | 'other';
export type SlackRequestOutcome =
  'accepted' | 'bad_signature' | 'stale_timestamp' | 'missing_headers' | 'bad_request' | 'failed';

export interface InboundMetrics {
  request(kind: SlackRequestKind, outcome: SlackRequestOutcome): void;
  listenerFailed(listener: string): void;
}

function existing<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createInboundMetrics(metrics: MetricsRegistry): InboundMetrics {
  const registry = metrics.registry;
  const requests = existing(
    registry,
    'aegis_slack_inbound_requests_total',
    () =>
      new Counter({
        name: 'aegis_slack_inbound_requests_total',
        help: 'Requests from Slack (HTTP mode), by kind and outcome (signature refusals included).',
        labelNames: ['kind', 'outcome'] as const,
        registers: [registry],
      }),
  );
  const failures = existing(
    registry,
    'aegis_slack_listener_failures_total',
    () =>
      new Counter({
        name: 'aegis_slack_listener_failures_total',
        help: 'Slack listeners (commands, buttons, events) that failed with an unexpected error.',
        labelNames: ['listener'] as const,
        registers: [registry],
      }),
  );
  return {
    request: (kind, outcome) => requests.inc({ kind, outcome }),
    listenerFailed: (listener) => failures.inc({ listener }),
  };
}
