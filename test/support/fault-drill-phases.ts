/**
 * The faults of the drill, one per phase, shared by the fault suite (test/fault-suite.test.ts, small streams,
 * asserted) and the reliability benchmark (bench/reliability.ts, larger streams, measured). Each phase sends a
 * stream of its own alerts and breaks one part once `afterAcknowledged` deliveries are in.
 */
import type { DrillEnvironment, SenderFigures } from './fault-drill.js';

const answersSince = (env: DrillEnvironment, before: SenderFigures, status: string): number =>
  (env.sender.figures.answers[status] ?? 0) - (before.answers[status] ?? 0);

export interface DrillPhase {
  readonly name: string;
  /** The route its deliveries take (default the custom JSON route). */
  readonly route?: 'custom' | 'ai';
  readonly title: string;
  /** The fault, started when this share (0..1) of the stream's deliveries is acknowledged. */
  readonly at: number;
  fault?(env: DrillEnvironment): Promise<void>;
  /**
   * How often the fault showed (answers the sender got, errors the sandbox or the fakes injected) since the
   * sender had `before`: a phase whose fault never bit proves nothing, so the suite wants this above 0.
   */
  evidence?(env: DrillEnvironment, before: SenderFigures): Promise<number>;
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
    evidence: async (env, before) => await Promise.resolve(answersSince(env, before, '503')),
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
    evidence: async (env, before) => await Promise.resolve(answersSince(env, before, '0')),
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
      // The fault lasts through the pause, so the stream goes on against a server that is not answering.
      await sleep(10_500);
    },
    async evidence(env) {
      const counts = (await (await fetch(`${env.sandbox.url}/_sandbox/faults`)).json()) as {
        counts: { errors: Record<string, number>; heldByPause: number };
      };
      return Object.values(counts.counts.errors).reduce((sum, n) => sum + n, 0) * counts.counts.heldByPause;
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
    evidence: async (env) =>
      await Promise.resolve(env.slack.calls.filter((call) => call.status === 429 || call.status >= 500).length),
    async cleanUp(env) {
      env.slack.clearFailures();
      await Promise.resolve();
    },
  },
  {
    name: 'llm',
    route: 'ai',
    title: 'the LLM behind /ai/alert timing out, answering 429 and answering prose instead of JSON for 15 s',
    at: 0.2,
    async fault(env) {
      env.llmFaults(['timeout', 'rate-limited', 'garbage']);
      await sleep(15_000);
      env.llmFaults(undefined);
    },
    evidence: async (env, before) =>
      await Promise.resolve(answersSince(env, before, '503') * (env.sender.figures.refusedThenResent - before.refusedThenResent)),
    async cleanUp(env) {
      env.llmFaults(undefined);
      await Promise.resolve();
    },
  },
];
