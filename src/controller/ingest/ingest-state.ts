/**
 * The ingest worker's shared state in Redis: which deliveries were applied, the running count of each active
 * alert, which counts still have to reach the API server, a short-lived "active alert of a fingerprint" cache,
 * and the per-fingerprint lock. Every multi-key step is one Lua script, so a crash never leaves half of it done.
 */
import type { Redis } from 'ioredis';
import { tryWithRedisLock, untilDone, type LockOptions } from './fingerprint-lock.js';
import type { IngestKeys } from './ingest-keys.js';
import { LuaScript } from './lua-script.js';

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

/** A created alert's counter starts at its creating delivery. KEYS: seen, counter. ARGV: seen TTL, counter TTL. */
const seedCounterScript = new LuaScript(
  'seed-counter',
  `
redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2])
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
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

  async isSeen(deliveryId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.seen(deliveryId))) === 1;
  }

  async markSeen(deliveryId: string): Promise<void> {
    await this.redis.set(this.keys.seen(deliveryId), '1', 'EX', this.options.seenTtlSeconds);
  }

  async cachedActive(fingerprint: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.active(fingerprint))) ?? undefined;
  }

  async cacheActive(fingerprint: string, alertName: string): Promise<void> {
    await this.redis.set(this.keys.active(fingerprint), alertName, 'PX', this.activeCacheMs);
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

  /** The creating delivery counts as 1 and is marked applied. */
  async seedCounter(deliveryId: string, alertName: string): Promise<void> {
    const keys = [this.keys.seen(deliveryId), this.keys.counter(alertName)];
    await seedCounterScript.run(this.redis, keys, [this.options.seenTtlSeconds, this.counterTtlSeconds]);
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
