/**
 * The LLM client: one OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, LM Studio, LiteLLM, ...) reached
 * through the `openai` SDK's Chat Completions API. Build it only when an endpoint is configured; callers
 * treat an undefined client as "no LLM" and everything else in Aegis works without it.
 *
 * ```ts
 * const llm = createLlmClient({ baseUrl, apiKey, model, logger, metrics, budgets: { dailyTokens: 2_000_000 } });
 * // a one-off call (alert parsing):
 * const { content } = await llm.complete({ messages: [{ role: 'user', content: 'hi' }], purpose: 'alert-parse' });
 * // the agent: one turn per user message, its model charged to that turn and channel
 * const turn = llm.startTurn();
 * const model = llm.chatModel({ turn, channel: 'C123', conversationId: 'C123/1712.3' });
 * ```
 * Every call (both paths) is: redacted (when `redactor` is given), checked against the budgets before it is
 * sent (LlmBudgetExceededError, `LLM_BUDGET_EXCEEDED`), run under the concurrency limit, retried by the SDK
 * on 429/5xx/connection errors, bounded by the timeout, then counted (metrics, log line, budgets). Failures
 * become AegisErrors: `LLM_TIMEOUT`, `LLM_UNAVAILABLE` (retryable), `LLM_REQUEST_REJECTED`.
 */
import OpenAI from 'openai';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import type { Redactor } from '../redaction/index.js';
import { createCallGovernor } from './call-governor.js';
import type { CallContext, TokenUsage } from './call-governor.js';
import { createMemoryTokenStore, createRedisTokenStore } from './daily-token-store.js';
import { GovernedChatModel, usageOfCompletion } from './governed-chat-model.js';
import { createLlmBudgets } from './llm-budgets.js';
import type { LlmBudgetLimits, LlmBudgets, LlmTurn, MutableTurn } from './llm-budgets.js';
import { createLlmMetrics } from './llm-metrics.js';
import { createSemaphore } from '../../core/semaphore.js';

export type LlmMessage = OpenAI.Chat.ChatCompletionMessageParam;
export type LlmTool = OpenAI.Chat.ChatCompletionTool;

/** Structured output: a JSON schema (strict), any JSON object, or plain text. */
export type LlmResponseFormat =
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean }
  | { type: 'json_object' }
  | { type: 'text' };

export interface LlmBudgetOptions extends LlmBudgetLimits {
  /** Keep the daily counters in this Redis (shared by replicas); in memory when omitted. */
  redisUrl?: string;
  /** Prefix of the Redis keys (default `aegis:`). */
  keyPrefix?: string;
}

export interface LlmClientOptions {
  /** OPENAI_BASE_URL, e.g. `https://api.openai.com/v1` or `http://vllm:8000/v1`. */
  baseUrl: string;
  /** OPENAI_API_KEY (local servers accept any non-empty value). */
  apiKey: string;
  /** AEGIS_LLM_MODEL. */
  model: string;
  /** Per HTTP attempt (AEGIS_LLM_TIMEOUT; default 60 s). */
  timeoutMs?: number;
  /** Retries on 429, 5xx and connection errors (AEGIS_LLM_MAX_RETRIES; default 2). */
  maxRetries?: number;
  /** Calls in flight at once, across all callers of this client (AEGIS_LLM_CONCURRENCY; default 4). */
  concurrency?: number;
  logger?: Logger;
  metrics?: MetricsRegistry;
  budgets?: LlmBudgetOptions;
  /** Applied to every outgoing message text (defence in depth; callers redact their inputs too). */
  redactor?: Redactor;
  /** Clock in milliseconds (budgets' UTC day, latency); default Date.now. */
  now?: () => number;
}

export interface LlmCallOptions {
  conversationId?: string;
  channel?: string;
  /** The turn to charge (from `startTurn()`); turn budgets apply only with one. */
  turn?: LlmTurn;
  /** For logs: what the call is for. */
  purpose?: string;
}

export interface LlmCompletionRequest extends LlmCallOptions {
  messages: readonly LlmMessage[];
  tools?: readonly LlmTool[];
  responseFormat?: LlmResponseFormat;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface LlmToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them (JSON text, not validated). */
  arguments: string;
}

export interface LlmCompletion {
  id: string;
  /** The assistant's text (empty when it only called tools). */
  content: string;
  toolCalls: LlmToolCall[];
  finishReason: string;
  usage: TokenUsage;
}

export interface LlmStatus {
  reachable: boolean;
  baseUrl: string;
  model: string;
  /** `models` (GET /models answered) or `completion` (a 1-token completion answered). */
  via?: 'models' | 'completion';
  /** Whether GET /models lists the configured model (undefined when the server has no model list). */
  modelListed?: boolean;
  latencyMs: number;
  error?: string;
}

export interface LlmClient {
  readonly model: string;
  readonly baseUrl: string;
  /** One chat completion (no tool loop). */
  complete(request: LlmCompletionRequest): Promise<LlmCompletion>;
  /** A LangChain chat model (Chat Completions only) for the agent, charged to the given turn/channel. */
  chatModel(options?: LlmCallOptions & { temperature?: number }): GovernedChatModel;
  /** Counters for one user message; pass them to `chatModel`/`complete` so turn budgets apply. */
  startTurn(): LlmTurn;
  /** Tokens used today, globally and in a channel. */
  usedToday(channel?: string): Promise<{ global: number; channel: number | undefined }>;
  /** Reachability: GET /models, else a 1-token completion; never throws, bounded by `timeoutMs` (default 5 s). */
  llmStatus(options?: { timeoutMs?: number }): Promise<LlmStatus>;
  close(): Promise<void>;
}

function toOpenAiFormat(
  format: LlmResponseFormat,
): NonNullable<OpenAI.Chat.ChatCompletionCreateParams['response_format']> {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    json_schema: { name: format.name, schema: format.schema, strict: format.strict ?? true },
  };
}

function turnOf(turn: LlmTurn | undefined): MutableTurn | undefined {
  // Turns are created here (startTurn) as plain mutable counters; the public type is read-only.
  return turn;
}

export function createLlmClient(options: LlmClientOptions): LlmClient {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxRetries = options.maxRetries ?? 2;
  const now = options.now ?? Date.now;
  const logger = (options.logger ?? silentLogger).child({ component: 'llm' });
  const budgetOptions = options.budgets ?? {};
  const store =
    budgetOptions.redisUrl === undefined
      ? createMemoryTokenStore(now)
      : createRedisTokenStore(budgetOptions.redisUrl);
  const budgets: LlmBudgets = createLlmBudgets(budgetOptions, store, {
    keyPrefix: budgetOptions.keyPrefix ?? 'aegis:',
    now,
  });
  const governor = createCallGovernor({
    model: options.model,
    timeoutMs,
    budgets,
    semaphore: createSemaphore(options.concurrency ?? 4),
    metrics: createLlmMetrics(options.metrics),
    logger,
    redactor: options.redactor,
    now,
  });
  const client = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey,
    timeout: timeoutMs,
    maxRetries,
  });

  const context = (call: LlmCallOptions): CallContext => ({
    conversationId: call.conversationId,
    channel: call.channel,
    turn: turnOf(call.turn),
    purpose: call.purpose,
  });

  return {
    model: options.model,
    baseUrl: options.baseUrl,

    async complete(request) {
      const messages = governor.redactMessages(request.messages);
      const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
        model: options.model,
        messages,
        ...(request.tools === undefined ? {} : { tools: [...request.tools] }),
        ...(request.responseFormat === undefined
          ? {}
          : { response_format: toOpenAiFormat(request.responseFormat) }),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      };
      const completion = await governor.run(
        context(request),
        messages,
        async () =>
          await client.chat.completions.create(
            body,
            request.signal === undefined ? {} : { signal: request.signal },
          ),
        (result) => usageOfCompletion(result, messages),
      );
      const choice = completion.choices[0];
      const toolCalls: LlmToolCall[] = [];
      for (const call of choice?.message.tool_calls ?? []) {
        if (call.type === 'function') {
          toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
        }
      }
      return {
        id: completion.id,
        content: choice?.message.content ?? '',
        toolCalls,
        finishReason: choice?.finish_reason ?? 'stop',
        usage: usageOfCompletion(completion, messages),
      };
    },

    chatModel(call = {}) {
      return new GovernedChatModel({
        baseUrl: options.baseUrl,
        apiKey: options.apiKey,
        model: options.model,
        timeoutMs,
        maxRetries,
        temperature: call.temperature,
        governor,
        context: context(call),
      });
    },

    startTurn: () => ({ steps: 0, tokens: 0 }),

    usedToday: async (channel) => await budgets.usedToday(channel),

    async llmStatus(statusOptions = {}) {
      const limitMs = statusOptions.timeoutMs ?? 5_000;
      const started = now();
      const probe = client.withOptions({ timeout: limitMs, maxRetries: 0 });
      const base = { baseUrl: options.baseUrl, model: options.model };
      try {
        const ids: string[] = [];
        for await (const model of probe.models.list()) {
          ids.push(model.id);
          if (ids.length >= 1_000) break;
        }
        return {
          ...base,
          reachable: true,
          via: 'models',
          modelListed: ids.includes(options.model),
          latencyMs: now() - started,
        };
      } catch (modelsError) {
        const remaining = limitMs - (now() - started);
        if (remaining <= 0) {
          return { ...base, reachable: false, latencyMs: now() - started, error: String(modelsError) };
        }
        try {
          await probe.chat.completions.create(
            { model: options.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 },
            { timeout: remaining },
          );
          return { ...base, reachable: true, via: 'completion', latencyMs: now() - started };
        } catch (error) {
          return {
            ...base,
            reachable: false,
            latencyMs: now() - started,
            error: error instanceof Error ? error.message : String(error),
          };
        }
      }
    },

    close: async () => await budgets.close(),
  };
}
