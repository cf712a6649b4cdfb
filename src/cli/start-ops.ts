import type { AegisConfig } from '../config/index.js';
import { startAlertController } from '../controller/alerts/index.js';
import {
  createApprovalService,
  registerApprovalRoutes,
  type ApprovalService,
} from '../controller/approvals/index.js';
import { createRuleMatcher, createRuleSource, startRuleController } from '../controller/rules/index.js';
import { startTemplateController } from '../controller/templates/index.js';
import type { Logger } from '../core/logger.js';
import type { HttpServer } from '../http/index.js';
import {
  createAegisAlertStore,
  createEventRecorder,
  createWorkflowStore,
  type KubeClients,
} from '../kube/index.js';
import type { MetricsRegistry } from '../metrics/index.js';

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
  },
): Promise<RunningOps> {
  const { logger, kubeClients: clients, redisUrl, metrics } = dependencies;
  const prefix = config.queuePrefix;
  const stops: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const ruleSource = createRuleSource(clients, { logger });
    // Rules and templates only from AEGIS_NAMESPACE and AEGIS_RULE_NAMESPACES; Workflows only as allowed accounts.
    const ruleNamespaces = new Set([config.namespace, ...(config.ruleNamespaces ?? [])]);
    const matcher = createRuleMatcher(ruleSource, { logger, namespaces: ruleNamespaces });
    stops.push(() => matcher.stop());
    const rules = await startRuleController({
      clients,
      redisUrl,
      prefix,
      source: ruleSource,
      logger,
      metrics,
    });
    stops.push(() => rules.stop());
    const templates = await startTemplateController({ clients, redisUrl, prefix, logger, metrics });
    stops.push(() => templates.stop());
    // Alerts are only matched once every rule is known; otherwise a restart would mark them RuleNotFound.
    await matcher.waitForSync(60_000);
    const alerts = await startAlertController({
      clients,
      redisUrl,
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
    });
    stops.push(() => alerts.stop());
    const approvals = createApprovalService({
      store: createAegisAlertStore(clients),
      workflows: createWorkflowStore(clients),
      events: createEventRecorder(clients, { component: 'aegis' }),
      clock: () => new Date(),
      namespace: config.namespace,
      logger,
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
