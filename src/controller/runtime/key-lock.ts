import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from '../../platform/index.js';

/** Delete the lock only if it still holds our token (another holder may have taken it after expiry). */
const releaseScript = new LuaScript(
  'reconcile-lock-release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`,
);
/** Extend the lock only if it still holds our token. */
const renewScript = new LuaScript(
  'reconcile-lock-renew',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`,
);

export interface HeldLock {
  /** Aborted when a renewal found the lock gone or taken by someone else. */
  readonly lost: AbortSignal;
  /** Stop renewing and delete the lock if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

export interface KeyLockOptions {
  /** How long a lock survives without renewal, i.e. after its holder died (default 30 s). */
  readonly ttlMs?: number;
}

/**
 * Per-key mutual exclusion across processes: `SET key token NX PX ttl`, renewed every ttl/3 while held,
 * released with a compare-and-delete script. A holder that dies leaves the key to expire after `ttlMs`.
 */
export class KeyLock {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    options: KeyLockOptions = {},
    private readonly onRenewError: (error: unknown) => void = () => undefined,
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** The lock if it was free, `undefined` if someone else holds it. */
  async tryAcquire(key: string): Promise<HeldLock | undefined> {
    const redisKey = `${this.keyPrefix}${key}`;
    const token = randomUUID();
    const reply = await this.redis.set(redisKey, token, 'PX', this.ttlMs, 'NX');
    if (reply !== 'OK') return undefined;
    const lost = new AbortController();
    let released = false;
    let renewing: Promise<void> = Promise.resolve();
    const renew = async (): Promise<void> => {
      try {
        const extended = await renewScript.run(this.redis, [redisKey], [token, this.ttlMs]);
        if (extended !== 1 && !released) lost.abort(new Error(`lock on ${key} was lost`));
      } catch (error) {
        // A failed renewal is not a lost lock yet: the next one may succeed before the ttl runs out.
        this.onRenewError(error);
      }
    };
    const timer = setInterval(
      () => {
        renewing = renewing.then(renew);
      },
      Math.max(10, Math.floor(this.ttlMs / 3)),
    );
    return {
      lost: lost.signal,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await renewing;
        await releaseScript.run(this.redis, [redisKey], [token]);
      },
    };
  }
}
