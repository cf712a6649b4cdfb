/**
 * What the notifier has already written to Slack, in Redis: the `ts` of every write (`slack:posted:<writeId>`,
 * recorded right after Slack accepted it and checked before every post, so a retry edits instead of posting
 * twice), and a digest of the content last sent for it (so an unchanged rendering costs no call).
 */
import type { Redis } from 'ioredis';

/** Records outlive any alert worth editing; a month is plenty. */
const recordTtlSeconds = 30 * 24 * 3600;

export interface MessageRecord {
  readonly ts: string | undefined;
  readonly digest: string | undefined;
}

export interface MessageLedger {
  read(writeId: string): Promise<MessageRecord>;
  recordPosted(writeId: string, ts: string, digest: string): Promise<void>;
  recordDigest(writeId: string, digest: string): Promise<void>;
  forget(writeId: string): Promise<void>;
  /** A small Redis hash per subject (an alert's membership, a group's meta). */
  readHash(name: string): Promise<Record<string, string>>;
  writeHash(name: string, fields: Record<string, string>): Promise<void>;
  /** A once-per-interval gate: 0 when it opened (and is now closed for `milliseconds`), else ms until it opens. */
  passGate(name: string, milliseconds: number): Promise<number>;
}

export function createMessageLedger(redis: Redis, keyPrefix: string): MessageLedger {
  const posted = (writeId: string): string => `${keyPrefix}posted:${writeId}`;
  const digest = (writeId: string): string => `${keyPrefix}digest:${writeId}`;
  return {
    async read(writeId) {
      const [ts, last] = await redis.mget(posted(writeId), digest(writeId));
      return { ts: ts ?? undefined, digest: last ?? undefined };
    },
    async recordPosted(writeId, ts, contentDigest) {
      await redis
        .multi()
        .set(posted(writeId), ts, 'EX', recordTtlSeconds)
        .set(digest(writeId), contentDigest, 'EX', recordTtlSeconds)
        .exec();
    },
    async recordDigest(writeId, contentDigest) {
      await redis.set(digest(writeId), contentDigest, 'EX', recordTtlSeconds);
    },
    async forget(writeId) {
      await redis.del(posted(writeId), digest(writeId));
    },
    async readHash(name) {
      return await redis.hgetall(`${keyPrefix}${name}`);
    },
    async writeHash(name, fields) {
      const key = `${keyPrefix}${name}`;
      await redis.multi().hset(key, fields).expire(key, recordTtlSeconds).exec();
    },
    async passGate(name, milliseconds) {
      if (milliseconds <= 0) return 0;
      const key = `${keyPrefix}gate:${name}`;
      if ((await redis.set(key, '1', 'PX', milliseconds, 'NX')) === 'OK') return 0;
      return Math.max(1, await redis.pttl(key));
    },
  };
}
