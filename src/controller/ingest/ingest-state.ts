/**
 * The ingest worker's shared state in Redis: which deliveries were applied, the running count of each active
 * alert, which counts still have to reach the API server, a short-lived "active alert of a fingerprint" cache,
 * and the per-fingerprint lock. Every multi-key step is one Lua script, so a crash never leaves half of it done.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { releaseLock, tryWithRedisLock, untilDone, type LockOptions } from './fingerprint-lock.js';
import type { IngestKeys } from './ingest-keys.js';
import { LuaScript } from '../../platform/index.js';

/**
 * Count one repeat delivery of an alert, once. KEYS: seen, counter, dirty. ARGV: seen TTL (s), alert name,
 * now (ms), counter TTL (s), base count ('' when unknown). Returns the new total, -1 when the delivery was
 * already counted, -2 when the counter is missing and no base was given (the caller reads the object first).
 */
const recordRepeatScript = new LuaScript(
  'record-repeat',
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if redis.call('EXISTS', KEYS[2]) == 0 then
  if ARGV[5] == '' then return -2 end
  redis.call('SET', KEYS[2], ARGV[5])
end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
local total = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], 'GT', ARGV[3], ARGV[2])
return total
`,
);

/**
 * The firing path's first step, in one round trip: already applied? accepted before a Resolved that was
 * already applied (stale)? the active alert cached? else take the fingerprint's lock (SET NX PX). Checking the
 * seen marker in the same atomic step as taking the lock gives the holder what `lock; EXISTS seen` gave.
 * KEYS: seen, active, lock, resolved mark. ARGV: lock token, lock TTL (ms), use the cache ('1' / '0'), the
 * delivery's intake sequence ('' when unknown). Returns {'duplicate'}, {'stale', name}, {'cached', name},
 * {'locked'} or {'busy'}.
 */
const claimFiringScript = new LuaScript(
  'claim-firing',
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'duplicate'} end
if ARGV[4] ~= '' then
  local mark = redis.call('GET', KEYS[4])
  if mark then
    local bar = string.find(mark, '|', 1, true)
    if bar and ARGV[4] < string.sub(mark, 1, bar - 1) then return {'stale', string.sub(mark, bar + 1)} end
  end
end
if ARGV[3] == '1' then
  local cached = redis.call('GET', KEYS[2])
  if cached then return {'cached', cached} end
end
if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'locked'} end
return {'busy'}
`,
);

/**
 * The end of a find-or-create under the lock, in one round trip: start the counter at the creating delivery
 * (when `seed`), mark the delivery applied (when `seed`) and the alert's creator applied (when given), cache
 * the active alert, and release the lock if it still holds our token. KEYS: seen, counter, active, lock,
 * creator's seen ('' when none). ARGV: seen TTL (s), counter TTL (s), alert name, cache life (ms), lock token,
 * seed ('1' / '0').
 */
const finishFindOrCreateScript = new LuaScript(
  'finish-find-or-create',
  `
if ARGV[6] == '1' then
  redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2])
  redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
end
if KEYS[5] ~= '' then redis.call('SET', KEYS[5], '1', 'EX', ARGV[1]) end
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
if redis.call('GET', KEYS[4]) == ARGV[5] then redis.call('DEL', KEYS[4]) end
return 1
`,
);

/**
 * After a flush of `value`: drop the dirty entry only if the counter still holds `value` (a repeat counted
 * meanwhile keeps it dirty, so nothing is lost). ARGV[3] = '1' also deletes the counter (alert resolved or
 * gone). KEYS: counter, dirty. ARGV: alert name, flushed value ('' = counter was missing), delete counter.
 */
const settleScript = new LuaScript(
  'settle-counter',
  `
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[2] == '') or current == ARGV[2] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) end
  return 1
end
return 0
`,
);

export interface IngestStateOptions {
  /** How long applied deliveries are remembered (s); at least the queue's dedup window. */
  seenTtlSeconds: number;
  /** How long the "active alert of a fingerprint" cache lives (ms; default 3000). */
  activeCacheMs?: number;
  /** A counter with no repeats for this long expires (s; default 7 days); it is rebuilt from the object. */
  counterTtlSeconds?: number;
  lock?: LockOptions;
}

/** A fingerprint lock this process holds (see `IngestState.firing`). */
export interface HeldLock {
  readonly fingerprint: string;
  readonly token: string;
  /** Set once the lock was released (by `finishFindOrCreate`). */
  released: boolean;
}

/** What the firing path does with each answer of its first step. */
export interface FiringHandlers<T> {
  duplicate(): T;
  /**
   * Accepted before the newest Resolved already applied to its fingerprint: it belongs to the alert that
   * Resolved closed (`alertName`, '' when that Resolved found none), never to a new one.
   */
  stale(alertName: string): Promise<T>;
  /** Count on the cached active alert; undefined when its counter is gone (then: find under the lock). */
  cached(alertName: string): Promise<T | undefined>;
  /** Find or create under the lock (released afterwards unless `finishFindOrCreate` did it). */
  locked(lock: HeldLock): Promise<T>;
}

export type RepeatResult =
  { outcome: 'counted'; total: number } | { outcome: 'duplicate' } | { outcome: 'needs-base' };

export interface DirtyEntry {
  name: string;
  /** Epoch ms of the last counted delivery. */
  lastSeenMs: number;
}

export class IngestState {
  private readonly activeCacheMs: number;
  private readonly counterTtlSeconds: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: IngestKeys,
    private readonly options: IngestStateOptions,
  ) {
    this.activeCacheMs = options.activeCacheMs ?? 3_000;
    this.counterTtlSeconds = options.counterTtlSeconds ?? 7 * 24 * 3600;
  }

  /**
   * Run `work` under the fingerprint's lock. While the lock is taken, `whileWaiting` (if given) is tried
   * before each new attempt: a result other than undefined ends the wait without the lock.
   */
  async withFingerprintLock<T>(
    fingerprint: string,
    work: () => Promise<T>,
    whileWaiting?: () => Promise<T | undefined>,
  ): Promise<T> {
    const key = this.keys.lock(fingerprint);
    const lock = this.options.lock ?? {};
    const ttlMs = lock.ttlMs ?? 30_000;
    return await untilDone(lock, `fingerprint ${fingerprint}`, async () => {
      const early = whileWaiting === undefined ? undefined : await whileWaiting();
      if (early !== undefined) return early;
      const attempt = await tryWithRedisLock(this.redis, key, ttlMs, work);
      return attempt.acquired ? attempt.value : undefined;
    });
  }

  /**
   * The firing path: one round trip decides between duplicate, the cached active alert, and the lock (waiting
   * while another worker holds it: that one is creating or finding the alert, after which the cache answers).
   * Throws `INGEST_LOCK_TIMEOUT` (retryable) after the lock's `waitMs`.
   */
  async firing<T>(
    deliveryId: string,
    fingerprint: string,
    handlers: FiringHandlers<T>,
    sequence = '',
  ): Promise<T> {
    const lockOptions = this.options.lock ?? {};
    const ttlMs = lockOptions.ttlMs ?? 30_000;
    const keys = [
      this.keys.seen(deliveryId),
      this.keys.active(fingerprint),
      this.keys.lock(fingerprint),
      this.keys.resolvedMark(fingerprint),
    ];
    let useCache = true;
    return await untilDone(lockOptions, `fingerprint ${fingerprint}`, async () => {
      for (;;) {
        const lock: HeldLock = { fingerprint, token: randomUUID(), released: false };
        const reply = await claimFiringScript.run(this.redis, keys, [
          lock.token,
          ttlMs,
          useCache ? '1' : '0',
          sequence,
        ]);
        const [answer, name] = Array.isArray(reply) ? (reply as unknown[]) : [];
        if (answer === 'duplicate') return handlers.duplicate();
        if (answer === 'stale') return await handlers.stale(typeof name === 'string' ? name : '');
        if (answer === 'cached' && typeof name === 'string') {
          const counted = await handlers.cached(name);
          if (counted !== undefined) return counted;
          useCache = false; // the cached alert's counter is gone: find it again under the lock
          continue;
        }
        if (answer !== 'locked') return undefined; // busy: wait and try again
        try {
          return await handlers.locked(lock);
        } finally {
          if (!lock.released) await releaseLock(this.redis, this.keys.lock(fingerprint), lock.token);
        }
      }
    });
  }

  /**
   * Close a find-or-create in one round trip: `seed` starts the created alert's counter at its creating
   * delivery and marks that delivery applied; `creator` (the found alert's creating delivery) is marked applied
   * so a late retry of it does not count again; the alert is cached as the fingerprint's active one; the lock is
   * released.
   */
  async finishFindOrCreate(
    lock: HeldLock,
    alertName: string,
    options: { seedDelivery?: string; creator?: string },
  ): Promise<void> {
    const keys = [
      this.keys.seen(options.seedDelivery ?? ''),
      this.keys.counter(alertName),
      this.keys.active(lock.fingerprint),
      this.keys.lock(lock.fingerprint),
      options.creator === undefined ? '' : this.keys.seen(options.creator),
    ];
    const args = [
      this.options.seenTtlSeconds,
      this.counterTtlSeconds,
      alertName,
      this.activeCacheMs,
      lock.token,
      options.seedDelivery === undefined ? '0' : '1',
    ];
    await finishFindOrCreateScript.run(this.redis, keys, args);
    lock.released = true;
  }

  async isSeen(deliveryId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.seen(deliveryId))) === 1;
  }

  async markSeen(deliveryId: string): Promise<void> {
    await this.redis.set(this.keys.seen(deliveryId), '1', 'EX', this.options.seenTtlSeconds);
  }

  /**
   * Record that the Resolved accepted at `sequence` closed `alertName` ('' for none), unless a later Resolved is
   * already recorded. Called under the fingerprint's lock; kept as long as deliveries are remembered.
   */
  async recordResolved(fingerprint: string, sequence: string, alertName: string): Promise<void> {
    const key = this.keys.resolvedMark(fingerprint);
    const current = await this.redis.get(key);
    const currentSequence = current === null ? '' : current.slice(0, current.indexOf('|'));
    if (current !== null && currentSequence >= sequence) return;
    await this.redis.set(key, `${sequence}|${alertName}`, 'EX', this.options.seenTtlSeconds);
  }

  async forgetActive(fingerprint: string): Promise<void> {
    await this.redis.del(this.keys.active(fingerprint));
  }

  /** Count a repeat of `alertName` once per delivery; `base` seeds a missing counter (the object's count). */
  async recordRepeat(
    deliveryId: string,
    alertName: string,
    nowMs: number,
    base?: number,
  ): Promise<RepeatResult> {
    const keys = [this.keys.seen(deliveryId), this.keys.counter(alertName), this.keys.dirty];
    const args = [this.options.seenTtlSeconds, alertName, nowMs, this.counterTtlSeconds, base ?? ''];
    const result = Number(await recordRepeatScript.run(this.redis, keys, args));
    if (result === -1) return { outcome: 'duplicate' };
    if (result === -2) return { outcome: 'needs-base' };
    return { outcome: 'counted', total: result };
  }

  /** The counted total of an alert, or undefined when Redis holds none. */
  async counter(alertName: string): Promise<number | undefined> {
    const value = await this.redis.get(this.keys.counter(alertName));
    return value === null ? undefined : Number(value);
  }

  /** Alert names whose count has not reached the API server yet, oldest first. */
  async dirty(limit: number): Promise<DirtyEntry[]> {
    const reply: unknown = await this.redis.zrange(this.keys.dirty, '0', String(limit - 1), 'WITHSCORES');
    return parseScoredMembers(reply);
  }

  /**
   * Claim the right to flush an alert now: true at most once per `gapMs` for each alert, across processes.
   */
  async claimFlush(alertName: string, gapMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.flushGate(alertName), '1', 'PX', gapMs, 'NX')) === 'OK';
  }

  async lastSeen(alertName: string): Promise<number | undefined> {
    const score = await this.redis.zscore(this.keys.dirty, alertName);
    return score === null ? undefined : Number(score);
  }

  /**
   * The flushed `value` reached the object: drop the dirty entry unless more was counted meanwhile.
   * `retire` also deletes the counter (resolved or deleted alert). True when settled.
   */
  async settle(alertName: string, value: number | undefined, retire = false): Promise<boolean> {
    const keys = [this.keys.counter(alertName), this.keys.dirty];
    const args = [alertName, value === undefined ? '' : String(value), retire ? '1' : '0'];
    return Number(await settleScript.run(this.redis, keys, args)) === 1;
  }
}

/** ZRANGE WITHSCORES replies flat (RESP2: member, score, ...) or as pairs (RESP3: [member, score], ...). */
function parseScoredMembers(reply: unknown): DirtyEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: DirtyEntry[] = [];
  if (reply.every((item) => Array.isArray(item))) {
    for (const pair of reply as unknown[][])
      entries.push({ name: String(pair[0]), lastSeenMs: Number(pair[1]) });
    return entries;
  }
  for (let index = 0; index + 1 < reply.length; index += 2) {
    entries.push({ name: String(reply[index]), lastSeenMs: Number(reply[index + 1]) });
  }
  return entries;
}
