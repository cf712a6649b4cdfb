import { sharedCounter, type MetricsRegistry } from '../../metrics/index.js';

export interface NotifierMetrics {
  /** A Slack call and how it ended (`ok`, `rate_limited`, or Slack's error code). */
  call(method: string, outcome: string): void;
  /** A write that had to wait: for a token (`rate-limit`) or for a 429's Retry-After (`retry-after`). */
  deferred(reason: 'rate-limit' | 'retry-after'): void;
}

export function createNotifierMetrics(metrics: MetricsRegistry | undefined): NotifierMetrics {
  if (metrics === undefined) return { call: () => undefined, deferred: () => undefined };
  const registry = metrics.registry;
  const calls = sharedCounter(registry, {
    name: 'aegis_slack_api_calls_total',
    help: 'Slack Web API calls of the notifier by method and outcome.',
    labelNames: ['method', 'outcome'],
  });
  const deferred = sharedCounter(registry, {
    name: 'aegis_slack_writes_deferred_total',
    help: 'Slack writes put back for later: no rate-limit token yet, or a 429 Retry-After.',
    labelNames: ['reason'],
  });
  return {
    call: (method, outcome) => calls.inc({ method, outcome }),
    deferred: (reason) => deferred.inc({ reason }),
  };
}
