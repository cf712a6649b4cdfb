/**
 * The process's one way to open a Redis connection: every connection has a name (shown by `CLIENT LIST` and in
 * the metrics), logs its errors (at most once per 10 s) instead of leaving them unhandled, and is counted in
 * `aegis_redis_connections{name}` while open. See docs/decisions/0016-controller-manager.md.
 *
 *   const redis = createRedisConnections(url, { logger, metrics });
 *   const queue = redis.open('reconcile:aegis-alerts', 'blocking');
 */
import { Counter, Gauge } from 'prom-client';
import { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { MetricsRegistry } from '../metrics/index.js';

/**
 * - `blocking`: for BullMQ queues and workers (they require `maxRetriesPerRequest: null`);
 * - `commands`: ordinary commands, retried up to 3 times over a reconnect;
 * - `fail-fast`: no offline queue, one retry: a command while disconnected fails at once (probes, webhooks).
 */
export type RedisConnectionKind = 'blocking' | 'commands' | 'fail-fast';

export interface RedisConnections {
  readonly url: string;
  /** A new connection named `name` (letters, digits, `-`, `:`, `.`). The caller closes it (`closeRedis`). */
  open(name: string, kind: RedisConnectionKind): Redis;
}

const connectionOptions = {
  blocking: { maxRetriesPerRequest: null },
  commands: { maxRetriesPerRequest: 3 },
  'fail-fast': {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  },
} as const;

const namePattern = /^[A-Za-z0-9:.-]{1,100}$/;

export function createRedisConnections(
  url: string,
  options: { readonly logger?: Logger; readonly metrics?: MetricsRegistry; readonly quietMs?: number } = {},
): RedisConnections {
  const logger = (options.logger ?? silentLogger).child({ component: 'redis' });
  const quietMs = options.quietMs ?? 10_000;
  const registers = options.metrics === undefined ? [] : [options.metrics.registry];
  const open = new Gauge({
    name: 'aegis_redis_connections',
    help: 'Redis connections open (not ended), by name.',
    labelNames: ['name'],
    registers,
  });
  const opened = new Counter({
    name: 'aegis_redis_connections_opened_total',
    help: 'Redis connections created, by name.',
    labelNames: ['name'],
    registers,
  });
  return {
    url,
    open(name, kind) {
      if (!namePattern.test(name)) {
        throw new Error(`Redis connection name ${JSON.stringify(name)} must match ${namePattern.source}`);
      }
      const redis = new Redis(url, { ...connectionOptions[kind], connectionName: `aegis:${name}` });
      opened.inc({ name });
      open.inc({ name });
      redis.once('end', () => open.dec({ name }));
      let lastLogged = 0;
      redis.on('error', (error: Error) => {
        const now = Date.now();
        if (now - lastLogged < quietMs) return;
        lastLogged = now;
        logger.warn({ err: error.message, connection: name }, 'redis connection error');
      });
      return redis;
    },
  };
}

/** Close a connection we own: QUIT when connected, otherwise just drop the socket. */
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
