/**
 * One agent turn: load the conversation, give the model the system prompt (with the thread's alert), the
 * history and the question, let it call the read-only tools until it answers, within a step limit, a turn
 * timeout and the LLM client's token budgets; then store the question and the answer (redacted). Tools get
 * the asker as fixed context, so a proposal is always requested by the person who asked, never by "the bot".
 */
import { AIMessage, HumanMessage, type BaseMessage, type UsageMetadata } from '@langchain/core/messages';
import { createAgent } from 'langchain';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { ConversationStore } from '../conversation/index.js';
import type { LlmClient, LlmTurn } from '../llm/index.js';
import { loadPrompt } from '../prompts/index.js';
import {
  createAgentTools,
  summarizeAlert,
  type AgentTool,
  type AgentToolDependencies,
  type ProposalResult,
  type ToolInvocation,
} from '../tools/index.js';
import {
  describeProposals,
  stopMessage,
  type AgentReply,
  type AgentStopReason,
  type AskAgentInput,
} from './agent-reply.js';
import { toLangChainTools as toLangChain } from './langchain-tools.js';
import { renderSystemPrompt } from './render-system-prompt.js';
import { createTurnMeter, turnMiddleware } from './turn-middleware.js';

/** The LLM client's part the agent uses: per-turn counters and a chat model charged to them. */
export type AgentModelSource = Pick<LlmClient, 'chatModel' | 'startTurn'>;

export interface AgentRedactor {
  redact(text: string): string;
  redactValue(value: unknown): unknown;
}

export interface AgentLimits {
  /** Model calls per turn (AEGIS_AGENT_MAX_STEPS, default 8). */
  maxSteps?: number;
  /** Wall time per turn (AEGIS_AGENT_TURN_TIMEOUT, default 120 s). */
  turnTimeoutMs?: number;
  /** Deadline per tool call (default 10 s). */
  toolTimeoutMs?: number;
  /** Bound on one tool output, in characters (default 16,000). */
  maxToolOutputChars?: number;
}

export interface AskAgentDependencies {
  models: AgentModelSource;
  tools: AgentToolDependencies;
  redactor: AgentRedactor;
  conversations: ConversationStore;
  /** AEGIS_PROMPTS_DIR: an `agent.md` there replaces the built-in `prompts/agent.md`. */
  promptsDir?: string | undefined;
  /** The base system prompt; default `loadPrompt('agent', { overrideDir: promptsDir })`. */
  systemPrompt?: () => Promise<string>;
  limits?: AgentLimits;
  clock?: () => Date;
  logger?: Logger;
}

export type AskAgent = (input: AskAgentInput) => Promise<AgentReply>;

export const agentDefaults = { maxSteps: 8, turnTimeoutMs: 120_000 } as const;

export function createAskAgent(dependencies: AskAgentDependencies): AskAgent {
  const { redactor, conversations } = dependencies;
  const maxSteps = dependencies.limits?.maxSteps ?? agentDefaults.maxSteps;
  const timeoutMs = dependencies.limits?.turnTimeoutMs ?? agentDefaults.turnTimeoutMs;
  const clock = dependencies.clock ?? (() => new Date());
  const logger = (dependencies.logger ?? silentLogger).child({ component: 'agent' });
  const tools: readonly AgentTool[] = createAgentTools(dependencies.tools);
  const systemPrompt =
    dependencies.systemPrompt ?? (() => loadPrompt('agent', { overrideDir: dependencies.promptsDir }));
  const toolOptions = {
    redactValue: (value: unknown) => redactor.redactValue(value),
    ...(dependencies.limits?.toolTimeoutMs === undefined
      ? {}
      : { timeoutMs: dependencies.limits.toolTimeoutMs }),
    ...(dependencies.limits?.maxToolOutputChars === undefined
      ? {}
      : { maxOutputChars: dependencies.limits.maxToolOutputChars }),
  };

  return async (input) => {
    const started = performance.now();
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new AegisError('AGENT_TURN_TIMEOUT', 'turn timed out')),
      timeoutMs,
    );
    const signal =
      input.signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, input.signal]);
    const invocations: ToolInvocation[] = [];
    const meter = createTurnMeter();
    const turn = dependencies.models.startTurn();
    let messages: BaseMessage[] = [];
    let stop: AgentStopReason = 'answered';
    let budgetMessage: string | undefined;
    const question = redactor.redact(input.text);
    try {
      const [history, base, alert] = await Promise.all([
        conversations.load(input.conversationId),
        systemPrompt(),
        alertOf(input.alertContext),
      ]);
      const turnPrompt = renderSystemPrompt(base, {
        now: clock(),
        surface: input.surface ?? (input.channel === undefined ? 'terminal' : 'slack'),
        maxSteps,
        ...(alert === undefined ? {} : { alert }),
      });
      const context = {
        user: input.user,
        channel: input.channel,
        conversationId: input.conversationId,
        signal,
      };
      const agent = createAgent({
        model: dependencies.models.chatModel({
          turn,
          conversationId: input.conversationId,
          purpose: 'agent',
          ...(input.channel === undefined ? {} : { channel: input.channel }),
        }),
        tools: toLangChain(tools, context, toolOptions, (invocation) => invocations.push(invocation)),
        systemPrompt: turnPrompt,
        middleware: [turnMiddleware(meter, maxSteps)],
      });
      const prior = history.map((message) =>
        message.role === 'user' ? new HumanMessage(message.text) : new AIMessage(message.text),
      );
      const state = await agent.invoke(
        { messages: [...prior, new HumanMessage(question)] },
        { signal, recursionLimit: maxSteps * 3 + 5 },
      );
      messages = state.messages.slice(prior.length + 1);
      if (meter.stepLimitReached) stop = 'step_limit';
    } catch (error) {
      const budget = findAegisError(error, 'LLM_BUDGET_EXCEEDED');
      if (timeout.signal.aborted) stop = 'timeout';
      else if (budget !== undefined) {
        stop = (budget as { budget?: string }).budget === 'turn-steps' ? 'step_limit' : 'budget';
        budgetMessage = budget.userMessage;
      } else if (error instanceof Error && error.name === 'GraphRecursionError') stop = 'step_limit';
      else throw error;
    } finally {
      clearTimeout(timer);
    }

    const proposals = invocations
      .filter((invocation) => invocation.kind === 'proposal' && invocation.ok)
      .map((invocation) => invocation.output as ProposalResult);
    const finalText = stop === 'answered' ? finalAnswer(messages) : undefined;
    if (stop === 'answered' && finalText === undefined) stop = 'step_limit';
    const answer =
      finalText ??
      [
        stopMessage(stop as Exclude<AgentStopReason, 'answered'>, { maxSteps, timeoutMs, budgetMessage }),
        describeProposals(proposals),
      ]
        .filter((line) => line !== '')
        .join('\n');
    const usage = usageOf(messages, turn, invocations, meter, performance.now() - started);

    const now = clock().toISOString();
    await conversations.append(input.conversationId, [
      { role: 'user', text: question, at: now, user: input.user },
      { role: 'assistant', text: answer, at: now },
    ]);
    logger.info(
      {
        conversationId: input.conversationId,
        user: input.user,
        channel: input.channel,
        stop,
        modelCalls: usage.modelCalls,
        toolCalls: usage.toolCalls,
        tokens: usage.totalTokens,
        proposals: proposals.map((proposal) =>
          proposal.status === 'pending_approval' ? proposal.request : proposal.status,
        ),
        ms: Math.round(usage.durationMs),
      },
      'agent turn finished',
    );
    return {
      answer,
      citations: invocations.map((invocation) => ({
        tool: invocation.tool,
        input: invocation.input,
        ok: invocation.ok,
      })),
      proposals,
      usage,
      stop,
    };
  };

  async function alertOf(reference: AskAgentInput['alertContext']): Promise<unknown> {
    if (reference === undefined) return undefined;
    const namespace = reference.namespace ?? dependencies.tools.namespace;
    try {
      const alert = await dependencies.tools.reader.getAlert(namespace, reference.name);
      if (alert === undefined)
        return { name: reference.name, namespace, note: 'this alert no longer exists' };
      return redactor.redactValue(summarizeAlert(alert, 'full'));
    } catch (error) {
      logger.warn(
        { err: error, alert: `${namespace}/${reference.name}` },
        'could not read the alert of the thread',
      );
      return { name: reference.name, namespace, note: 'this alert could not be read just now' };
    }
  }
}

/** The text of the last AI message when it is a final answer (no further tool calls). */
function finalAnswer(messages: readonly BaseMessage[]): string | undefined {
  const last = messages.at(-1);
  if (last === undefined || !AIMessage.isInstance(last) || (last.tool_calls?.length ?? 0) > 0)
    return undefined;
  const text = last.text.trim();
  return text === '' ? undefined : text;
}

function usageOf(
  messages: readonly BaseMessage[],
  turn: LlmTurn,
  invocations: readonly ToolInvocation[],
  meter: { modelCalls: number; modelMs: number },
  durationMs: number,
) {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const message of messages) {
    if (message.type !== 'ai') continue;
    // AIMessage types usage_metadata through its generic message structure, which resolves to never here.
    const usage = (message as { usage_metadata?: unknown }).usage_metadata as UsageMetadata | undefined;
    inputTokens += usage?.input_tokens ?? 0;
    outputTokens += usage?.output_tokens ?? 0;
  }
  return {
    modelCalls: meter.modelCalls,
    toolCalls: invocations.length,
    inputTokens,
    outputTokens,
    // The turn counts every call the LLM client made, also those of a turn that stopped with an error.
    totalTokens: Math.max(turn.tokens, inputTokens + outputTokens),
    durationMs,
    modelMs: meter.modelMs,
    toolMs: invocations.reduce((sum, invocation) => sum + invocation.durationMs, 0),
  };
}

function findAegisError(error: unknown, code: string): AegisError | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 8; depth += 1) {
    if (current instanceof AegisError && current.code === code) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
