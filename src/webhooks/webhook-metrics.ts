import { sharedCounter, sharedGauge, sharedHistogram, type MetricsRegistry } from '../metrics/index.js';
import type { Logger } from '../core/logger.js';
import type { AlertIntake } from '../core/ports/index.js';

/** Why an alert (or a whole request, when its alerts cannot be counted) was refused: a small fixed set. */
export type RefusalReason =
  'validation' | 'auth' | 'too_large' | 'unsupported_media_type' | 'queue_unavailable' | 'unparseable';

/** The `source` label: which route (format) the alerts came in on. */
export type WebhookSource = 'alertmanager' | 'default' | 'ai';

export interface WebhookMetrics {
  received(source: WebhookSource, count: number): void;
  accepted(source: WebhookSource, count: number): void;
  refused(source: WebhookSource, reason: RefusalReason, count: number): void;
  request(route: string, code: number): void;
  acceptSeconds(source: WebhookSource, seconds: number): void;
}

/**
 * The webhook metrics, on the process's registry. Counting rule: `received = accepted + refused`. Alerts are
 * counted one by one once the body is read; a request refused before its alerts can be counted (auth, too
 * large, wrong media type, unreadable) counts as one received and one refused.
 */
export function createWebhookMetrics(
  metrics: MetricsRegistry,
  intake: AlertIntake,
  logger: Logger,
): WebhookMetrics {
  const registry = metrics.registry;
  const received = sharedCounter(registry, {
    name: 'aegis_webhook_alerts_received_total',
    help: 'Alerts received on the webhook routes, by source.',
    labelNames: ['source'] as const,
  });
  const accepted = sharedCounter(registry, {
    name: 'aegis_webhook_alerts_accepted_total',
    help: 'Alerts durably queued (acknowledged to the sender), by source.',
    labelNames: ['source'] as const,
  });
  const refused = sharedCounter(registry, {
    name: 'aegis_webhook_alerts_refused_total',
    help: 'Alerts (or whole requests) refused, by source and reason.',
    labelNames: ['source', 'reason'] as const,
  });
  const requests = sharedCounter(registry, {
    name: 'aegis_webhook_requests_total',
    help: 'Requests to the webhook routes, by route and HTTP status code.',
    labelNames: ['route', 'code'] as const,
  });
  const acceptSeconds = sharedHistogram(registry, {
    name: 'aegis_webhook_accept_seconds',
    help: 'Time from receiving a webhook request to the queue holding its alerts, by source.',
    labelNames: ['source'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  });
  sharedGauge(registry, {
    name: 'aegis_webhook_queue_depth',
    help: 'Alerts accepted by the webhooks and waiting in the ingest queue.',
    async collect() {
      try {
        this.set(await intake.depth());
      } catch (error) {
        // A scrape must not fail because Redis is away; the gauge keeps its last value.
        logger.debug({ err: error }, 'cannot read the ingest queue depth');
      }
    },
  });
  return {
    received(source, count) {
      if (count > 0) received.inc({ source }, count);
    },
    accepted(source, count) {
      if (count > 0) accepted.inc({ source }, count);
    },
    refused(source, reason, count) {
      if (count > 0) refused.inc({ source, reason }, count);
    },
    request(route, code) {
      requests.inc({ route, code: String(code) });
    },
    acceptSeconds(source, seconds) {
      acceptSeconds.observe({ source }, seconds);
    },
  };
}
