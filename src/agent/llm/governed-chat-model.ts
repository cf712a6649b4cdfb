/**
 * The LangChain chat model handed to the agent: `ChatOpenAICompletions`, the Chat Completions half of
 * `ChatOpenAI` (so it never switches to the Responses API, whatever the model name; most OpenAI-compatible
 * servers only have Chat Completions), with every HTTP call routed through the call governor: redaction,
 * budgets, the concurrency slot, usage metrics. Streaming is off (`disableStreaming`), so each model step is one
 * non-streaming request whose usage is known.
 */
import { ChatOpenAICompletions } from '@langchain/openai';
import type { OpenAI } from 'openai';
import type { CallContext, CallGovernor, TokenUsage } from './call-governor.js';
import { estimateTokens } from './estimate-tokens.js';

export interface GovernedChatModelOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  temperature?: number | undefined;
  governor: CallGovernor;
  context: CallContext;
}

type Completion = OpenAI.Chat.Completions.ChatCompletion;
type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

export function usageOfCompletion(completion: Completion, prompt: unknown): TokenUsage {
  const usage = completion.usage;
  if (usage !== undefined && usage !== null) {
    return {
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      totalTokens: usage.total_tokens,
    };
  }
  const promptTokens = estimateTokens(prompt);
  const completionTokens = estimateTokens(completion.choices.map((choice) => choice.message));
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

export class GovernedChatModel extends ChatOpenAICompletions {
  private readonly governor: CallGovernor;
  private readonly callContext: CallContext;

  constructor(options: GovernedChatModelOptions) {
    super({
      model: options.model,
      apiKey: options.apiKey,
      configuration: { baseURL: options.baseUrl },
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      streaming: false,
      disableStreaming: true,
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    });
    this.governor = options.governor;
    this.callContext = options.context;
  }

  override completionWithRetry(
    request: OpenAI.Chat.ChatCompletionCreateParamsStreaming,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<AsyncIterable<Chunk>>;
  override completionWithRetry(
    request: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<Completion>;
  override async completionWithRetry(
    request: OpenAI.Chat.ChatCompletionCreateParams,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<AsyncIterable<Chunk> | Completion> {
    const messages = this.governor.redactMessages(request.messages);
    if (request.stream === true) {
      // Not reached with disableStreaming; kept governed anyway, usage estimated from the prompt.
      const streaming = { ...request, messages, stream: true as const };
      return await this.governor.run(
        this.callContext,
        messages,
        async () => await super.completionWithRetry(streaming, requestOptions),
        () => {
          const promptTokens = estimateTokens(messages);
          return { promptTokens, completionTokens: 0, totalTokens: promptTokens };
        },
      );
    }
    const nonStreaming = { ...request, messages, stream: false as const };
    return await this.governor.run(
      this.callContext,
      messages,
      async () => await super.completionWithRetry(nonStreaming, requestOptions),
      (completion) => usageOfCompletion(completion, messages),
    );
  }
}
