import { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.js';

export interface ConnectOptions {
  enableOfflineQueue?: boolean;
  maxRetriesPerRequest?: number | null;
  connectTimeout?: number;
  /** Log connection errors at most once per this many ms (default 10 s). */
  quietMs?: number;
}

/**
 * An ioredis client that logs connection errors (at most once per `quietMs`) instead of leaving them
 * unhandled. `enableOfflineQueue: false` makes commands fail at once while disconnected instead of queueing.
 */
export function connectRedis(url: string, logger: Logger, options: ConnectOptions = {}): Redis {
  const { quietMs = 10_000, ...redisOptions } = options;
  const redis = new Redis(url, redisOptions);
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < quietMs) return;
    lastLogged = now;
    logger.warn({ err: error.message }, 'redis connection error');
  });
  return redis;
}

/** Close a client we own: QUIT when connected, otherwise just drop the socket. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through to disconnect
    }
  }
  redis.disconnect();
}
