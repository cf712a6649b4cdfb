import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { MetricsRegistry } from '../../metrics/index.js';

export interface NotifierMetrics {
  /** A Slack call and how it ended (`ok`, `rate_limited`, or Slack's error code). */
  call(method: string, outcome: string): void;
  /** A write that had to wait: for a token (`rate-limit`) or for a 429's Retry-After (`retry-after`). */
  deferred(reason: 'rate-limit' | 'retry-after'): void;
}

export function createNotifierMetrics(metrics: MetricsRegistry | undefined): NotifierMetrics {
  if (metrics === undefined) return { call: () => undefined, deferred: () => undefined };
  const registry = metrics.registry;
  const calls = getOrCreate(
    registry,
    'aegis_slack_api_calls_total',
    () =>
      new Counter({
        name: 'aegis_slack_api_calls_total',
        help: 'Slack Web API calls of the notifier by method and outcome.',
        labelNames: ['method', 'outcome'],
        registers: [registry],
      }),
  );
  const deferred = getOrCreate(
    registry,
    'aegis_slack_writes_deferred_total',
    () =>
      new Counter({
        name: 'aegis_slack_writes_deferred_total',
        help: 'Slack writes put back for later: no rate-limit token yet, or a 429 Retry-After.',
        labelNames: ['reason'],
        registers: [registry],
      }),
  );
  return {
    call: (method, outcome) => calls.inc({ method, outcome }),
    deferred: (reason) => deferred.inc({ reason }),
  };
}

function getOrCreate(registry: Registry, name: string, create: () => Counter): Counter {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Counter ? existing : create();
}
