/**
 * Per-channel token bucket in Redis, shared by every replica, with reservations so waiting writes are served
 * in order instead of racing for each new token. `acquire` either lets a write go now (0) or answers how
 * long to wait: it then holds a reservation for that moment (the bucket goes into debt), and the same holder
 * asking again at that moment goes without taking another token. A 429's `Retry-After` pauses the channel.
 */
import type { Redis } from 'ioredis';
import { LuaScript } from '../../platform/index.js';

export interface RateLimitOptions {
  /** Sustained writes per second per channel (default 1, Slack's guidance for chat.postMessage). */
  readonly perSecond?: number;
  /** Writes allowed at once after a quiet spell (default 4). */
  readonly burst?: number;
}

export interface ChannelRateLimiter {
  /** 0: write now. Otherwise milliseconds to wait; ask again then with the same `holder`. */
  acquire(channel: string, holder: string): Promise<number>;
  /** Give back `holder`'s reservation (it will not write after all), so the writes behind it move up. */
  release(channel: string, holder: string): Promise<void>;
  /** Stop every write to the channel for `milliseconds` (Slack answered 429 with Retry-After). */
  pause(channel: string, milliseconds: number): Promise<void>;
}

// KEYS: bucket, pause, reservation. ARGV: tokens per ms, burst, reservation grace (ms).
const acquireScript = new LuaScript(
  'slack-bucket-acquire',
  `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local reserved = tonumber(redis.call('GET', KEYS[3]))
if reserved then
  if now >= reserved then
    redis.call('DEL', KEYS[3])
    return 0
  end
  return reserved - now
end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then tokens = math.min(burst, tokens + (now - at) * rate) end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate) + 60000)
if tokens >= 0 then return 0 end
local wait = math.ceil(-tokens / rate)
redis.call('SET', KEYS[3], tostring(now + wait), 'PX', wait + tonumber(ARGV[3]))
return wait
`,
);

// KEYS: bucket, reservation.
const releaseScript = new LuaScript(
  'slack-bucket-release',
  `
if redis.call('DEL', KEYS[2]) == 1 then redis.call('HINCRBYFLOAT', KEYS[1], 'tokens', 1) end
return 0
`,
);

export function createChannelRateLimiter(
  redis: Redis,
  keyPrefix: string,
  options: RateLimitOptions = {},
): ChannelRateLimiter {
  const perMillisecond = (options.perSecond ?? 1) / 1_000;
  const burst = Math.max(1, options.burst ?? 4);
  return {
    async acquire(channel, holder) {
      const wait = await acquireScript.run(
        redis,
        [
          `${keyPrefix}bucket:${channel}`,
          `${keyPrefix}pause:${channel}`,
          `${keyPrefix}reservation:${channel}:${holder}`,
        ],
        [String(perMillisecond), String(burst), '60000'],
      );
      return Number(wait);
    },
    async release(channel, holder) {
      await releaseScript.run(
        redis,
        [`${keyPrefix}bucket:${channel}`, `${keyPrefix}reservation:${channel}:${holder}`],
        [],
      );
    },
    async pause(channel, milliseconds) {
      await redis.set(`${keyPrefix}pause:${channel}`, '1', 'PX', Math.max(1, Math.ceil(milliseconds)));
    },
  };
}
