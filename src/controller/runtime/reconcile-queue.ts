import { performance } from 'node:perf_hooks';
import { DelayedError, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { isAegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import { closeRedis, createRedisConnections } from '../../platform/index.js';
import type { RedisConnections } from '../../platform/index.js';
import { KeyLock } from './key-lock.js';
import { formatObjectKey, parseObjectKey } from './object-key.js';
import type { ObjectKey } from './object-key.js';
import { createReconcileMetrics } from './reconcile-metrics.js';
import type { QueueDepth, ReconcileOutcome } from './reconcile-metrics.js';
import type { EnqueueOptions, ReconcileFunction } from './reconcile-types.js';

export interface RetryOptions {
  /** Total runs for one job, the first included (default 8). */
  readonly attempts?: number;
  /** Delay before the first retry; doubles per retry (default 1 s). */
  readonly baseDelayMs?: number;
  /** Upper bound of the retry delay (default 30 s: after an outage of a dependency, work resumes within 30 s of its return). */
  readonly maxDelayMs?: number;
}

export interface ReconcileQueueOptions {
  /** The controller name; also the BullMQ queue name (no `:`). */
  readonly name: string;
  readonly redisUrl: string;
  /** The process's connection factory (named, counted connections); a private one on `redisUrl` if omitted. */
  readonly redis?: RedisConnections;
  /** BullMQ key prefix; also namespaces the per-key locks. Tests use a fresh one each. */
  readonly prefix: string;
  readonly reconcile: ReconcileFunction;
  /** Reconciles this process runs at once for this controller (default 4). Keys never run concurrently. */
  readonly concurrency?: number;
  readonly retry?: RetryOptions;
  /** Per-key lock lifetime without renewal, i.e. how long a crashed holder blocks its key (default 30 s). */
  readonly lockTtlMs?: number;
  /** How long a job that found its key locked waits before trying again (default 200 ms). */
  readonly lockedRetryDelayMs?: number;
  readonly logger?: Logger;
  readonly metrics?: MetricsRegistry;
}

export interface ReconcileQueue {
  readonly name: string;
  /**
   * Ask for `key` to be reconciled. Without a delay, at most one job per key waits (later calls while it
   * waits are dropped: that run will read the newest state anyway). With a delay, at most one delayed job
   * per key exists, and the newest request sets its time.
   */
  enqueue(key: ObjectKey, options?: EnqueueOptions): Promise<void>;
  depth(): Promise<QueueDepth>;
  /** Stop taking jobs, wait for running reconciles, then close the queue and its connections. */
  close(): Promise<void>;
}

interface ReconcileJobData {
  key: string;
}

const jobName = 'reconcile';
const backoffType = 'capped-exponential';

/**
 * A BullMQ queue and worker for one controller. See docs/decisions/0002-reconcile-queue.md for why the
 * de-duplication key is released at the start of a run and why a Redis lock guards each key.
 */
export async function startReconcileQueue(options: ReconcileQueueOptions): Promise<ReconcileQueue> {
  const { name, prefix } = options;
  const logger = (options.logger ?? silentLogger).child({ component: 'reconcile-queue', controller: name });
  const metrics = createReconcileMetrics(options.metrics);
  const attempts = options.retry?.attempts ?? 8;
  const baseDelayMs = options.retry?.baseDelayMs ?? 1_000;
  const maxDelayMs = options.retry?.maxDelayMs ?? 30_000;
  const lockedRetryDelayMs = options.lockedRetryDelayMs ?? 200;

  // BullMQ requires maxRetriesPerRequest: null on connections used by workers (blocking commands).
  const connections = options.redis ?? createRedisConnections(options.redisUrl, { logger });
  const commands = connections.open(`reconcile:${name}`, 'blocking');
  const workerConnection = connections.open(`reconcile:${name}:worker`, 'blocking');
  const locks = new KeyLock(
    commands,
    `${prefix}:${name}:reconcile-lock:`,
    withTtl(options.lockTtlMs),
    (error) => logger.warn({ err: error }, 'renewing a reconcile lock failed'),
  );

  const queue = new Queue<ReconcileJobData>(name, {
    connection: commands,
    prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: backoffType },
      removeOnComplete: true,
      removeOnFail: { count: 1_000, age: 24 * 3600 },
    },
  });
  queue.on('error', (error) => logger.warn({ err: error }, 'reconcile queue error'));

  // Immediate enqueues are gathered for one turn of the event loop and sent as one pipeline (`addBulk`): a
  // chunk of watch events (or a burst of webhooks) becomes one write to Redis instead of one per key, and a key
  // asked for twice in the turn is added once. Each job still carries its own de-duplication id, so this is
  // the same as adding them one by one at the end of the turn.
  let batch: Map<string, { resolve: () => void; reject: (error: unknown) => void }[]> | undefined;
  const flushBatch = (): void => {
    const current = batch;
    batch = undefined;
    if (current === undefined) return;
    const jobs = [...current.keys()].map((text) => ({
      name: jobName,
      data: { key: text },
      opts: { deduplication: { id: `now:${text}` } },
    }));
    const waiting = [...current.values()].flat();
    queue.addBulk(jobs).then(
      () => {
        for (const waiter of waiting) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of waiting) waiter.reject(error);
      },
    );
  };
  const enqueueNow = (text: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (batch === undefined) {
        batch = new Map();
        setImmediate(flushBatch);
      }
      const waiters = batch.get(text);
      if (waiters === undefined) batch.set(text, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
    });

  const enqueue = async (key: ObjectKey, enqueueOptions: EnqueueOptions = {}): Promise<void> => {
    const text = formatObjectKey(key);
    const delay = Math.max(0, Math.round(enqueueOptions.delayMs ?? 0));
    if (delay === 0) {
      await enqueueNow(text);
    } else {
      await queue.add(
        jobName,
        { key: text },
        { delay, deduplication: { id: `later:${text}`, reschedule: true } },
      );
    }
  };

  // Runs of one key in this process queue up here before they ask Redis for the key's lock: a job that an
  // event queued while its key was running (the common case: a reconcile's own writes bring events) waits for
  // that run instead of finding the lock taken and being put off for `lockedRetryDelayMs`.
  const localTails = new Map<string, Promise<void>>();
  const localTurn = async (text: string): Promise<() => void> => {
    const previous = localTails.get(text);
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous === undefined ? mine : previous.then(() => mine);
    localTails.set(text, tail);
    if (previous !== undefined) await previous;
    return () => {
      release();
      if (localTails.get(text) === tail) localTails.delete(text);
    };
  };

  const runJob = async (job: Job<ReconcileJobData>, token?: string, signal?: AbortSignal): Promise<void> => {
    const releaseLocal = await localTurn(job.data.key);
    try {
      await runLocked(job, token, signal);
    } finally {
      releaseLocal();
    }
  };

  const runLocked = async (
    job: Job<ReconcileJobData>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<void> => {
    const text = job.data.key;
    const key = parseObjectKey(text);
    const started = performance.now();
    const finish = (outcome: ReconcileOutcome): void =>
      metrics.observe(name, outcome, (performance.now() - started) / 1_000);
    const lock = await locks.tryAcquire(text);
    if (lock === undefined) {
      // Another worker (here or in another replica) is reconciling this key. This job keeps its
      // de-duplication id, so further events fold into it, and it runs once the key is free.
      finish('deferred');
      await job.moveToDelayed(Date.now() + lockedRetryDelayMs, token);
      throw new DelayedError();
    }
    const keyLogger = logger.child({ key: text, jobId: job.id });
    try {
      // From here on a new event must queue a new run: this run may already have read the old state.
      await job.removeDeduplicationKey();
      const result = await options.reconcile(key, {
        controller: name,
        attempt: job.attemptsMade + 1,
        signal: signal === undefined ? lock.lost : AbortSignal.any([lock.lost, signal]),
        logger: keyLogger,
        enqueue,
      });
      if (result.type === 'again') {
        await enqueue(key, { delayMs: result.afterMs });
        finish('again');
      } else {
        finish('done');
      }
    } catch (error) {
      if (isAegisError(error) && !error.retryable) {
        finish('terminal');
        keyLogger.error(
          { err: error, code: error.code },
          'reconcile failed with a terminal error; not retrying',
        );
        throw new UnrecoverableError(`${error.code}: ${error.message}`);
      }
      const exhausted = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      finish(exhausted ? 'failed' : 'retry');
      const fields = { err: error, attempt: job.attemptsMade + 1, attempts: job.opts.attempts };
      if (exhausted)
        keyLogger.error(fields, 'reconcile failed; attempts exhausted, waiting for the next event or resync');
      else keyLogger.warn(fields, 'reconcile failed; retrying');
      throw error;
    } finally {
      await lock.release();
    }
  };

  const worker = new Worker<ReconcileJobData>(name, runJob, {
    connection: workerConnection,
    prefix,
    concurrency: options.concurrency ?? 4,
    autorun: false,
    settings: {
      backoffStrategy: (attemptsMade) =>
        Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attemptsMade - 1)) * (0.8 + 0.4 * Math.random()),
    },
  });
  worker.on('error', (error) => logger.warn({ err: error }, 'reconcile worker error'));
  const running = worker.run();
  await worker.waitUntilReady();

  const depth = async (): Promise<QueueDepth> => {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return {
      waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
      delayed: counts['delayed'] ?? 0,
      active: counts['active'] ?? 0,
    };
  };
  const untrack = metrics.trackDepth(name, depth);

  let closing: Promise<void> | undefined;
  return {
    name,
    enqueue,
    depth,
    close: () => {
      closing ??= (async () => {
        flushBatch();
        untrack();
        await worker.close();
        await running;
        await queue.close();
        await Promise.allSettled([closeRedis(commands), closeRedis(workerConnection)]);
      })();
      return closing;
    },
  };
}

function withTtl(ttlMs: number | undefined): { ttlMs?: number } {
  return ttlMs === undefined ? {} : { ttlMs };
}
