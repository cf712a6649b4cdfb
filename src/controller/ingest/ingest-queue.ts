/**
 * The producer side of ingest: the webhook routes hand deliveries here and answer 2xx only once Redis holds
 * them. One BullMQ job per delivery id, so a redelivery (a sender's retry) is the same job, not a second one.
 */
import { Queue } from 'bullmq';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import {
  defaultIngestQueueName,
  ingestJobName,
  type IngestDelivery,
  type IngestJobData,
} from './ingest-job.js';
import { closeRedis, connectRedis } from './redis-connections.js';

export interface IngestQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix (tests use their own). */
  prefix: string;
  queueName?: string;
  logger: Logger;
  /** Completed jobs are kept this long, so redeliveries within the window stay one job. */
  dedupWindowSeconds: number;
  /** `accept` rejects with QUEUE_UNAVAILABLE after this long (default 2000 ms). */
  acceptTimeoutMs?: number;
  /** Attempts per job (default 10) with exponential backoff from `backoffMs` (default 1000 ms). */
  attempts?: number;
  backoffMs?: number;
  /** Failed jobs are kept this long for inspection (default 7 days). */
  keepFailedSeconds?: number;
}

/** The port the webhook routes use (structurally the same as src/webhooks' AlertIntake). */
export interface IngestQueue {
  /** Resolves once Redis holds a job for every delivery; rejects with QUEUE_UNAVAILABLE (retryable) otherwise. */
  accept(deliveries: IngestDelivery[]): Promise<void>;
  /** Jobs waiting, active or delayed. */
  depth(): Promise<number>;
  close(): Promise<void>;
}

export function createIngestQueue(options: IngestQueueOptions): IngestQueue {
  const logger = options.logger.child({ component: 'ingest-queue' });
  const acceptTimeoutMs = options.acceptTimeoutMs ?? 2_000;
  // Fail fast when Redis is away: no offline queue, one try per command, a bounded connect.
  const connection = connectRedis(options.redisUrl, logger, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: acceptTimeoutMs,
  });
  const queue = new Queue<IngestJobData>(options.queueName ?? defaultIngestQueueName, {
    connection,
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: options.attempts ?? 10,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1_000 },
      removeOnComplete: { age: options.dedupWindowSeconds },
      removeOnFail: { age: options.keepFailedSeconds ?? 7 * 24 * 3600 },
    },
  });
  queue.on('error', (error: Error) => logger.debug({ err: error.message }, 'ingest queue error'));

  return {
    async accept(deliveries) {
      if (deliveries.length === 0) return;
      const jobs = deliveries.map((delivery) => ({
        name: ingestJobName,
        data: delivery.alert,
        opts: { jobId: delivery.deliveryId },
      }));
      try {
        await withTimeout(queue.addBulk(jobs), acceptTimeoutMs);
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
      return await withTimeout(
        queue.getJobCountByTypes('wait', 'active', 'delayed', 'prioritized'),
        acceptTimeoutMs,
      );
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
