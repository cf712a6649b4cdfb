import { createLlmDiagnosisExplainer, type LlmClient, type Redactor } from '../agent/index.js';
import type { AegisConfig } from '../config/index.js';
import { slackApproverGroups } from './slack-approver-groups.js';
import { startAlertController } from '../controller/alerts/index.js';
import {
  createApprovalService,
  registerApprovalRoutes,
  type ApprovalService,
} from '../controller/approvals/index.js';
import {
  createRuleMatcher,
  ruleResource,
  startRuleController,
  templateResource,
  type RuleObject,
  type TemplateObject,
} from '../controller/rules/index.js';
import { createInformerManager, type InformerManager } from '../controller/runtime/index.js';
import { startTemplateController } from '../controller/templates/index.js';
import {
  diagnosisResource,
  startDiagnosisController,
  type DiagnosisObject,
} from '../controller/diagnosis/index.js';
import type { Logger } from '../core/logger.js';
import type { HttpServer } from '../http/index.js';
import {
  createAegisAlertStore,
  createEventRecorder,
  createWorkflowStore,
  type KubeClients,
} from '../kube/index.js';
import type { MetricsRegistry } from '../metrics/index.js';
import { createRedisConnections, type RedisConnections } from '../platform/index.js';

export interface RunningOps {
  /** Decisions on pending approvals and operator-initiated runs (the Slack bot and the API use it). */
  readonly approvals: ApprovalService;
  /** Stop the controllers (each waits for the reconcile it is running). */
  close(): Promise<void>;
}

/**
 * The ops loop as `aegis serve` runs it: rule and template reconcilers, the rule matcher, the alert reconciler
 * (match → render → approval → Workflow → status) and the approval API. Every replica runs all of them; the
 * reconcile queues in Redis make sure one key is reconciled by one worker at a time.
 */
export async function startOps(
  config: AegisConfig,
  dependencies: {
    logger: Logger;
    http: HttpServer;
    metrics: MetricsRegistry;
    kubeClients: KubeClients;
    redisUrl: string;
    /** The process's shared informers; `aegis serve` passes its own so the Slack notifier shares them. */
    informers?: InformerManager;
    /** The process's Redis connection factory (named, counted connections). */
    redis?: RedisConnections;
    /** When an LLM is configured: diagnoses get its summary (else the rule-based one). */
    llm?: { client: LlmClient; redactor: Redactor };
  },
): Promise<RunningOps> {
  const { logger, kubeClients: clients, redisUrl, metrics } = dependencies;
  const informers = dependencies.informers ?? createInformerManager(clients, { logger, metrics });
  const redis = dependencies.redis ?? createRedisConnections(redisUrl, { logger, metrics });
  const prefix = config.queuePrefix;
  const stops: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    // One rule informer for the matcher, the rule controller and the alert controller's lookups: whoever
    // subscribes after it started is handed the rules it already holds, so pre-existing rules are recorded.
    const ruleSource = informers.informer<RuleObject>(ruleResource);
    // Rules and templates only from AEGIS_NAMESPACE and AEGIS_RULE_NAMESPACES; Workflows only as allowed accounts.
    const ruleNamespaces = new Set([config.namespace, ...(config.ruleNamespaces ?? [])]);
    const matcher = createRuleMatcher(ruleSource, { logger, namespaces: ruleNamespaces });
    stops.push(() => matcher.stop());
    const rules = await startRuleController({
      clients,
      redisUrl,
      redis,
      prefix,
      source: ruleSource,
      logger,
      metrics,
    });
    stops.push(() => rules.stop());
    const templates = await startTemplateController({
      clients,
      redisUrl,
      redis,
      prefix,
      source: informers.informer<TemplateObject>(templateResource),
      logger,
      metrics,
    });
    stops.push(() => templates.stop());
    const diagnoses = await startDiagnosisController({
      ...diagnosisOptions(config, { clients, redisUrl, prefix, logger, metrics }),
      redis,
      source: informers.informer<DiagnosisObject>(diagnosisResource),
      ...(dependencies.llm === undefined
        ? {}
        : {
            explainer: createLlmDiagnosisExplainer({
              llm: dependencies.llm.client,
              redactor: dependencies.llm.redactor,
              keywords: config.diagnosisLogKeywords,
              ...(config.promptsDir === undefined ? {} : { promptsDir: config.promptsDir }),
              logger,
            }),
          }),
    });
    stops.push(() => diagnoses.stop());
    // Alerts are only matched once every rule is known; otherwise a restart would mark them RuleNotFound.
    await matcher.waitForSync(60_000);
    const alerts = await startAlertController({
      clients,
      redisUrl,
      redis,
      prefix,
      matcher,
      namespace: config.namespace,
      approvalDefault: config.approvalDefault,
      workflowPolicy: {
        templateNamespaces: ruleNamespaces,
        serviceAccounts: new Set(config.workflowServiceAccounts),
      },
      concurrency: config.reconcileConcurrency,
      logger,
      metrics,
      informers,
    });
    stops.push(() => alerts.stop());
    const approvals = createApprovalService({
      store: createAegisAlertStore(clients),
      workflows: createWorkflowStore(clients),
      events: createEventRecorder(clients, { component: 'aegis' }),
      clock: () => new Date(),
      namespace: config.namespace,
      logger,
      ...withGroups(slackApproverGroups(config, logger)),
    });
    registerApprovalRoutes(dependencies.http.app, {
      service: approvals,
      auth: { tokens: config.apiTokens },
      prefix: config.routePrefix,
    });
    return { approvals, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function withGroups<T>(resolveGroups: T | undefined): { resolveGroups?: T } {
  return resolveGroups === undefined ? {} : { resolveGroups };
}

/** The diagnosis controller's options from the configuration (collector pod only when enabled). */
export function diagnosisOptions(
  config: AegisConfig,
  base: { clients: KubeClients; redisUrl: string; prefix: string; logger: Logger; metrics: MetricsRegistry },
): Parameters<typeof startDiagnosisController>[0] {
  return {
    ...base,
    logs: {
      keywords: config.diagnosisLogKeywords,
      fetchLines: config.diagnosisLogFetchLines,
      maxLines: config.diagnosisLogMaxLines,
    },
    ...(config.diagnosisCollector === 'true'
      ? { collectorPod: { image: config.diagnosisCollectorImage, command: config.diagnosisCollectorCommand } }
      : {}),
    defaultTimeoutMs: config.diagnosisTimeoutMs,
    defaultTtlMs: config.diagnosisTtlMs,
    language: config.language,
    concurrency: config.diagnosisConcurrency,
  };
}
