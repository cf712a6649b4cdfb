/**
 * Token counters per UTC day: the global one and one per channel. In Redis (shared by every replica) when a URL
 * is given: `INCRBY` then `PEXPIRE` until an hour after the end of the day, so yesterday's keys vanish on their own.
 * Otherwise in this process's memory (per replica; fine for one replica and for tests).
 */
import { Redis } from 'ioredis';
import { AegisError } from '../../core/errors.js';

export interface DailyTokenStore {
  /** Tokens used today under each key (missing keys count 0). */
  used(keys: readonly string[]): Promise<number[]>;
  /** Add tokens to each key; the keys may be forgotten `ttlMs` from now (an hour after the UTC day ends). */
  add(keys: readonly string[], tokens: number, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryTokenStore(now: () => number): DailyTokenStore {
  const counters = new Map<string, { tokens: number; expiresAtMs: number }>();
  const current = (key: string): number => {
    const entry = counters.get(key);
    if (entry === undefined) return 0;
    if (entry.expiresAtMs <= now()) {
      counters.delete(key);
      return 0;
    }
    return entry.tokens;
  };
  return {
    used: async (keys) => await Promise.resolve(keys.map(current)),
    add: async (keys, tokens, ttlMs) => {
      const expiresAtMs = now() + ttlMs;
      for (const key of keys) counters.set(key, { tokens: current(key) + tokens, expiresAtMs });
      await Promise.resolve();
    },
    close: async () => {
      counters.clear();
      await Promise.resolve();
    },
  };
}

function unavailable(error: unknown): AegisError {
  return new AegisError(
    'LLM_BUDGET_UNAVAILABLE',
    'the LLM budget counters in Redis cannot be read or written',
    {
      retryable: true,
      cause: error,
      userMessage:
        'The LLM budget cannot be checked right now (Redis is unreachable), so I did not ask the model. Try again in a minute.',
    },
  );
}

export function createRedisTokenStore(redisUrl: string): DailyTokenStore {
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    lazyConnect: true,
  });
  redis.on('error', () => undefined); // surfaced per command as LLM_BUDGET_UNAVAILABLE
  return {
    used: async (keys) => {
      if (keys.length === 0) return [];
      try {
        const values = await redis.mget(...keys);
        return values.map((value) => (value === null ? 0 : Number(value) || 0));
      } catch (error) {
        throw unavailable(error);
      }
    },
    add: async (keys, tokens, ttlMs) => {
      if (keys.length === 0 || tokens <= 0) return;
      const pipeline = redis.multi();
      for (const key of keys) {
        pipeline.incrby(key, Math.round(tokens));
        pipeline.pexpire(key, Math.max(1, Math.round(ttlMs)));
      }
      try {
        await pipeline.exec();
      } catch (error) {
        throw unavailable(error);
      }
    },
    close: async () => {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
