import {
  startSlackBot,
  type AgentPort,
  type InboundHealthChecks,
  type InboundServices,
} from '../bot/inbound/index.js';
import { createClusterReader } from '../kube/index.js';
import { agentDiagnoser } from './agent-diagnoser.js';
import { createSlackClient, slackRoutesSchema, startSlackNotifier } from '../bot/index.js';
import { Redis } from 'ioredis';
import { createAgentService, createSlackAgentPort, type LlmClient, type Redactor } from '../agent/index.js';
import type { AegisConfig } from '../config/index.js';
import type { ApprovalService } from '../controller/approvals/index.js';
import type { InformerManager } from '../controller/runtime/index.js';
import { AegisError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AegisAlertOpsRule, AegisOpsTemplate } from '../core/resources/index.js';
import type { HttpServer } from '../http/index.js';
import {
  checkApiServer,
  createAegisAlertStore,
  createAegisSilenceStore,
  createCustomObjectClient,
  type KubeClients,
} from '../kube/index.js';
import type { MetricsRegistry } from '../metrics/index.js';
import type { RedisConnections } from '../platform/index.js';
import { createDiagnosisChat } from './diagnosis-chat.js';

export interface RunningSlack {
  readonly mode: 'socket' | 'http';
  close(): Promise<void>;
}

export interface SlackDependencies {
  logger: Logger;
  http: HttpServer;
  metrics: MetricsRegistry;
  kubeClients: KubeClients;
  /** The process's shared informers (one list + watch per resource type). */
  informers?: InformerManager;
  /** The process's Redis connection factory (named, counted connections). */
  redis?: RedisConnections;
  redisUrl: string;
  approvals: ApprovalService;
  /** `/aegis checks` and `/aegis check node`; undefined when health checks are off. */
  healthChecks?: InboundHealthChecks | undefined;
  /** Queue depths and Redis reachability for `/aegis status`. */
  queueDepths: () => Promise<{ name: string; depth: number }[]>;
  redisCheck: () => Promise<void>;
  /** When an LLM is configured, mentions, DMs and thread replies go to the agent. */
  llm?: { client: LlmClient; redactor: Redactor } | undefined;
}

/** Whether the Slack bot is configured: a bot token, and a signing secret unless Socket Mode is used. */
export function slackConfigured(config: AegisConfig): boolean {
  return (
    config.slackBotToken !== undefined &&
    (config.slackSigningSecret !== undefined || config.slackAppToken !== undefined)
  );
}

/**
 * The Slack bot as `aegis serve` runs it: the notifier (alert threads, edited in place, through the rate-limited
 * posting queue) and the Bolt app (slash command, buttons, App Home, mentions) on the Aegis HTTP port, or over
 * Socket Mode when SLACK_APP_TOKEN is set. Call before the HTTP server listens.
 */
export async function startSlack(
  config: AegisConfig,
  dependencies: SlackDependencies,
): Promise<RunningSlack> {
  const { logger, kubeClients: clients } = dependencies;
  const botToken = config.slackBotToken;
  if (botToken === undefined) throw new AegisError('CONFIG_INVALID', 'SLACK_BOT_TOKEN is not set');
  const routes = slackRoutesSchema.safeParse(config.slackRoutes ?? []);
  if (!routes.success) {
    const problem = routes.error.issues[0];
    throw new AegisError(
      'CONFIG_INVALID',
      `AEGIS_SLACK_ROUTES: ${problem?.path.join('.') ?? ''}: ${problem?.message ?? 'invalid'}`,
    );
  }
  const channel = config.slackChannel;
  if (channel === undefined)
    throw new AegisError(
      'CONFIG_INVALID',
      'AEGIS_SLACK_CHANNEL is not set (the default channel for alert threads)',
    );
  const namespace = config.namespace;
  const alertStore = createAegisAlertStore(clients);
  const rules = createCustomObjectClient<AegisAlertOpsRule>(clients, {
    group: 'aegis.io',
    version: 'v1alpha1',
    plural: 'aegisalertopsrules',
    kind: 'AegisAlertOpsRule',
  });
  const templates = createCustomObjectClient<AegisOpsTemplate>(clients, {
    group: 'aegis.io',
    version: 'v1alpha1',
    plural: 'aegisopstemplates',
    kind: 'AegisOpsTemplate',
  });
  const diagnosisChat = createDiagnosisChat(config, { kubeClients: clients, logger, botToken, channel });
  const services: InboundServices = {
    approvals: dependencies.approvals,
    opsRequests: { create: (request) => dependencies.approvals.createOpsRequest(request) },
    alerts: {
      list: () => alertStore.list(namespace),
      get: (reference) => alertStore.get(reference.namespace ?? namespace, reference.name),
    },
    rules: { list: () => rules.list(namespace) },
    templates: { list: () => templates.list(namespace) },
    silences: createAegisSilenceStore(clients, { namespace }),
    healthChecks: dependencies.healthChecks,
    diagnoses: diagnosisChat.commands,
    status: async () => {
      const outcome = async (check: () => Promise<unknown>) =>
        await check().then(
          () => ({ ok: true }),
          (error: unknown) => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }),
        );
      return {
        queues: await dependencies.queueDepths().catch(() => []),
        apiServer: await outcome(() => checkApiServer(clients, AbortSignal.timeout(2_000))),
        redis: await outcome(dependencies.redisCheck),
        llm:
          dependencies.llm === undefined
            ? undefined
            : await dependencies.llm.client.llmStatus({ timeoutMs: 2_000 }).then((status) => ({
                ok: status.reachable,
                detail: `${status.model} at ${status.baseUrl}`,
              })),
      };
    },
  };
  const apiUrl = config.slackApiUrl;
  const notifier = await startSlackNotifier({
    clients,
    redisUrl: dependencies.redisUrl,
    prefix: config.queuePrefix,
    slack: { token: botToken, ...(apiUrl === undefined ? {} : { apiUrl }) },
    channel,
    routes: routes.data,
    storm: { threshold: config.slackStormThreshold, windowMs: config.slackStormWindowMs },
    namespace,
    logger,
    metrics: dependencies.metrics,
    ...(dependencies.informers === undefined ? {} : { informers: dependencies.informers }),
    ...(dependencies.redis === undefined ? {} : { redis: dependencies.redis }),
  });
  let history: Redis | undefined;
  let agent: AgentPort | undefined;
  if (dependencies.llm !== undefined) {
    history = new Redis(dependencies.redisUrl, { maxRetriesPerRequest: 2 });
    history.on('error', (error: Error) => logger.warn({ err: error.message }, 'agent history: redis error'));
    const service = createAgentService({
      llm: dependencies.llm.client,
      redactor: dependencies.llm.redactor,
      reader: createClusterReader(clients),
      diagnoser: agentDiagnoser(config, clients),
      opsRequests: dependencies.approvals,
      namespace,
      history,
      keyPrefix: `${config.queuePrefix}:`,
      settings: { maxSteps: config.llmTurnMaxSteps, promptsDir: config.promptsDir },
      logger,
    });
    const slackClient = createSlackClient({
      token: botToken,
      ...(apiUrl === undefined ? {} : { apiUrl }),
      logger,
    });
    agent = createSlackAgentPort({
      askAgent: service.askAgent,
      slack: slackClient,
      // A proposal's approval message also appears in the thread it was asked in.
      approvalThreads: notifier,
      logger,
    });
  }
  try {
    const bot = await startSlackBot({
      botToken,
      signingSecret: config.slackSigningSecret ?? '',
      ...(config.slackAppToken === undefined ? {} : { appToken: config.slackAppToken }),
      ...(apiUrl === undefined ? {} : { apiUrl }),
      http: dependencies.http,
      services,
      ...(agent === undefined ? {} : { agent }),
      logger,
      metrics: dependencies.metrics,
      ...(config.routePrefix === undefined ? {} : { routePrefix: config.routePrefix }),
      rights: { operators: config.slackOperators ?? [], silenceMaxMs: config.silenceMaxMs },
    });
    logger.info({ mode: bot.mode, channel }, 'Slack bot started');
    return {
      mode: bot.mode,
      async close() {
        await bot.stop();
        await diagnosisChat.close();
        await notifier.stop();
        history?.disconnect();
      },
    };
  } catch (error) {
    await diagnosisChat.close();
    await notifier.stop();
    history?.disconnect();
    throw error;
  }
}
