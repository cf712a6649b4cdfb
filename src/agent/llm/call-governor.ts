/**
 * What every model call goes through, whether from `complete()` or from the LangChain model: redaction of the
 * outgoing messages (when a redactor is configured), the budget check (before anything is sent), a concurrency
 * slot, then usage accounting (metrics, logs, budgets) and error mapping.
 */
import type { Logger } from '../../core/logger.js';
import type { Redactor } from '../redaction/index.js';
import { estimateTokens } from './estimate-tokens.js';
import type { LlmBudgets, MutableTurn } from './llm-budgets.js';
import { LlmBudgetExceededError } from './llm-budgets.js';
import { toLlmError, isTimeoutError } from './llm-errors.js';
import type { LlmMetrics } from './llm-metrics.js';
import type { Semaphore } from '../../core/semaphore.js';

export interface CallContext {
  /** For logs: the conversation (e.g. Slack thread) this call belongs to. */
  conversationId?: string | undefined;
  /** The channel charged for the call (per-channel daily budget). */
  channel?: string | undefined;
  /** The turn charged for the call (turn budgets). */
  turn?: MutableTurn | undefined;
  /** For logs: what the call is for (`agent`, `alert-parse`, ...). */
  purpose?: string | undefined;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface CallGovernor {
  readonly model: string;
  readonly timeoutMs: number;
  run<T>(
    context: CallContext,
    messages: readonly unknown[],
    call: () => Promise<T>,
    usageOf: (result: T) => TokenUsage,
  ): Promise<T>;
  /** Messages with their text redacted (a copy), or the same messages without a redactor. */
  redactMessages<M>(messages: readonly M[]): M[];
}

export interface GovernorDependencies {
  model: string;
  timeoutMs: number;
  budgets: LlmBudgets;
  semaphore: Semaphore;
  metrics: LlmMetrics;
  logger: Logger;
  redactor: Redactor | undefined;
  now: () => number;
}

function redactContent(content: unknown, redactor: Redactor): unknown {
  if (typeof content === 'string') return redactor.redact(content);
  if (Array.isArray(content)) {
    return content.map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
        ? { ...part, text: redactor.redact(part.text) }
        : part,
    );
  }
  return content;
}

export function createCallGovernor(dependencies: GovernorDependencies): CallGovernor {
  const { budgets, semaphore, metrics, logger, redactor, now } = dependencies;
  return {
    model: dependencies.model,
    timeoutMs: dependencies.timeoutMs,
    redactMessages<M>(messages: readonly M[]): M[] {
      if (redactor === undefined) return [...messages];
      return messages.map((message) => {
        if (typeof message !== 'object' || message === null || !('content' in message)) return message;
        return { ...message, content: redactContent(message.content, redactor) };
      });
    },
    async run(context, messages, call, usageOf) {
      const estimatedTokens = estimateTokens(messages);
      const check = { turn: context.turn, channel: context.channel, estimatedTokens };
      const fields = {
        model: dependencies.model,
        purpose: context.purpose,
        conversationId: context.conversationId,
        channel: context.channel,
      };
      try {
        await budgets.beforeCall(check);
      } catch (error) {
        if (error instanceof LlmBudgetExceededError) {
          metrics.call('budget_exceeded', undefined);
          metrics.budgetRefused(error.budget);
          logger.warn(
            { ...fields, budget: error.budget, reason: error.message },
            'LLM call refused: budget used up',
          );
        }
        throw error;
      }
      const started = now();
      let result: Awaited<ReturnType<typeof call>>;
      try {
        result = await semaphore.run(call);
      } catch (error) {
        const seconds = (now() - started) / 1000;
        const outcome = isTimeoutError(error) ? 'timeout' : 'error';
        metrics.call(outcome, seconds);
        const mapped = toLlmError(error, dependencies.timeoutMs);
        logger.warn(
          { ...fields, outcome, code: mapped.code, seconds, error: mapped.message },
          'LLM call failed',
        );
        throw mapped;
      }
      const seconds = (now() - started) / 1000;
      const usage = usageOf(result);
      metrics.call('ok', seconds);
      metrics.tokens(usage.promptTokens, usage.completionTokens);
      logger.info(
        {
          ...fields,
          seconds,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          totalTokens: usage.totalTokens,
          turnSteps: context.turn?.steps,
        },
        'LLM call',
      );
      try {
        await budgets.afterCall(check, usage.totalTokens);
      } catch (error) {
        // The answer is already paid for; losing one charge is better than losing the answer.
        logger.warn({ ...fields, error: String(error) }, 'LLM usage could not be charged to the budgets');
      }
      return result;
    },
  };
}
