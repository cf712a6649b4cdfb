import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/core/alerts/index.js';
import { AegisError } from '../src/core/errors.js';
import { silentLogger } from '../src/core/logger.js';
import { createIngestQueue, ingestKeys } from '../src/controller/ingest/index.js';
import { ingestJobDefaults } from '../src/controller/ingest/ingest-queue.js';
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
  it('holds the deliveries of a request as one intake stream entry, in order', async () => {
    const prefix = nextPrefix();
    const queue = createIngestQueue({
      redisUrl: redis.url,
      prefix,
      logger: silentLogger,
      dedupWindowSeconds: 60,
    });
    const reader = new Redis(redis.url);
    try {
      await queue.accept([
        { alert, deliveryId: 'alert-a' },
        { alert, deliveryId: 'alert-b' },
      ]);
      await queue.accept([{ alert, deliveryId: 'alert-a' }]);
      await queue.accept([]);
      // Two requests, two entries (the worker applies alert-a once, whichever job carries it).
      expect(await queue.depth()).toBe(2);
      const entries = await reader.xrange(ingestKeys(prefix, 'aegis-ingest').intake, '-', '+');
      expect(entries).toHaveLength(2);
      const [first] = entries;
      expect(first?.[1][0]).toBe('d');
      expect(JSON.parse(first?.[1][1] ?? '')).toEqual([
        { alert, deliveryId: 'alert-a' },
        { alert, deliveryId: 'alert-b' },
      ]);
    } finally {
      reader.disconnect();
      await queue.close();
    }
  });

  it('gives the jobs retries and keeps completed ones for the dedup window', () => {
    expect(ingestJobDefaults({ dedupWindowSeconds: 60 })).toMatchObject({
      attempts: 10,
      removeOnComplete: { age: 60 },
      backoff: { type: 'exponential', delay: 1_000 },
    });
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
