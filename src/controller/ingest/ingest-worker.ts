/**
 * The consumer side of ingest: a BullMQ worker that upserts the AegisAlert of each delivery (see
 * upsert-alert.ts), plus this process's count flusher. Run it in as many processes as you like.
 */
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AegisAlertTtlStrategy } from '../../core/alerts/index.js';
import { isAegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AlertStore } from './alert-store.js';
import { startCountFlusher } from './count-flusher.js';
import type { LockOptions } from './fingerprint-lock.js';
import { defaultIngestQueueName, type IngestJobData } from './ingest-job.js';
import { ingestKeys } from './ingest-keys.js';
import { noopIngestMetrics, type IngestMetrics } from './ingest-metrics.js';
import { IngestState } from './ingest-state.js';
import { closeRedis, connectRedis } from './redis-connections.js';
import { createAlertUpserter, type UpsertOutcome } from './upsert-alert.js';

export interface IngestWorkerOptions {
  redisUrl: string;
  /** Same prefix and queue name as the queue the routes write to. */
  prefix: string;
  queueName?: string;
  logger: Logger;
  store: AlertStore;
  /** Namespace of the AegisAlerts (AEGIS_NAMESPACE). */
  namespace: string;
  /** Annotations of every created alert (AEGIS_SYSTEM_PARAMETERS). */
  systemParameters?: Readonly<Record<string, string>>;
  /** `spec.ttlStrategy` of created alerts (AEGIS_ALERT_TTL_*). */
  ttl: AegisAlertTtlStrategy;
  /** Jobs processed at once by this process (default 16). */
  concurrency?: number;
  /** How long an applied delivery is remembered (s); the queue's dedup window. */
  dedupWindowSeconds: number;
  /** Count flush interval (default 250 ms). */
  flushIntervalMs?: number;
  /** At most one count write per alert per this long, across processes (default 1000 ms). */
  minAlertFlushGapMs?: number;
  /** Life of the "active alert of a fingerprint" cache (default 3000 ms). */
  activeCacheMs?: number;
  lock?: LockOptions;
  metrics?: IngestMetrics;
  now?: () => Date;
  /** Upstream's `uuid` label (default random UUIDs; null leaves the label out). */
  newId?: (() => string) | null;
}

export interface IngestWorker {
  /** Write pending counts now (tests, shutdown); resolves to the number of status writes. */
  flush(): Promise<number>;
  /** Stop taking jobs, finish the ones in progress, flush, and close the connections. */
  close(): Promise<void>;
}

export function startIngestWorker(options: IngestWorkerOptions): IngestWorker {
  const logger = options.logger.child({ component: 'ingest-worker' });
  const queueName = options.queueName ?? defaultIngestQueueName;
  const metrics = options.metrics ?? noopIngestMetrics;
  const now = options.now ?? (() => new Date());
  const redis = connectRedis(options.redisUrl, logger);
  const state = new IngestState(redis, ingestKeys(options.prefix, queueName), {
    // At least as long as a job can keep retrying, so a late retry never counts twice.
    seenTtlSeconds: Math.max(options.dedupWindowSeconds, 3_600),
    ...(options.activeCacheMs === undefined ? {} : { activeCacheMs: options.activeCacheMs }),
    ...(options.lock === undefined ? {} : { lock: options.lock }),
  });
  const newId = options.newId === null ? undefined : (options.newId ?? randomUUID);
  const upserter = createAlertUpserter({
    store: options.store,
    state,
    namespace: options.namespace,
    systemParameters: options.systemParameters ?? {},
    ttl: options.ttl,
    now,
    ...(newId === undefined ? {} : { newId }),
    metrics,
    logger,
  });
  const flusher = startCountFlusher({
    state,
    store: options.store,
    namespace: options.namespace,
    ...(options.flushIntervalMs === undefined ? {} : { intervalMs: options.flushIntervalMs }),
    ...(options.minAlertFlushGapMs === undefined ? {} : { minAlertGapMs: options.minAlertFlushGapMs }),
    metrics,
    logger,
  });

  const processJob = async (job: Job<IngestJobData>): Promise<UpsertOutcome> => {
    const deliveryId = job.id ?? job.name;
    try {
      return await upserter.upsert(job.data, deliveryId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isAegisError(error) && !error.retryable) {
        logger.error({ err: reason, code: error.code, job: deliveryId }, 'ingest job failed for good');
        throw new UnrecoverableError(reason);
      }
      logger.warn(
        { err: reason, job: deliveryId, attempt: job.attemptsMade + 1 },
        'ingest job failed, will retry',
      );
      throw error;
    }
  };

  // BullMQ needs maxRetriesPerRequest: null on the worker's (blocking) connection.
  const workerConnection = connectRedis(options.redisUrl, logger, { maxRetriesPerRequest: null });
  const worker = new Worker<IngestJobData, UpsertOutcome>(queueName, processJob, {
    connection: workerConnection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 16,
  });
  worker.on('error', (error: Error) => logger.warn({ err: error.message }, 'ingest worker error'));

  let closing: Promise<void> | undefined;
  return {
    flush: () => flusher.flushOnce({ force: true }),
    close() {
      closing ??= (async () => {
        await worker.close();
        await flusher.stop();
        try {
          await flusher.flushOnce({ force: true });
        } catch (error) {
          logger.warn({ err: String(error) }, 'final count flush failed');
        }
        await closeRedis(workerConnection);
        await closeRedis(redis);
      })();
      return closing;
    },
  };
}
