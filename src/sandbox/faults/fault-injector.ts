import { ApiError } from '../api-error.js';
import { type FaultPlan, type FaultVerb, parseFaultPlan, ruleSelects } from './fault-plan.js';

/** What to do with one request: wait, then either serve it or answer with `error`. */
export interface FaultDecision {
  delayMs: number;
  error?: ApiError;
}

/** What to do with one watch: answer 410 Gone at once, or end it after a while. */
export interface WatchFault {
  gone: boolean;
  closeAfterMs?: number;
}

export interface FaultCounts {
  requests: number;
  errors: Record<string, number>;
  delayed: number;
  watchesClosed: number;
  goneOnResume: number;
  heldByPause: number;
}

const writeVerbs = new Set<FaultVerb>(['update', 'patch', 'delete']);

/** mulberry32: small, fast, and seedable, so a failing fault run can be replayed with the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The sandbox's fault injection: a plan of rules (per resource and verb: error rate, latency, watch faults) and
 * a pause of the whole server. Off unless the sandbox was started with faults enabled; the HTTP layer asks it
 * about every request and watch.
 */
export class FaultInjector {
  private plan: FaultPlan = { rules: [] };
  private random: () => number = Math.random;
  private pausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private counts: FaultCounts = FaultInjector.zeroCounts();

  private static zeroCounts(): FaultCounts {
    return { requests: 0, errors: {}, delayed: 0, watchesClosed: 0, goneOnResume: 0, heldByPause: 0 };
  }

  /** Replace the plan (validated); counters start again from zero. */
  setPlan(input: unknown): FaultPlan {
    this.plan = parseFaultPlan(input);
    this.random = this.plan.seed === undefined ? Math.random : seededRandom(this.plan.seed);
    this.counts = FaultInjector.zeroCounts();
    return this.plan;
  }

  /** No rules, no pause. */
  clear(): void {
    this.plan = { rules: [] };
    this.resume();
  }

  snapshot(): { plan: FaultPlan; pausedForMs: number; counts: FaultCounts } {
    return { plan: this.plan, pausedForMs: Math.max(0, this.pausedUntil - Date.now()), counts: structuredClone(this.counts) };
  }

  get paused(): boolean {
    return this.pausedUntil > Date.now();
  }

  /** Hold every request (and every watch event) for `ms`; a pause that is already running is extended. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    if (this.pauseTimer !== undefined) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.resume(), this.pausedUntil - Date.now());
  }

  resume(): void {
    this.pausedUntil = 0;
    if (this.pauseTimer !== undefined) clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
    for (const release of this.waiters.splice(0)) release();
  }

  /** Resolves when the server is not paused (at once, usually). */
  async whenRunning(): Promise<void> {
    if (!this.paused) return;
    this.counts.heldByPause += 1;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Call `listener` once when the current pause ends (at once when not paused). */
  onResume(listener: () => void): void {
    if (this.paused) this.waiters.push(listener);
    else listener();
  }

  decide(verb: FaultVerb, group: string, resource: string): FaultDecision {
    this.counts.requests += 1;
    let delayMs = 0;
    for (const rule of this.plan.rules) {
      if (!ruleSelects(rule, verb, group, resource)) continue;
      delayMs += rule.latencyMs;
      if (rule.errorRate > 0 && this.random() < rule.errorRate) {
        const drawn = rule.errors[Math.floor(this.random() * rule.errors.length)] ?? 500;
        const code = drawn === 409 && !writeVerbs.has(verb) ? 500 : drawn;
        this.counts.errors[String(code)] = (this.counts.errors[String(code)] ?? 0) + 1;
        if (delayMs > 0) this.counts.delayed += 1;
        return { delayMs, error: injectedError(code, resource, rule.retryAfterSeconds) };
      }
    }
    if (delayMs > 0) this.counts.delayed += 1;
    return { delayMs };
  }

  watchFault(group: string, resource: string, resumed: boolean): WatchFault {
    let closeAfterMs: number | undefined;
    for (const rule of this.plan.rules) {
      if (!ruleSelects(rule, 'watch', group, resource)) continue;
      if (resumed && rule.goneOnResumeRate > 0 && this.random() < rule.goneOnResumeRate) {
        this.counts.goneOnResume += 1;
        return { gone: true };
      }
      if (rule.watchCloseAfterMs !== undefined)
        closeAfterMs = Math.min(closeAfterMs ?? Number.POSITIVE_INFINITY, rule.watchCloseAfterMs);
    }
    return closeAfterMs === undefined ? { gone: false } : { gone: false, closeAfterMs };
  }

  countWatchClosed(): void {
    this.counts.watchesClosed += 1;
  }
}

function injectedError(code: 500 | 429 | 409, resource: string, retryAfterSeconds: number): ApiError {
  if (code === 429)
    return new ApiError(429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later (injected fault)', {
      retryAfterSeconds,
    });
  if (code === 409)
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${resource}: the object has been modified; please apply your changes to the latest version and try again (injected fault)`,
    );
  return new ApiError(500, 'InternalError', 'Internal error occurred: injected fault');
}
