/**
 * Exactly-once template counters (`status.executeStatus.succeeded|failed`) across crashes, retries and replicas.
 *
 * The count is kept in Redis, where one Lua script records "this Workflow uid was counted" and increments the
 * template's counter atomically (SET NX + HINCRBY). The template status is then written as an absolute value
 * (the larger of what it holds and what Redis holds), which is idempotent; the alert's outcome write comes last
 * and ends the step. A crash anywhere re-runs the step: the script finds the uid counted and changes nothing,
 * the absolute write repeats harmlessly. A missing Redis counter (new template, flushed Redis) is seeded from
 * the template's own status first. See docs/decisions/0006-workflow-per-alert.md.
 */
import type { Redis } from 'ioredis';
import { LuaScript } from '../../platform/index.js';

const countScript = new LuaScript(
  'template-outcome-count',
  `
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[2], 'succeeded', ARGV[2], 'failed', ARGV[3])
end
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
end
redis.call('EXPIRE', KEYS[2], ARGV[5])
return redis.call('HMGET', KEYS[2], 'succeeded', 'failed')
`,
);

export interface TemplateCounts {
  readonly succeeded: number;
  readonly failed: number;
}

export interface OutcomeLedger {
  /**
   * Count `outcome` of Workflow `workflowUid` on the template `templateUid` once; returns the template's counts
   * after it. `base` seeds a counter Redis does not hold (the template's current status).
   */
  count(
    templateUid: string,
    workflowUid: string,
    outcome: 'succeeded' | 'failed',
    base: TemplateCounts,
  ): Promise<TemplateCounts>;
}

export interface OutcomeLedgerOptions {
  /** Key prefix (the controller's BullMQ prefix plus a suffix of our own). */
  readonly prefix: string;
  /** How long a counted Workflow uid is remembered (default 7 days). */
  readonly markerTtlSeconds?: number;
  /** How long an idle template counter is kept (default 30 days; then re-seeded from the template). */
  readonly counterTtlSeconds?: number;
}

export function createOutcomeLedger(redis: Redis, options: OutcomeLedgerOptions): OutcomeLedger {
  const markerTtl = options.markerTtlSeconds ?? 7 * 86_400;
  const counterTtl = options.counterTtlSeconds ?? 30 * 86_400;
  return {
    async count(templateUid, workflowUid, outcome, base) {
      const reply = (await countScript.run(
        redis,
        [`${options.prefix}:counted:${workflowUid}`, `${options.prefix}:template-counts:${templateUid}`],
        [
          outcome,
          Math.max(0, Math.trunc(base.succeeded)),
          Math.max(0, Math.trunc(base.failed)),
          markerTtl,
          counterTtl,
        ],
      )) as [string | null, string | null];
      return { succeeded: Number(reply[0] ?? 0), failed: Number(reply[1] ?? 0) };
    },
  };
}
