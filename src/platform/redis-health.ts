import { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';

export interface RedisHealth {
  /** Resolves when Redis answers PING; rejects at once, with the last connection error, while disconnected. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One long-lived connection used only to answer readiness probes. No offline queue: a probe while Redis is
 * down fails immediately instead of piling PINGs up until it comes back.
 */
export function createRedisHealth(url: string, logger: Logger): RedisHealth {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: 'aegis-readiness',
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    if (lastError?.message !== error.message) logger.warn({ err: error.message }, 'redis connection error');
    lastError = error;
  });
  redis.on('ready', () => {
    lastError = undefined;
  });
  return {
    async check(): Promise<void> {
      if (redis.status !== 'ready') {
        throw new Error(
          `not connected (${redis.status})${lastError === undefined ? '' : `: ${lastError.message}`}`,
        );
      }
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`PING answered ${JSON.stringify(answer)}`);
    },
    async close(): Promise<void> {
      if (redis.status === 'end') return;
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
