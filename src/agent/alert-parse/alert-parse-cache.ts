/**
 * Cache of LLM parse results by content hash (sha256 of the raw payload), so a sender's retries and repeated
 * notifications cost one model call. In Redis (shared by replicas; `SET ... PX`) when a URL is given, else an
 * in-memory LRU. Entries live 1 h by default. Only successful parses are cached.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Alert } from '../../core/alerts/index.js';

export interface AlertParseCache {
  get(key: string): Promise<Alert[] | undefined>;
  set(key: string, alerts: readonly Alert[]): Promise<void>;
  close(): Promise<void>;
}

export function contentHash(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex');
}

export function createMemoryAlertParseCache(
  options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {},
): AlertParseCache {
  const maxEntries = options.maxEntries ?? 500;
  const ttlMs = options.ttlMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { alerts: Alert[]; expiresAt: number }>();
  return {
    get: async (key) => {
      await Promise.resolve();
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry); // most recently used last
      return structuredClone(entry.alerts);
    },
    set: async (key, alerts) => {
      await Promise.resolve();
      entries.delete(key);
      entries.set(key, { alerts: structuredClone([...alerts]), expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    close: async () => {
      entries.clear();
      await Promise.resolve();
    },
  };
}

export function createRedisAlertParseCache(options: {
  redisUrl: string;
  keyPrefix?: string;
  ttlMs?: number;
}): AlertParseCache {
  const redis = new Redis(options.redisUrl, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: true,
  });
  redis.on('error', () => undefined); // a cache miss or a lost write is harmless
  const prefix = `${options.keyPrefix ?? 'aegis:'}alert-parse:`;
  const ttlMs = options.ttlMs ?? 3_600_000;
  return {
    get: async (key) => {
      try {
        const text = await redis.get(prefix + key);
        return text === null ? undefined : (JSON.parse(text) as Alert[]);
      } catch {
        return undefined;
      }
    },
    set: async (key, alerts) => {
      try {
        await redis.set(prefix + key, JSON.stringify(alerts), 'PX', ttlMs);
      } catch {
        // harmless: the next identical payload asks the model again
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
