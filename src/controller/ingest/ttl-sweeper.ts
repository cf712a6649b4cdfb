/**
 * Deletes AegisAlerts whose TTL has passed (see alert-expiry.ts). The sweep is a BullMQ job scheduler: every
 * replica upserts the same scheduler and runs a worker, and each interval's job runs in one of them.
 */
import { Queue, Worker } from 'bullmq';
import type { Logger } from '../../core/logger.js';
import { isConflict, type AlertStore } from '../../core/ports/index.js';
import { alertExpiresAt, type AlertTtlDefaults } from './alert-expiry.js';
import { noopIngestMetrics, type IngestMetrics } from './ingest-metrics.js';
import { closeRedis, connectRedis } from './redis-connections.js';

export interface SweepOptions {
  store: AlertStore;
  namespace: string;
  defaults: AlertTtlDefaults;
  now: () => Date;
  metrics?: IngestMetrics;
  logger: Logger;
}

/** One sweep: delete every expired alert of the namespace; resolves to the names deleted. */
export async function sweepExpiredAlerts(options: SweepOptions): Promise<string[]> {
  const { store, namespace, logger } = options;
  const metrics = options.metrics ?? noopIngestMetrics;
  const now = options.now().getTime();
  const deleted: string[] = [];
  for (const alert of await store.list(namespace)) {
    const expiresAt = alertExpiresAt(alert, options.defaults);
    const name = alert.metadata.name;
    if (expiresAt === undefined || expiresAt > now || name === undefined) continue;
    const { resourceVersion, uid } = alert.metadata;
    try {
      // Preconditions: an alert that changed since the list (e.g. ops restarted) is judged again next sweep.
      const gone = await store.delete(namespace, name, {
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
        ...(uid === undefined ? {} : { uid }),
      });
      if (!gone) continue;
    } catch (error) {
      if (isConflict(error)) continue;
      throw error;
    }
    deleted.push(name);
    metrics.alertExpired();
    logger.info({ alert: name, expiredAt: new Date(expiresAt).toISOString() }, 'deleted expired AegisAlert');
  }
  return deleted;
}

export interface TtlSweeperOptions extends SweepOptions {
  redisUrl: string;
  prefix: string;
  /** Default `aegis-alert-ttl`. */
  queueName?: string;
  /** Sweep interval (default 60 s). */
  everyMs?: number;
}

export interface TtlSweeper {
  close(): Promise<void>;
}

const schedulerId = 'alert-ttl-sweep';

export async function startTtlSweeper(options: TtlSweeperOptions): Promise<TtlSweeper> {
  const logger = options.logger.child({ component: 'ttl-sweeper' });
  const queueName = options.queueName ?? 'aegis-alert-ttl';
  const connection = connectRedis(options.redisUrl, logger, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix: options.prefix });
  queue.on('error', (error: Error) => logger.debug({ err: error.message }, 'ttl queue error'));
  await queue.upsertJobScheduler(
    schedulerId,
    { every: options.everyMs ?? 60_000 },
    { name: 'sweep', opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } } },
  );
  const worker = new Worker(
    queueName,
    async () => (await sweepExpiredAlerts({ ...options, logger })).length,
    { connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('error', (error: Error) => logger.warn({ err: error.message }, 'ttl worker error'));
  worker.on('failed', (_job, error: Error) => logger.warn({ err: error.message }, 'ttl sweep failed'));
  return {
    async close() {
      await worker.close();
      await queue.close();
      await closeRedis(connection);
    },
  };
}
