/**
 * Storm detection in Redis, shared by every replica. Each alert counts once (its first sync) in a sliding
 * window per channel and type; once more than `threshold` arrived within `windowMs`, new alerts of that type
 * join an open group instead of getting a root message of their own. A group stays open while alerts keep
 * joining (each join extends it by the window); the next storm after a quiet window opens a new group.
 */
import type { Redis } from 'ioredis';
import { LuaScript } from '../../platform/index.js';

export interface StormOptions {
  /** Group when more than this many alerts of one type arrive within the window (default 5; 0 turns off). */
  readonly threshold?: number;
  /** The sliding window (default 60 s). */
  readonly windowMs?: number;
  /**
   * Group an alert anyway when its root message would wait longer than this for the channel's rate limit
   * (default 10 s): under sustained overload a type's alerts share one thread instead of queueing.
   */
  readonly maxQueueMs?: number;
  /** Edit a group's root summary at most this often (default 10 s); its thread is kept current. */
  readonly summaryIntervalMs?: number;
}

export interface StormGroupMeta {
  readonly id: string;
  readonly channel: string;
  readonly type: string;
  readonly createdAt: number;
  readonly lastAt: number;
}

export interface StormTracker {
  /** The group an alert that has no message yet belongs in, or undefined for a root message of its own. */
  consider(channel: string, type: string, member: string): Promise<string | undefined>;
  /** Put the alert into its type's group (opening one if needed) regardless of counts. */
  join(channel: string, type: string, member: string): Promise<string>;
  meta(groupId: string): Promise<StormGroupMeta | undefined>;
  /** Members (`namespace/name`) in joining order. */
  members(groupId: string): Promise<string[]>;
}

// KEYS: arrivals zset. ARGV: member, window ms.
const arrivalScript = new LuaScript(
  'slack-storm-arrival',
  `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], 'NX', now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])
`,
);

// KEYS: open-group pointer, group counter. ARGV: member, window ms, channel, type, key prefix.
const joinScript = new LuaScript(
  'slack-storm-join',
  `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local id = redis.call('GET', KEYS[1])
if not id then
  id = tostring(redis.call('INCR', KEYS[2]))
  redis.call('HSET', ARGV[5] .. 'group:' .. id, 'channel', ARGV[3], 'type', ARGV[4], 'createdAt', now)
end
redis.call('SET', KEYS[1], id, 'PX', tonumber(ARGV[2]))
local meta = ARGV[5] .. 'group:' .. id
local members = meta .. ':members'
if not redis.call('ZSCORE', members, ARGV[1]) then
  redis.call('ZADD', members, redis.call('HINCRBY', meta, 'joined', 1), ARGV[1])
end
redis.call('HSET', meta, 'lastAt', now)
redis.call('EXPIRE', meta, 2592000)
redis.call('EXPIRE', members, 2592000)
return id
`,
);

export function createStormTracker(
  redis: Redis,
  keyPrefix: string,
  options: StormOptions = {},
): StormTracker {
  const threshold = options.threshold ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const join = async (channel: string, type: string, member: string): Promise<string> => {
    const scope = `${channel}\u0000${type}`;
    const id = await joinScript.run(
      redis,
      [`${keyPrefix}storm-open:${scope}`, `${keyPrefix}storm-counter`],
      [member, String(windowMs), channel, type, keyPrefix],
    );
    return String(id);
  };
  return {
    async consider(channel, type, member) {
      if (threshold <= 0) return undefined;
      const scope = `${channel}\u0000${type}`;
      const openKey = `${keyPrefix}storm-open:${scope}`;
      const arrived = Number(
        await arrivalScript.run(redis, [`${keyPrefix}storm-arrivals:${scope}`], [member, String(windowMs)]),
      );
      const open = await redis.exists(openKey);
      if (open === 0 && arrived <= threshold) return undefined;
      return await join(channel, type, member);
    },
    join,
    async meta(groupId) {
      const fields = await redis.hgetall(`${keyPrefix}group:${groupId}`);
      if (fields['channel'] === undefined || fields['type'] === undefined) return undefined;
      return {
        id: groupId,
        channel: fields['channel'],
        type: fields['type'],
        createdAt: Number(fields['createdAt'] ?? 0),
        lastAt: Number(fields['lastAt'] ?? fields['createdAt'] ?? 0),
      };
    },
    async members(groupId) {
      return await redis.zrange(`${keyPrefix}group:${groupId}:members`, '0', '-1');
    },
  };
}
