/**
 * The webhook signatures already used, in Redis (`<prefix>:webhook-signature:<sha256 hex>`), shared by every
 * replica: SET NX with the signature window as TTL, so the first use wins and the key vanishes once the signature
 * could no longer pass the timestamp check anyway.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.js';
import type { SignatureReplayGuard } from '../../core/ports/index.js';
import { closeRedis, connectRedis } from './redis-connections.js';

export interface RedisSignatureReplayGuard extends SignatureReplayGuard {
  close(): Promise<void>;
}

export function createRedisSignatureReplayGuard(options: {
  redisUrl: string;
  prefix: string;
  logger: Logger;
}): RedisSignatureReplayGuard {
  const redis: Redis = connectRedis(options.redisUrl, options.logger, { maxRetriesPerRequest: 1 });
  const key = (signature: string): string =>
    `${options.prefix}:webhook-signature:${signature.replace(/^sha256=/, '')}`;
  return {
    async firstUse(signature, ttlSeconds) {
      const set = await redis.set(key(signature), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX');
      return set === 'OK';
    },
    async release(signature) {
      await redis.del(key(signature));
    },
    close: () => closeRedis(redis),
  };
}
