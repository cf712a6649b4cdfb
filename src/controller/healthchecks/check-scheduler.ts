/**
 * `spec.schedule` of AegisClusterHealthChecks as BullMQ job schedulers: one scheduler per check (id
 * `<namespace>.<name>`) in Redis, shared by every replica. Redis holds the schedule, so it survives restarts;
 * each firing is one job, taken by one worker whatever the number of replicas; and BullMQ only creates the next
 * job when the current one starts, so a schedule missed while Aegis was down runs once when it is back, not
 * once per missed time. The worker does not run the round itself: it asks for one (`onFire`) and the cluster
 * check reconciler, which owns the status, starts it.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.js';
import type { RedisConnections } from '../../platform/index.js';
import { silentLogger } from '../../core/logger.js';

export const checkScheduleQueueName = 'aegis-healthcheck-schedule';

export interface ScheduleJobData {
  readonly namespace: string;
  readonly name: string;
}

export interface CheckScheduler {
  /** Make the scheduler of this check match `pattern` (a validated cron expression); undefined removes it. */
  sync(namespace: string, name: string, pattern: string | undefined): Promise<void>;
  /** The schedulers in Redis (for clean-up and for tests). */
  list(): Promise<{ id: string; pattern: string | undefined; next: number | undefined }[]>;
  close(): Promise<void>;
}

export interface CheckSchedulerOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  /** A scheduled time came: ask for a round. Throwing retries the job. */
  readonly onFire: (check: ScheduleJobData, scheduledAt: Date) => Promise<void>;
  readonly timeZone?: string;
  /** The process's connection factory (named, counted connections); private connections when omitted. */
  readonly redis?: RedisConnections;
  readonly logger?: Logger;
}

export function scheduleId(namespace: string, name: string): string {
  // Namespaces are DNS labels (no dots), so the first dot separates the two.
  return `${namespace}.${name}`;
}

export async function startCheckScheduler(options: CheckSchedulerOptions): Promise<CheckScheduler> {
  const logger = (options.logger ?? silentLogger).child({ component: 'health-check-scheduler' });
  const commands =
    options.redis?.open('healthcheck-schedule:queue', 'blocking') ??
    new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection =
    options.redis?.open('healthcheck-schedule:worker', 'blocking') ??
    new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const onError = (error: unknown): void => logger.warn({ err: error }, 'redis connection error');
  commands.on('error', onError);
  workerConnection.on('error', onError);
  const queue = new Queue<ScheduleJobData>(checkScheduleQueueName, {
    connection: commands,
    prefix: options.prefix,
  });
  queue.on('error', onError);
  const worker = new Worker<ScheduleJobData>(
    checkScheduleQueueName,
    async (job) => {
      const scheduledAt = new Date(
        job.opts.delay === undefined ? job.timestamp : job.timestamp + job.opts.delay,
      );
      logger.info(
        { check: `${job.data.namespace}/${job.data.name}`, scheduledAt },
        'scheduled health-check round',
      );
      await options.onFire(job.data, scheduledAt);
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: 4 },
  );
  worker.on('error', onError);
  worker.on('failed', (job, error) =>
    logger.warn(
      { err: error, check: job === undefined ? undefined : `${job.data.namespace}/${job.data.name}` },
      'scheduled round could not start',
    ),
  );
  await worker.waitUntilReady();
  const timeZone = options.timeZone ?? 'UTC';
  const template = (data: ScheduleJobData) => ({
    name: 'round',
    data,
    opts: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: 100,
      removeOnFail: 100,
    },
  });

  return {
    async sync(namespace, name, pattern) {
      const id = scheduleId(namespace, name);
      const current = await queue.getJobScheduler(id);
      if (pattern === undefined) {
        if (current !== undefined) await queue.removeJobScheduler(id);
        return;
      }
      if (current?.pattern === pattern && current.tz === timeZone) return;
      await queue.upsertJobScheduler(id, { pattern, tz: timeZone }, template({ namespace, name }));
      logger.info({ check: `${namespace}/${name}`, pattern }, 'health-check schedule set');
    },
    async list() {
      const schedulers = await queue.getJobSchedulers(0, -1, true);
      return schedulers.map((scheduler) => ({
        id: scheduler.key,
        pattern: scheduler.pattern ?? undefined,
        next: scheduler.next ?? undefined,
      }));
    },
    async close() {
      await worker.close();
      await queue.close();
      await Promise.allSettled([commands.quit(), workerConnection.quit()]);
    },
  };
}
