/**
 * The LLM budgets, checked BEFORE each call (a refused call is never made) and charged after it with the
 * tokens the server reports:
 * - per conversation turn (an `LlmTurn`, one user message and everything the agent does to answer it): at most
 *   `turnMaxSteps` model calls and `turnMaxTokens` tokens;
 * - per channel per UTC day: `channelDailyTokens`;
 * - for the whole installation per UTC day: `dailyTokens`.
 * A call is refused when a limit is already reached or when the tokens used so far plus the estimated prompt of
 * this call would pass it. Concurrent calls are checked against the same counters without a lock, so a busy
 * day can overshoot by the calls in flight: budgets are cost guards, not exact quotas.
 */
import { AegisError } from '../../core/errors.js';
import type { DailyTokenStore } from './daily-token-store.js';

export type LlmBudgetName = 'turn-steps' | 'turn-tokens' | 'channel-daily' | 'global-daily';

export interface LlmBudgetLimits {
  /** Model calls per turn (AEGIS_LLM_TURN_MAX_STEPS). */
  turnMaxSteps?: number;
  /** Tokens (prompt + completion) per turn (AEGIS_LLM_TURN_MAX_TOKENS). */
  turnMaxTokens?: number;
  /** Tokens per channel per UTC day (AEGIS_LLM_CHANNEL_DAILY_TOKENS). */
  channelDailyTokens?: number;
  /** Tokens per UTC day for everyone (AEGIS_LLM_DAILY_TOKENS). */
  dailyTokens?: number;
}

/** Counters of one turn; create one per user message with `client.startTurn()`. */
export interface LlmTurn {
  /** Model calls made (or attempted) in this turn. */
  readonly steps: number;
  /** Tokens (prompt + completion) used in this turn. */
  readonly tokens: number;
}

export interface MutableTurn {
  steps: number;
  tokens: number;
}

/** The error of a refused call; `userMessage` says in plain words which budget and when it resets. */
export class LlmBudgetExceededError extends AegisError {
  readonly budget: LlmBudgetName;
  /** When a daily budget starts again (midnight UTC); undefined for turn budgets. */
  readonly resetsAt: Date | undefined;

  constructor(budget: LlmBudgetName, message: string, userMessage: string, resetsAt?: Date) {
    super('LLM_BUDGET_EXCEEDED', message, { userMessage });
    this.name = 'LlmBudgetExceededError';
    this.budget = budget;
    this.resetsAt = resetsAt;
  }
}

export interface BudgetCheck {
  turn?: MutableTurn | undefined;
  channel?: string | undefined;
  estimatedTokens: number;
}

export interface LlmBudgets {
  /** Throws LlmBudgetExceededError when the call must not be made; counts the turn's step otherwise. */
  beforeCall(check: BudgetCheck): Promise<void>;
  /** Charges the tokens a call used. */
  afterCall(check: Omit<BudgetCheck, 'estimatedTokens'>, tokens: number): Promise<void>;
  /** Tokens used today: globally and, when given, in a channel. */
  usedToday(channel?: string): Promise<{ global: number; channel: number | undefined }>;
  close(): Promise<void>;
}

const dayMs = 86_400_000;

function utcDay(nowMs: number): { day: string; endMs: number } {
  const start = Math.floor(nowMs / dayMs) * dayMs;
  return { day: new Date(start).toISOString().slice(0, 10), endMs: start + dayMs };
}

function formatWait(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}

export function createLlmBudgets(
  limits: LlmBudgetLimits,
  store: DailyTokenStore,
  options: { keyPrefix: string; now: () => number },
): LlmBudgets {
  const keysFor = (channel: string | undefined, day: string): { global: string; channel?: string } => {
    const base = `${options.keyPrefix}llm:tokens:${day}`;
    return channel === undefined
      ? { global: `${base}:global` }
      : { global: `${base}:global`, channel: `${base}:channel:${channel}` };
  };

  const dailyRefusal = (
    budget: 'channel-daily' | 'global-daily',
    limit: number,
    used: number,
    channel: string | undefined,
    endMs: number,
  ): LlmBudgetExceededError => {
    const resetsAt = new Date(endMs);
    const when = `It resets at 00:00 UTC (in ${formatWait(endMs - options.now())}).`;
    if (budget === 'channel-daily') {
      return new LlmBudgetExceededError(
        budget,
        `channel ${channel ?? '?'} used ${used} of its ${limit} LLM tokens today`,
        `This channel has used its daily LLM budget of ${formatNumber(limit)} tokens, so I did not ask the model. ${when}`,
        resetsAt,
      );
    }
    return new LlmBudgetExceededError(
      budget,
      `the installation used ${used} of its ${limit} LLM tokens today`,
      `Aegis has used its daily LLM budget of ${formatNumber(limit)} tokens (all channels together), so I did not ask the model. ${when}`,
      resetsAt,
    );
  };

  return {
    async beforeCall({ turn, channel, estimatedTokens }) {
      if (turn !== undefined) {
        const maxSteps = limits.turnMaxSteps;
        if (maxSteps !== undefined && turn.steps >= maxSteps) {
          throw new LlmBudgetExceededError(
            'turn-steps',
            `turn reached ${turn.steps} of ${maxSteps} model steps`,
            `I stopped after ${maxSteps} model steps, the limit for one question. Ask a narrower question, or ask me to continue in a new message.`,
          );
        }
        const maxTokens = limits.turnMaxTokens;
        if (maxTokens !== undefined && turn.tokens + estimatedTokens > maxTokens) {
          throw new LlmBudgetExceededError(
            'turn-tokens',
            `turn used ${turn.tokens} tokens (+${estimatedTokens} estimated) of ${maxTokens}`,
            `I stopped because this question reached its budget of ${formatNumber(maxTokens)} tokens. Ask a narrower question, or ask me to continue in a new message.`,
          );
        }
      }
      const needsChannel = limits.channelDailyTokens !== undefined && channel !== undefined;
      if (limits.dailyTokens !== undefined || needsChannel) {
        const { day, endMs } = utcDay(options.now());
        const keys = keysFor(needsChannel ? channel : undefined, day);
        const [global = 0, perChannel = 0] = await store.used(
          keys.channel === undefined ? [keys.global] : [keys.global, keys.channel],
        );
        if (
          needsChannel &&
          limits.channelDailyTokens !== undefined &&
          perChannel + estimatedTokens > limits.channelDailyTokens
        ) {
          throw dailyRefusal('channel-daily', limits.channelDailyTokens, perChannel, channel, endMs);
        }
        if (limits.dailyTokens !== undefined && global + estimatedTokens > limits.dailyTokens) {
          throw dailyRefusal('global-daily', limits.dailyTokens, global, channel, endMs);
        }
      }
      if (turn !== undefined) turn.steps += 1;
    },

    async afterCall({ turn, channel }, tokens) {
      if (turn !== undefined) turn.tokens += tokens;
      if (tokens <= 0) return;
      const { day, endMs } = utcDay(options.now());
      const keys = keysFor(channel, day);
      await store.add(
        keys.channel === undefined ? [keys.global] : [keys.global, keys.channel],
        tokens,
        endMs + 3_600_000 - options.now(),
      );
    },

    async usedToday(channel) {
      const keys = keysFor(channel, utcDay(options.now()).day);
      const [global = 0, perChannel] = await store.used(
        keys.channel === undefined ? [keys.global] : [keys.global, keys.channel],
      );
      return { global, channel: perChannel };
    },

    close: async () => await store.close(),
  };
}
