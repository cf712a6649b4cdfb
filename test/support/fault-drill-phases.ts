/**
 * The faults of the drill, one per phase, shared by the fault suite (test/fault-suite.test.ts, small streams,
 * asserted) and the reliability benchmark (bench/reliability.ts, larger streams, measured). Each phase sends a
 * stream of its own alerts and breaks one part once `afterAcknowledged` deliveries are in.
 */
import type { DrillEnvironment } from './fault-drill.js';

export interface DrillPhase {
  readonly name: string;
  readonly title: string;
  /** The fault, started when this share (0..1) of the stream's deliveries is acknowledged. */
  readonly at: number;
  fault?(env: DrillEnvironment): Promise<void>;
  /** Undo what `fault` left configured (called even when the phase fails). */
  cleanUp?(env: DrillEnvironment): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const drillPhases: readonly DrillPhase[] = [
  { name: 'baseline', title: 'a clean stream (the baseline the faults are compared with)', at: 0 },
  {
    name: 'redis',
    title: 'redis-server killed with SIGKILL mid-stream and restarted 2 s later from its append-only file',
    at: 0.3,
    async fault(env) {
      await env.redis.kill9();
      await sleep(2_000);
      await env.redis.restart();
    },
  },
  {
    name: 'replica',
    title: 'one of two replicas killed with SIGKILL mid-reconcile and restarted 1 s later',
    at: 0.3,
    async fault(env) {
      const victim = env.replicas[1];
      if (victim === undefined) return;
      await victim.kill9();
      await sleep(1_000);
      await victim.start();
    },
  },
  {
    name: 'api',
    title: 'API server answering 5 % errors (500, 429, 409), closing watches every 5 s, then pausing for 10 s',
    at: 0.4,
    async fault(env) {
      await env.apiFaults({
        seed: 16,
        rules: [
          { errorRate: 0.05, errors: [500, 429, 409], retryAfterSeconds: 1 },
          { verbs: ['watch'], watchCloseAfterMs: 5_000, goneOnResumeRate: 0.3 },
        ],
      });
      await env.pauseApi(10);
    },
    async cleanUp(env) {
      await env.apiFaults({});
    },
  },
  {
    name: 'slack',
    title: 'Slack answering 429 to everything for 20 s, then 5xx to posts and edits for 10 s',
    at: 0.1,
    async fault(env) {
      env.slack.failNext('*', { status: 429, retryAfter: 1, count: 1_000_000 });
      await sleep(20_000);
      env.slack.clearFailures();
      env.slack.failNext('chat.postMessage', { status: 500, count: 1_000_000 });
      env.slack.failNext('chat.update', { status: 503, count: 1_000_000 });
      await sleep(10_000);
      env.slack.clearFailures();
    },
    async cleanUp(env) {
      env.slack.clearFailures();
      await Promise.resolve();
    },
  },
];
