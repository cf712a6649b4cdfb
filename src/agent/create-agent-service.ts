/**
 * The agent as the composition root builds it (for `aegis serve` with Slack, and for `aegis chat`): the tools on
 * a ClusterReader and the approval service, the conversation history in Redis, the LLM client's per-turn model.
 */
import type { Logger } from '../core/logger.js';
import {
  createAskAgent,
  type AgentModelSource,
  type AgentRedactor,
  type AskAgent,
} from './agent-loop/index.js';
import {
  createConversationStore,
  type ConversationRedis,
  type ConversationStore,
} from './conversation/index.js';
import type { ClusterReader, ObjectDiagnoser, OpsRequestCreator } from './tools/index.js';

export interface AgentSettings {
  /** AEGIS_AGENT_MAX_STEPS: model calls per turn (default 8). */
  maxSteps?: number | undefined;
  /** AEGIS_AGENT_TURN_TIMEOUT: wall time per turn in ms (default 120 s). */
  turnTimeoutMs?: number | undefined;
  /** AEGIS_AGENT_TOOL_TIMEOUT: deadline per tool call in ms (default 10 s). */
  toolTimeoutMs?: number | undefined;
  /** AEGIS_AGENT_HISTORY_TTL: seconds a conversation is kept after its last turn (default 24 h). */
  historyTtlSeconds?: number | undefined;
  /** AEGIS_AGENT_HISTORY_MESSAGES: messages kept per conversation (default 20). */
  historyMessages?: number | undefined;
  /** AEGIS_PROMPTS_DIR: prompt overrides (a mounted ConfigMap). */
  promptsDir?: string | undefined;
}

export interface AgentServiceOptions {
  llm: AgentModelSource;
  redactor: AgentRedactor;
  reader: ClusterReader;
  opsRequests: OpsRequestCreator;
  /** The diagnosis collectors and analyzers (reads only): gives the agent the `diagnose` tool. */
  diagnoser?: ObjectDiagnoser | undefined;
  /** AEGIS_NAMESPACE. */
  namespace: string;
  /** Where conversations are kept: an ioredis client, or `createMemoryConversationRedis()`. */
  history: ConversationRedis;
  /** Prefix of the history keys (AEGIS_QUEUE_PREFIX; default `aegis:`). */
  keyPrefix?: string | undefined;
  settings?: AgentSettings | undefined;
  logger?: Logger | undefined;
  clock?: (() => Date) | undefined;
}

export interface AgentService {
  askAgent: AskAgent;
  conversations: ConversationStore;
}

export function createAgentService(options: AgentServiceOptions): AgentService {
  const settings = options.settings ?? {};
  const conversations = createConversationStore({
    redis: options.history,
    redact: (text) => options.redactor.redact(text),
    ...(options.keyPrefix === undefined ? {} : { prefix: options.keyPrefix }),
    ...(settings.historyTtlSeconds === undefined ? {} : { ttlSeconds: settings.historyTtlSeconds }),
    ...(settings.historyMessages === undefined ? {} : { maxMessages: settings.historyMessages }),
  });
  const askAgent = createAskAgent({
    models: options.llm,
    tools: {
      reader: options.reader,
      opsRequests: options.opsRequests,
      namespace: options.namespace,
      redact: (text) => options.redactor.redact(text),
      diagnoser: options.diagnoser,
    },
    redactor: options.redactor,
    conversations,
    promptsDir: settings.promptsDir,
    limits: {
      ...(settings.maxSteps === undefined ? {} : { maxSteps: settings.maxSteps }),
      ...(settings.turnTimeoutMs === undefined ? {} : { turnTimeoutMs: settings.turnTimeoutMs }),
      ...(settings.toolTimeoutMs === undefined ? {} : { toolTimeoutMs: settings.toolTimeoutMs }),
    },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  return { askAgent, conversations };
}
