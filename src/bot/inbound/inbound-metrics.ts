/** Metrics of the inbound Slack half: requests by kind and outcome, listener failures. */
import { sharedCounter, type MetricsRegistry } from '../../metrics/index.js';

export type SlackRequestKind = 'event' | 'command' | 'interaction' | 'url_verification' | 'other';
export type SlackRequestOutcome =
  'accepted' | 'bad_signature' | 'stale_timestamp' | 'missing_headers' | 'bad_request' | 'failed';

export interface InboundMetrics {
  request(kind: SlackRequestKind, outcome: SlackRequestOutcome): void;
  listenerFailed(listener: string): void;
}

export function createInboundMetrics(metrics: MetricsRegistry): InboundMetrics {
  const registry = metrics.registry;
  const requests = sharedCounter(registry, {
    name: 'aegis_slack_inbound_requests_total',
    help: 'Requests from Slack (HTTP mode), by kind and outcome (signature refusals included).',
    labelNames: ['kind', 'outcome'] as const,
  });
  const failures = sharedCounter(registry, {
    name: 'aegis_slack_listener_failures_total',
    help: 'Slack listeners (commands, buttons, events) that failed with an unexpected error.',
    labelNames: ['listener'] as const,
  });
  return {
    request: (kind, outcome) => requests.inc({ kind, outcome }),
    listenerFailed: (listener) => failures.inc({ listener }),
  };
}
