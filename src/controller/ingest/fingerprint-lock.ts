import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { AegisError } from '../../core/errors.js';
import { LuaScript } from '../../platform/index.js';

/** Deletes the lock only when it still holds our token (it may have expired and been taken by another). */
const releaseScript = new LuaScript(
  'release-lock',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);

export interface LockOptions {
  /** How long the lock lives if its holder dies (default 30 s); longer than any find-or-create takes. */
  ttlMs?: number;
  /** How long to wait for the lock before giving up with a retryable error (default 10 s). */
  waitMs?: number;
  /** Pause between attempts (default 10 ms, plus up to as much jitter). */
  retryMs?: number;
}

export type LockAttempt<T> = { acquired: true; value: T } | { acquired: false };

/**
 * One attempt: run `work` holding a Redis lock (SET NX PX, released by compare-and-delete) if it is free.
 * Used around find-or-create of a fingerprint, so it runs in one worker at a time across every process.
 */
export async function tryWithRedisLock<T>(
  redis: Redis,
  key: string,
  ttlMs: number,
  work: () => Promise<T>,
): Promise<LockAttempt<T>> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return { acquired: false };
  try {
    return { acquired: true, value: await work() };
  } finally {
    await releaseLock(redis, key, token);
  }
}

/** Release a lock taken with `token` (a no-op when it expired and someone else holds it now). */
export async function releaseLock(redis: Redis, key: string, token: string): Promise<void> {
  await releaseScript.run(redis, [key], [token]);
}

/**
 * Wait for the lock with `attempt` (which may also finish without it, e.g. when the holder has meanwhile
 * published what the waiter needs): `attempt` returns undefined to go on waiting. Throws
 * `INGEST_LOCK_TIMEOUT` (retryable) after `waitMs`.
 */
export async function untilDone<T>(
  options: LockOptions,
  what: string,
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const waitMs = options.waitMs ?? 10_000;
  const retryMs = options.retryMs ?? 10;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new AegisError('INGEST_LOCK_TIMEOUT', `${what}: lock still taken after ${waitMs} ms`, {
        retryable: true,
      });
    }
    await sleep(retryMs + Math.floor(Math.random() * retryMs));
  }
}
