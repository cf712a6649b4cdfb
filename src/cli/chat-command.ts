/**
 * `aegis chat`: a terminal conversation with the same agent the Slack bot uses (same tools, prompt, budgets and
 * approval path), one conversation per session. Without an LLM configured it says so and exits 2.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import {
  createAgentService,
  createMemoryConversationRedis,
  type AgentModelSource,
  type AgentReply,
  type AgentSettings,
  type AskAgent,
} from '../agent/index.js';
import { createLlmClient, createRedactor, parseRedactPatterns } from '../agent/index.js';
import type { AegisConfig } from '../config/index.js';
import { createApprovalService } from '../controller/approvals/index.js';
import { agentDiagnoser } from './agent-diagnoser.js';
import { describeForUser } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import {
  createAegisAlertStore,
  createClusterReader,
  createEventRecorder,
  createWorkflowStore,
} from '../kube/index.js';
import { noLlmMessage } from './chat-without-llm.js';
import { connectCliKubernetes } from './rule-commands.js';

export interface ChatFlags {
  /** Who is asking (the requester of proposals); default the OS user name. */
  as?: string;
  kubeconfig?: string;
  /** An AegisAlert to talk about, as if asking in its Slack thread. */
  alert?: string;
}

export interface ChatCommandHandlers {
  chat(flags: ChatFlags): Promise<void>;
}

export { addChatCommand } from './command-registrations.js';

export interface ChatTerminal {
  input: NodeJS.ReadableStream;
  write: (text: string) => void;
}

export { noLlmMessage } from './chat-without-llm.js';

export function formatReply(reply: AgentReply): string {
  const lines = [reply.answer];
  for (const proposal of reply.proposals) {
    if (proposal.status === 'pending_approval') {
      lines.push(
        `  [pending approval] ops request ${proposal.request} runs ${proposal.template}; approve with: aegis approve ${proposal.request} --as <approver>`,
      );
    }
  }
  const sources = [...new Set(reply.citations.map((citation) => citation.tool))];
  if (sources.length > 0) lines.push(`  (read: ${sources.join(', ')})`);
  return `${lines.join('\n')}\n`;
}

/** The conversation loop; resolves with the exit code (0 at end of input or `exit`). */
export async function runChat(
  agent: AskAgent | undefined,
  terminal: ChatTerminal,
  options: { user: string; alert?: string | undefined; sessionId?: string },
): Promise<number> {
  if (agent === undefined) {
    terminal.write(noLlmMessage);
    return 2;
  }
  const conversationId = `chat:${options.sessionId ?? randomUUID()}`;
  terminal.write('Aegis assistant. Ask about alerts, nodes and pods; "exit" or Ctrl-D ends.\n');
  const lines = createInterface({ input: terminal.input, terminal: false });
  for await (const line of lines) {
    const text = line.trim();
    if (text === '') continue;
    if (text === 'exit' || text === 'quit') break;
    try {
      const reply = await agent({
        conversationId,
        text,
        user: options.user,
        surface: 'terminal',
        ...(options.alert === undefined ? {} : { alertContext: { name: options.alert } }),
      });
      terminal.write(formatReply(reply));
    } catch (error) {
      terminal.write(`aegis: ${describeForUser(error, conversationId)}\n`);
    }
  }
  lines.close();
  return 0;
}

export interface StartChatOptions {
  /** The LLM client built from the LLM settings; undefined when none are configured. */
  llm: (AgentModelSource & { close?: () => Promise<void> }) | undefined;
  settings?: AgentSettings;
  terminal: ChatTerminal;
  logger: Logger;
}

/** Wire the agent from the configuration (cluster, approvals, history) and run the conversation. */
export async function startChat(
  flags: ChatFlags,
  config: AegisConfig,
  options: StartChatOptions,
): Promise<number> {
  const user = flags.as ?? userInfo().username;
  if (options.llm === undefined) return await runChat(undefined, options.terminal, { user });
  const clients = connectCliKubernetes(config, flags.kubeconfig);
  const clock = () => new Date();
  const opsRequests = createApprovalService({
    store: createAegisAlertStore(clients),
    workflows: createWorkflowStore(clients),
    events: createEventRecorder(clients, { component: 'aegis-chat' }),
    clock,
    namespace: config.namespace,
    logger: options.logger,
  });
  const redis = await connectHistoryRedis(config.redisUrl, options);
  try {
    const { askAgent } = createAgentService({
      llm: options.llm,
      redactor: createRedactor(),
      reader: createClusterReader(clients),
      diagnoser: agentDiagnoser(config, clients),
      opsRequests,
      namespace: config.namespace,
      history: redis ?? createMemoryConversationRedis(),
      keyPrefix: `${config.queuePrefix}:`,
      settings: options.settings,
      logger: options.logger,
      clock,
    });
    return await runChat(askAgent, options.terminal, { user, alert: flags.alert });
  } finally {
    redis?.disconnect();
    await options.llm.close?.();
  }
}

/** Redis for the history when REDIS_URL is set and answers; otherwise the session keeps it in memory. */
async function connectHistoryRedis(
  url: string | undefined,
  options: Pick<StartChatOptions, 'terminal' | 'logger'>,
): Promise<Redis | undefined> {
  if (url === undefined) return undefined;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', (error: unknown) => options.logger.debug({ err: error }, 'chat history Redis error'));
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    redis.disconnect();
    options.logger.warn({ err: error }, 'Redis not reachable; this chat keeps its history in memory');
    return undefined;
  }
}

/**
 * The LLM client for a terminal session, from the LLM settings (OPENAI_BASE_URL, OPENAI_API_KEY, AEGIS_LLM_*);
 * undefined when none is configured. Budgets are counted in memory unless REDIS_URL is set.
 */
export function chatLlmFrom(config: AegisConfig, logger: Logger): StartChatOptions['llm'] {
  if (config.openaiBaseUrl === undefined || config.llmModel === undefined) return undefined;
  const redactor = createRedactor(
    config.redactPatterns === undefined ? {} : { extraPatterns: parseRedactPatterns(config.redactPatterns) },
  );
  return createLlmClient({
    baseUrl: config.openaiBaseUrl,
    apiKey: config.openaiApiKey ?? 'unused',
    model: config.llmModel,
    timeoutMs: config.llmTimeoutMs,
    maxRetries: config.llmMaxRetries,
    concurrency: config.llmConcurrency,
    logger,
    redactor,
    budgets: {
      turnMaxSteps: config.llmTurnMaxSteps,
      turnMaxTokens: config.llmTurnMaxTokens,
      ...(config.llmDailyTokens === undefined ? {} : { dailyTokens: config.llmDailyTokens }),
      ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
      keyPrefix: `${config.queuePrefix}:`,
    },
  });
}

/** The agent settings the configuration has today: the step limit is the LLM turn budget's. */
export function chatAgentSettingsFrom(config: AegisConfig): AgentSettings {
  return { maxSteps: config.llmTurnMaxSteps, promptsDir: config.promptsDir };
}
