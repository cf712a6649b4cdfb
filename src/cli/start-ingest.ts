import type { AegisConfig } from '../config/index.js';
import {
  createRedisSignatureReplayGuard,
  createIngestMetrics,
  createIngestQueue,
  registerQueueDepthGauge,
  startIngestWorker,
  startTtlSweeper,
} from '../controller/ingest/index.js';
import type { Logger } from '../core/logger.js';
import type { HttpServer } from '../http/index.js';
import { createAegisAlertStore, type KubeClients } from '../kube/index.js';
import type { MetricsRegistry } from '../metrics/index.js';
import { registerWebhookRoutes, type AlertParser } from '../webhooks/index.js';

export interface RunningIngest {
  /** Paths of the alert webhooks, as registered (with the route prefix). */
  readonly routes: readonly string[];
  /** Deliveries waiting in the ingest queue (for `/aegis status`). */
  depth(): Promise<number>;
  /** Stop taking work: worker (finishes its jobs and flushes counts), sweeper, then the queue. */
  close(): Promise<void>;
}

const seconds = (ms: number): number => Math.round(ms / 1_000);

/**
 * Alert ingest as `aegis serve` runs it: the webhook routes on the HTTP server feed the durable queue, the
 * worker turns deliveries into AegisAlerts, the sweeper deletes expired ones. Every replica runs all three.
 */
export async function startIngest(
  config: AegisConfig,
  dependencies: {
    logger: Logger;
    http: HttpServer;
    metrics: MetricsRegistry;
    kubeClients: KubeClients;
    redisUrl: string;
    /** Reads `/ai/alert` payloads no built-in format recognises. */
    alertParser?: AlertParser;
  },
): Promise<RunningIngest> {
  const { logger, redisUrl } = dependencies;
  const prefix = config.queuePrefix;
  const dedupWindowSeconds = seconds(config.dedupWindowMs);
  const ttl = {
    secondsAfterSuccess: seconds(config.alertTtlAfterSuccessMs),
    secondsAfterFailure: seconds(config.alertTtlAfterFailureMs),
    secondsAfterNoOps: seconds(config.alertTtlAfterNoOpsMs),
    secondsAfterUnmatched: seconds(config.alertTtlAfterUnmatchedMs),
  };
  const queue = createIngestQueue({ redisUrl, prefix, logger, dedupWindowSeconds });
  const metrics = createIngestMetrics(dependencies.metrics.registry);
  registerQueueDepthGauge(dependencies.metrics.registry, () => queue.depth());
  const store = createAegisAlertStore(dependencies.kubeClients);
  const worker = startIngestWorker({
    redisUrl,
    prefix,
    logger,
    store,
    namespace: config.namespace,
    systemParameters: config.systemParameters,
    ttl,
    concurrency: config.ingestConcurrency,
    dedupWindowSeconds,
    flushIntervalMs: config.countFlushIntervalMs,
    metrics,
  });
  let sweeper: Awaited<ReturnType<typeof startTtlSweeper>>;
  try {
    sweeper = await startTtlSweeper({
      redisUrl,
      prefix,
      store,
      namespace: config.namespace,
      defaults: ttl,
      now: () => new Date(),
      logger,
      metrics,
    });
  } catch (error) {
    await worker.close();
    await queue.close();
    throw error;
  }
  const replayGuard = createRedisSignatureReplayGuard({ redisUrl, prefix, logger });
  const routes = registerWebhookRoutes(dependencies.http.app, {
    intake: queue,
    metrics: dependencies.metrics,
    logger,
    auth: {
      ...(config.webhookTokens === undefined ? {} : { bearerTokens: config.webhookTokens }),
      ...(config.webhookHmacSecret === undefined ? {} : { hmacSecrets: [config.webhookHmacSecret] }),
      requireTimestamp: config.webhookHmacTimestamp === 'required',
    },
    replayGuard,
    alertBounds: { maxDetails: config.alertMaxDetails, maxDetailsBytes: config.alertMaxDetailsSize },
    bodyLimitBytes: config.webhookBodyLimit,
    ...(dependencies.alertParser === undefined ? {} : { alertParser: dependencies.alertParser }),
    ...(config.routePrefix === undefined ? {} : { routePrefix: config.routePrefix }),
  });
  return {
    routes,
    depth: () => queue.depth(),
    async close() {
      await worker.close();
      await sweeper.close();
      await queue.close();
      await replayGuard.close();
    },
  };
}
