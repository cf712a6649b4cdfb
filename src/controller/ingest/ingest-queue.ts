/**
 * The producer side of ingest: the webhook routes hand deliveries here and answer 2xx only once Redis holds
 * them. A request's deliveries are one entry of the intake stream (a single XADD, acknowledged when it
 * returns); the intake mover of the worker processes turns entries into BullMQ jobs (see intake-mover.ts), and
 * the worker applies each delivery id once, so a redelivery (a sender's retry) never counts twice.
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { defaultIngestQueueName, type IngestBatchJobData, type IngestDelivery } from './ingest-job.js';
import { ingestKeys } from './ingest-keys.js';
import { appendToIntake } from './intake-stream.js';
import { closeRedis, connectRedis } from './redis-connections.js';

export interface IngestQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix (tests use their own). */
  prefix: string;
  queueName?: string;
  logger: Logger;
  /** How long redeliveries are recognised (s): completed jobs and applied delivery ids are kept this long. */
  dedupWindowSeconds: number;
  /** `accept` rejects with QUEUE_UNAVAILABLE after this long (default 2000 ms). */
  acceptTimeoutMs?: number;
}

/** The port the webhook routes use (structurally the same as src/webhooks' AlertIntake). */
export interface IngestQueue {
  /** Resolves once Redis holds every delivery; rejects with QUEUE_UNAVAILABLE (retryable) otherwise. */
  accept(deliveries: IngestDelivery[]): Promise<void>;
  /** Work waiting: intake entries not yet moved (one per request) plus jobs waiting, active or delayed. */
  depth(): Promise<number>;
  close(): Promise<void>;
}

/** Retries and retention of the ingest jobs (the intake mover creates them with these defaults). */
export interface IngestJobRetention {
  dedupWindowSeconds: number;
  /** Attempts per job (default 10) with exponential backoff from `backoffMs` (default 1000 ms). */
  attempts?: number;
  backoffMs?: number;
  /** Failed jobs are kept this long for inspection (default 7 days). */
  keepFailedSeconds?: number;
}

export function ingestJobDefaults(options: IngestJobRetention): DefaultJobOptions {
  return {
    attempts: options.attempts ?? 10,
    backoff: { type: 'exponential', delay: options.backoffMs ?? 1_000 },
    removeOnComplete: { age: options.dedupWindowSeconds },
    removeOnFail: { age: options.keepFailedSeconds ?? 7 * 24 * 3600 },
  };
}

export function createIngestQueue(options: IngestQueueOptions): IngestQueue {
  const logger = options.logger.child({ component: 'ingest-queue' });
  const acceptTimeoutMs = options.acceptTimeoutMs ?? 2_000;
  const queueName = options.queueName ?? defaultIngestQueueName;
  const streamKey = ingestKeys(options.prefix, queueName).intake;
  // Fail fast when Redis is away: no offline queue, one try per command, a bounded connect.
  const connection = connectRedis(options.redisUrl, logger, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: acceptTimeoutMs,
  });
  // Without an offline queue a command fails until the first connect completes: the first requests wait for
  // it (bounded by the accept timeout); later, while Redis is away, commands fail at once (503).
  const firstConnect = new Promise<void>((resolve) => {
    if (connection.status === 'ready') resolve();
    else connection.once('ready', () => resolve());
  });
  // Only read here (depth); jobs are added by the intake mover.
  const queue = new Queue<IngestBatchJobData>(queueName, { connection, prefix: options.prefix });
  queue.on('error', (error: Error) => logger.debug({ err: error.message }, 'ingest queue error'));

  return {
    async accept(deliveries) {
      if (deliveries.length === 0) return;
      try {
        await withTimeout(
          (async () => {
            await firstConnect;
            await appendToIntake(connection, streamKey, deliveries);
          })(),
          acceptTimeoutMs,
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn({ err: reason, deliveries: deliveries.length }, 'ingest queue cannot take alerts');
        throw new AegisError('QUEUE_UNAVAILABLE', `the ingest queue cannot take alerts: ${reason}`, {
          retryable: true,
          userMessage: 'the alert queue is unavailable, try again later',
          cause: error,
        });
      }
    },
    async depth() {
      const [entries, jobs] = await withTimeout(
        Promise.all([
          firstConnect.then(async () => await connection.xlen(streamKey)),
          queue.getJobCountByTypes('wait', 'active', 'delayed', 'prioritized'),
        ]),
        acceptTimeoutMs,
      );
      return entries + jobs;
    },
    async close() {
      await queue.close();
      await closeRedis(connection);
    },
  };
}

/** Rejects after `ms` (the operation itself may still finish later: a job id makes that harmless). */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
