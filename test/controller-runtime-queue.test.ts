import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AegisError } from '../src/core/errors.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import type { RedisProcess } from '../src/platform/index.js';
import {
  formatObjectKey,
  reconcileAgain,
  reconcileDone,
  startReconcileQueue,
} from '../src/controller/runtime/index.js';
import type {
  ReconcileFunction,
  ReconcileQueue,
  ReconcileQueueOptions,
} from '../src/controller/runtime/index.js';
import { sleep, waitFor } from './controller-runtime-helpers.js';

let redis: RedisProcess;
const opened: ReconcileQueue[] = [];

beforeAll(async () => {
  redis = await startRedisProcess();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((queue) => queue.close()));
});
afterAll(async () => {
  await redis.stop();
});

async function start(
  reconcile: ReconcileFunction,
  options: Partial<ReconcileQueueOptions> & { prefix?: string } = {},
): Promise<ReconcileQueue> {
  const queue = await startReconcileQueue({
    name: 'test',
    redisUrl: redis.url,
    prefix: options.prefix ?? `t-${randomUUID()}`,
    reconcile,
    lockedRetryDelayMs: 20,
    ...options,
  });
  opened.push(queue);
  return queue;
}

const key = { namespace: 'default', name: 'a' };

describe('reconcile queue', () => {
  it('runs its Redis scripts by SHA: the script bodies are not sent again for every run', async () => {
    const done = new Set<string>();
    const queue = await start((runKey) => {
      done.add(formatObjectKey(runKey));
      return Promise.resolve(reconcileDone);
    });
    const admin = new Redis(redis.url);
    try {
      // Warm up: the first run of each script loads it (EVAL after NOSCRIPT).
      await queue.enqueue({ namespace: 'default', name: 'warm-up' });
      await waitFor('the warm-up run', () => done.has('default/warm-up'));
      await admin.config('RESETSTAT');
      for (let index = 0; index < 30; index += 1)
        await queue.enqueue({ namespace: 'default', name: `k${index}` });
      await waitFor('30 runs', () => done.size === 31);
      const stats = await admin.info('commandstats');
      const calls = (command: string): number =>
        Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
      // Every run takes and releases a per-key lock with a script, besides BullMQ's own scripts.
      expect(calls('evalsha')).toBeGreaterThanOrEqual(30);
      expect(calls('eval')).toBeLessThanOrEqual(3);
    } finally {
      admin.disconnect();
    }
  });

  it('folds a burst of 100 events into a few runs and always reconciles the last state', async () => {
    let state = 0;
    const seen: number[] = [];
    const queue = await start(async () => {
      seen.push(state);
      await sleep(15);
      return reconcileDone;
    });
    for (let event = 1; event <= 100; event += 1) {
      state = event;
      await queue.enqueue(key);
      if (event % 10 === 0) await sleep(5);
    }
    await waitFor('the last state to be reconciled', () => seen.at(-1) === 100);
    // The last run leaves `active` only after it returns; a deferred re-run may still be delayed.
    await waitFor('the queue to empty', async () => {
      const depth = await queue.depth();
      return depth.waiting + depth.delayed + depth.active === 0;
    });
    await sleep(200);
    console.log(`burst: 100 events -> ${seen.length} reconciles (states seen ${seen.join(',')})`);
    expect(seen.length).toBeLessThan(30);
    expect(seen.at(-1)).toBe(100);
    expect(await queue.depth()).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('runs once more when an event arrives while the key is being reconciled', async () => {
    let state = 'v1';
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const queue = await start(
      async () => {
        seen.push(state);
        if (seen.length === 1) await gate;
        return reconcileDone;
      },
      { concurrency: 4, metrics, name: 'gated' },
    );
    await queue.enqueue(key);
    await waitFor('first run to start', () => seen.length === 1);
    state = 'v2';
    await queue.enqueue(key);
    await queue.enqueue(key);
    // A second worker slot takes the new job and, the key running in this same process, waits for that run
    // (rather than finding the key's lock taken and being put off).
    await waitFor('the new job to be taken', async () => (await queue.depth()).active === 2);
    await sleep(100);
    expect(seen).toEqual(['v1']);
    release();
    await waitFor('second run', () => seen.length === 2);
    await sleep(200);
    expect(seen).toEqual(['v1', 'v2']);
  });

  it('never runs one key in two runtimes at once, and both runtimes make progress', async () => {
    const prefix = `t-${randomUUID()}`;
    const active = new Set<string>();
    let overlaps = 0;
    const runsBy = { first: 0, second: 0 };
    const runsPerKey = new Map<string, number>();
    const reconcileAs =
      (who: 'first' | 'second'): ReconcileFunction =>
      async (objectKey) => {
        const text = formatObjectKey(objectKey);
        if (active.has(text)) overlaps += 1;
        active.add(text);
        runsBy[who] += 1;
        runsPerKey.set(text, (runsPerKey.get(text) ?? 0) + 1);
        await sleep(30);
        active.delete(text);
        return reconcileDone;
      };
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const first = await start(reconcileAs('first'), { prefix, concurrency: 4, metrics });
    const second = await start(reconcileAs('second'), { prefix, concurrency: 4, metrics });
    const keys = Array.from({ length: 6 }, (_, index) => ({ namespace: 'default', name: `k${index}` }));
    for (let round = 0; round < 20; round += 1) {
      await Promise.all(
        keys.map((objectKey, index) => (index % 2 === 0 ? first : second).enqueue(objectKey)),
      );
      await sleep(7);
    }
    await waitFor('queues to drain', async () => {
      const [a, b] = [await first.depth(), await second.depth()];
      return a.waiting + a.delayed + a.active + b.waiting + b.delayed + b.active === 0;
    });
    const deferred = /aegis_reconcile_total\{controller="test",outcome="deferred"\} (\d+)/.exec(
      await metrics.render(),
    );
    console.log(
      `two runtimes: 120 enqueues over 6 keys -> ${runsBy.first + runsBy.second} runs (first ${runsBy.first}, second ${runsBy.second}), overlaps ${overlaps}, deferred (key locked) ${deferred?.[1] ?? 0}`,
    );
    expect(overlaps).toBe(0);
    expect(Number(deferred?.[1] ?? 0)).toBeGreaterThan(0);
    expect(runsBy.first).toBeGreaterThan(0);
    expect(runsBy.second).toBeGreaterThan(0);
    expect(runsPerKey.size).toBe(6);
  });

  it('runs a key again no earlier than "again after N"', async () => {
    const runs: number[] = [];
    const queue = await start(() => {
      runs.push(Date.now());
      return Promise.resolve(runs.length === 1 ? reconcileAgain(300) : reconcileDone);
    });
    await queue.enqueue(key);
    await waitFor('second run', () => runs.length === 2);
    const gap = runs[1]! - runs[0]!;
    console.log(`again after 300 ms -> next run after ${gap} ms`);
    expect(gap).toBeGreaterThanOrEqual(300);
    expect(gap).toBeLessThan(2_000);
  });

  it('retries a retryable error with backoff and then succeeds', async () => {
    const attempts: number[] = [];
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const queue = await start(
      (_key, context) => {
        attempts.push(context.attempt);
        if (attempts.length < 3) {
          return Promise.reject(new AegisError('KUBE_UNAVAILABLE', 'try later', { retryable: true }));
        }
        return Promise.resolve(reconcileDone);
      },
      { retry: { attempts: 5, baseDelayMs: 30, maxDelayMs: 100 }, metrics, name: 'retrying' },
    );
    await queue.enqueue(key);
    await waitFor('success', () => attempts.length === 3);
    // The outcome is counted after the run returns.
    await waitFor('the done outcome to be counted', async () =>
      (await metrics.render()).includes('aegis_reconcile_total{controller="retrying",outcome="done"} 1'),
    );
    await sleep(300);
    expect(attempts).toEqual([1, 2, 3]);
    const text = await metrics.render();
    expect(text).toContain('aegis_reconcile_total{controller="retrying",outcome="retry"} 2');
    expect(text).toContain('aegis_reconcile_total{controller="retrying",outcome="done"} 1');
    expect(text).toMatch(/aegis_reconcile_duration_seconds_count\{controller="retrying",outcome="done"\} 1/);
    expect(text).toContain('aegis_reconcile_queue_depth{controller="retrying",state="waiting"} 0');
  });

  it('does not retry a terminal error, and counts it', async () => {
    let runs = 0;
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const queue = await start(
      () => {
        runs += 1;
        return Promise.reject(new AegisError('TEMPLATE_INVALID', 'bad template', { retryable: false }));
      },
      { retry: { attempts: 5, baseDelayMs: 20 }, metrics, name: 'terminal' },
    );
    await queue.enqueue(key);
    await waitFor('first run', () => runs === 1);
    await waitFor('the terminal outcome to be counted', async () =>
      (await metrics.render()).includes('aegis_reconcile_total{controller="terminal",outcome="terminal"} 1'),
    );
    await sleep(400);
    expect(runs).toBe(1);
    expect(await metrics.render()).toContain(
      'aegis_reconcile_total{controller="terminal",outcome="terminal"} 1',
    );
  });

  it('retries unknown errors until attempts run out', async () => {
    let runs = 0;
    const queue = await start(
      () => {
        runs += 1;
        return Promise.reject(new Error('boom'));
      },
      { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } },
    );
    await queue.enqueue(key);
    await waitFor('three runs', () => runs === 3);
    await sleep(300);
    expect(runs).toBe(3);
  });
});
