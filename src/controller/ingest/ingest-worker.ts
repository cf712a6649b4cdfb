/**
 * The consumer side of ingest: this process's intake mover (stream → BullMQ jobs, see intake-mover.ts), a
 * BullMQ worker that upserts the AegisAlert of each delivery of a job (see upsert-alert.ts), and the count
 * flusher. Run it in as many processes as you like.
 *
 * A job holds several deliveries. They are grouped by fingerprint: groups run in parallel (at most
 * `concurrency` upserts at once in this process), a group's deliveries in the order they were accepted. Every
 * delivery is applied at most once by its id (seen markers, the first-delivery annotation), so a job retried
 * after some of its deliveries were applied only applies the rest.
 */
import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AegisAlertTtlStrategy } from '../../core/alerts/index.js';
import { isAegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createSemaphore } from '../../core/semaphore.js';
import type { AlertStore } from '../../core/ports/index.js';
import { startCountFlusher } from './count-flusher.js';
import type { LockOptions } from './fingerprint-lock.js';
import {
  defaultIngestQueueName,
  ingestBatchJobName,
  type IngestBatchJobData,
  type IngestDelivery,
} from './ingest-job.js';
import { ingestKeys } from './ingest-keys.js';
import { noopIngestMetrics, type IngestMetrics } from './ingest-metrics.js';
import { ingestJobDefaults } from './ingest-queue.js';
import { IngestState } from './ingest-state.js';
import { startIntakeMover, type IntakeMover } from './intake-mover.js';
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
  /** Deliveries upserted at once by this process, across its jobs (default 16). */
  concurrency?: number;
  /** Run this process's intake mover (default true). */
  mover?: boolean;
  /** Deliveries per job made by the mover (default 100). */
  maxJobDeliveries?: number;
  /** Intake entries left pending this long by a crashed mover are taken over (default 30 s). */
  intakeClaimIdleMs?: number;
  /** Attempts per job (default 10) with exponential backoff from `backoffMs` (default 1000 ms). */
  attempts?: number;
  backoffMs?: number;
  /** Failed jobs are kept this long for inspection (default 7 days). */
  keepFailedSeconds?: number;
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

  const concurrency = options.concurrency ?? 16;
  const semaphore = createSemaphore(concurrency);
  const limit = <T>(work: () => Promise<T>): Promise<T> => semaphore.run(work);

  const failure = (error: unknown, deliveryId: string, attempt: number): { retryable: boolean } => {
    const reason = error instanceof Error ? error.message : String(error);
    if (isAegisError(error) && !error.retryable) {
      const code = error.code;
      logger.error({ err: reason, code, delivery: deliveryId }, 'ingest delivery failed for good');
      return { retryable: false };
    }
    logger.warn({ err: reason, delivery: deliveryId, attempt }, 'ingest delivery failed, will retry');
    return { retryable: true };
  };

  const processBatch = async (job: Job<IngestBatchJobData>): Promise<BatchTally> => {
    const groups = new Map<string, IngestDelivery[]>();
    for (const delivery of job.data.deliveries) {
      const group = groups.get(delivery.alert.fingerprint);
      if (group === undefined) groups.set(delivery.alert.fingerprint, [delivery]);
      else group.push(delivery);
    }
    const tally: BatchTally = {};
    const retryable: string[] = [];
    const terminal: string[] = [];
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const { alert, deliveryId, sequence } of group) {
          try {
            const outcome = await limit(() => upserter.upsert(alert, deliveryId, sequence));
            tally[outcome] = (tally[outcome] ?? 0) + 1;
          } catch (error) {
            if (!failure(error, deliveryId, job.attemptsMade + 1).retryable) {
              terminal.push(deliveryId); // as a job of its own would: given up, the others go on
              continue;
            }
            // The rest of this fingerprint waits for the retry, so its deliveries stay in order.
            retryable.push(deliveryId);
            return;
          }
        }
      }),
    );
    if (retryable.length > 0) {
      throw new Error(`${retryable.length} of ${job.data.deliveries.length} deliveries to retry`);
    }
    if (terminal.length > 0) {
      throw new UnrecoverableError(`deliveries failed for good: ${terminal.join(', ')}`);
    }
    return tally;
  };

  const processJob = async (job: Job<IngestBatchJobData>): Promise<BatchTally> => {
    if (job.name !== ingestBatchJobName)
      throw new UnrecoverableError(
        `unknown ingest job "${job.name}" (only "${ingestBatchJobName}" jobs exist)`,
      );
    return await processBatch(job);
  };

  // BullMQ needs maxRetriesPerRequest: null on the worker's (blocking) connection.
  const workerConnection = connectRedis(options.redisUrl, logger, { maxRetriesPerRequest: null });
  const worker = new Worker<IngestBatchJobData, BatchTally>(queueName, processJob, {
    connection: workerConnection,
    prefix: options.prefix,
    concurrency,
  });
  worker.on('error', (error: Error) => logger.warn({ err: error.message }, 'ingest worker error'));

  let mover: IntakeMover | undefined;
  let moverQueue: Queue<IngestBatchJobData> | undefined;
  const moverConnection = (options.mover ?? true) ? connectRedis(options.redisUrl, logger) : undefined;
  if (moverConnection !== undefined) {
    moverQueue = new Queue<IngestBatchJobData>(queueName, {
      connection: moverConnection,
      prefix: options.prefix,
      defaultJobOptions: ingestJobDefaults({
        dedupWindowSeconds: options.dedupWindowSeconds,
        ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
        ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
        ...(options.keepFailedSeconds === undefined ? {} : { keepFailedSeconds: options.keepFailedSeconds }),
      }),
    });
    moverQueue.on('error', (error: Error) => logger.debug({ err: error.message }, 'mover queue error'));
    mover = startIntakeMover({
      redisUrl: options.redisUrl,
      streamKey: ingestKeys(options.prefix, queueName).intake,
      queue: moverQueue,
      logger,
      ...(options.maxJobDeliveries === undefined ? {} : { maxJobDeliveries: options.maxJobDeliveries }),
      ...(options.intakeClaimIdleMs === undefined ? {} : { claimIdleMs: options.intakeClaimIdleMs }),
    });
  }

  let closing: Promise<void> | undefined;
  return {
    flush: () => flusher.flushOnce({ force: true }),
    close() {
      closing ??= (async () => {
        await mover?.stop();
        await moverQueue?.close();
        if (moverConnection !== undefined) await closeRedis(moverConnection);
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

/** Outcomes of the deliveries of a job (the job's return value). */
export type BatchTally = Partial<Record<UpsertOutcome, number>>;
