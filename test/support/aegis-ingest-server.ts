/**
 * Aegis's ingest path composed from its pieces, as `aegis serve` wires it: the HTTP server with the webhook
 * routes, the BullMQ ingest queue behind them and (optionally) the ingest worker writing AegisAlerts. Used by
 * the Alertmanager end-to-end test and the ingest benchmark until `startServe` wires the routes itself.
 */
import type { Logger } from '../../src/core/logger.js';
import { silentLogger } from '../../src/core/logger.js';
import {
  createIngestQueue,
  startIngestWorker,
  type AlertStore,
  type IngestQueue,
  type IngestWorker,
} from '../../src/controller/ingest/index.js';
import { createHttpServer, type HttpServer } from '../../src/http/index.js';
import { createMetricsRegistry } from '../../src/metrics/index.js';
import { registerWebhookRoutes } from '../../src/webhooks/index.js';

export interface AegisIngestServerOptions {
  redisUrl: string;
  /** BullMQ key prefix, the same for the queue and the worker. */
  prefix: string;
  /** Namespace of the AegisAlerts. */
  namespace: string;
  /** Where the worker writes AegisAlerts; no worker runs when omitted (routes and queue only). */
  store?: AlertStore;
  host?: string;
  port?: number;
  logger?: Logger;
  /** Worker concurrency (default 16). */
  concurrency?: number;
}

export interface AegisIngestServer {
  readonly url: string;
  readonly queue: IngestQueue;
  readonly worker: IngestWorker | undefined;
  readonly http: HttpServer;
  /** HTTP first, then the worker (finishing its jobs and flushing counts), then the queue. */
  close(): Promise<void>;
}

export async function startAegisIngestServer(options: AegisIngestServerOptions): Promise<AegisIngestServer> {
  const logger = options.logger ?? silentLogger;
  const dedupWindowSeconds = 600;
  const queue = createIngestQueue({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    logger,
    dedupWindowSeconds,
  });
  const worker =
    options.store === undefined
      ? undefined
      : startIngestWorker({
          redisUrl: options.redisUrl,
          prefix: options.prefix,
          logger,
          store: options.store,
          namespace: options.namespace,
          ttl: {},
          dedupWindowSeconds,
          concurrency: options.concurrency ?? 16,
        });
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const http = createHttpServer({ logger, metrics });
  registerWebhookRoutes(http.app, { intake: queue, metrics, logger });
  try {
    const url = await http.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    return {
      url,
      queue,
      worker,
      http,
      async close() {
        await http.close();
        await worker?.close();
        await queue.close();
      },
    };
  } catch (error) {
    await worker?.close();
    await queue.close();
    throw error;
  }
}
