import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/core/alerts/index.js';
import { AegisError } from '../src/core/errors.js';
import { silentLogger } from '../src/core/logger.js';
import { createIngestQueue } from '../src/controller/ingest/index.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import { findFreePort } from '../src/platform/index.js';

const alert: Alert = {
  source: 'Default',
  type: 'NodeNotReady',
  status: 'Firing',
  involvedObject: { kind: 'Node', name: 'node-1' },
  details: { node: 'node-1' },
  fingerprint: 'fp-queue',
};

let redis: RedisProcess;
let prefixCounter = 0;
const nextPrefix = (): string => `ingest-queue-test-${process.pid}-${(prefixCounter += 1)}`;

beforeAll(async () => {
  redis = await startRedisProcess();
});
afterAll(async () => {
  await redis.stop();
});

describe('createIngestQueue', () => {
  it('holds one job per delivery id, with the alert as data', async () => {
    const prefix = nextPrefix();
    const queue = createIngestQueue({
      redisUrl: redis.url,
      prefix,
      logger: silentLogger,
      dedupWindowSeconds: 60,
    });
    const reader = new Queue('aegis-ingest', { connection: { url: redis.url }, prefix });
    try {
      await queue.accept([
        { alert, deliveryId: 'alert-a' },
        { alert, deliveryId: 'alert-b' },
      ]);
      await queue.accept([{ alert, deliveryId: 'alert-a' }]);
      expect(await queue.depth()).toBe(2);
      const job = await reader.getJob('alert-a');
      expect(job?.data).toEqual(alert);
      expect(job?.opts.attempts).toBeGreaterThan(1);
      expect(job?.opts.removeOnComplete).toEqual({ age: 60 });
      await queue.accept([]);
    } finally {
      await reader.close();
      await queue.close();
    }
  });

  it('rejects with a retryable QUEUE_UNAVAILABLE within the bounded time when Redis is down', async () => {
    const port = await findFreePort('127.0.0.1');
    const queue = createIngestQueue({
      redisUrl: `redis://127.0.0.1:${port}`,
      prefix: nextPrefix(),
      logger: silentLogger,
      dedupWindowSeconds: 60,
      acceptTimeoutMs: 500,
    });
    try {
      const started = Date.now();
      const error: unknown = await queue
        .accept([{ alert, deliveryId: 'alert-x' }])
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AegisError);
      expect((error as AegisError).code).toBe('QUEUE_UNAVAILABLE');
      expect((error as AegisError).retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await queue.close();
    }
  });

  it('fails fast when Redis goes away after it was up', async () => {
    const own = await startRedisProcess();
    const queue = createIngestQueue({
      redisUrl: own.url,
      prefix: nextPrefix(),
      logger: silentLogger,
      dedupWindowSeconds: 60,
      acceptTimeoutMs: 1_000,
    });
    try {
      await queue.accept([{ alert, deliveryId: 'alert-up' }]);
      await own.stop();
      const started = Date.now();
      await expect(queue.accept([{ alert, deliveryId: 'alert-down' }])).rejects.toMatchObject({
        code: 'QUEUE_UNAVAILABLE',
      });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await queue.close();
      await own.stop();
    }
  });
});
