/**
 * The alert controller: AegisAlerts (own key) and Argo Workflows (mapped to their controlling AegisAlert) feed
 * one reconcile queue; AegisOpsTemplates and AegisAlertOpsRules are cached for lookups (they queue nothing).
 * AegisSilences are cached too (a silence is checked against the cache, never listed per run); a change of one
 * (created, extended, deleted) queues the not-yet-triggered alerts it matches.
 * Every replica runs this with the same prefix; the runtime keeps one run per alert at a time.
 */
import type { ApprovalDefault } from '../../core/approvals/index.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { AegisAlert, AegisSilence } from '../../core/resources/index.js';
import { silenceMatches } from '../../core/silences/index.js';
import type { KubeClients } from '../../kube/index.js';
import {
  createAegisAlertStore,
  createEventRecorder,
  createTemplateStatusStore,
  createWorkflowStore,
} from '../../kube/index.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import { createRedisConnections } from '../../platform/index.js';
import type { RedisConnections } from '../../platform/index.js';
import {
  controllerOwnerKey,
  informerOf,
  objectKeyOf,
  startController,
  watchInput,
} from '../runtime/index.js';
import type { Controller, InformerManager, RetryOptions, WatchedObject } from '../runtime/index.js';
import { createAlertMetrics } from './alert-metrics.js';
import { createAlertVersions } from './alert-versions.js';
import { workflowChangeMatters } from './alert-workflow.js';
import type { RuleMatcher, RuleView, TemplateView, WorkflowObject } from '../../core/ports/index.js';
import { createOutcomeLedger } from './outcome-ledger.js';
import type { WorkflowPolicy } from './alert-lookups.js';
import { createAlertReconciler } from './reconcile-alert.js';
import type { AlertReconcilerDependencies } from './reconcile-alert.js';

export interface AlertControllerOptions {
  readonly clients: KubeClients;
  readonly redisUrl: string;
  /** The process's Redis connection factory; a private one on `redisUrl` when omitted. */
  readonly redis?: RedisConnections;
  /** BullMQ key prefix shared by every replica. */
  readonly prefix: string;
  readonly matcher: RuleMatcher;
  /** Namespace of the AegisAlerts (and so of their Workflows); all namespaces when omitted. */
  readonly namespace?: string;
  /** Queue name (default `aegis-alerts`). */
  readonly name?: string;
  readonly approvalDefault?: ApprovalDefault;
  /** Template namespaces and Workflow service accounts allowed; unchecked when omitted. */
  readonly workflowPolicy?: WorkflowPolicy;
  readonly initialStatusGraceMs?: number;
  readonly concurrency?: number;
  readonly resyncIntervalMs?: number;
  readonly retry?: RetryOptions;
  readonly now?: () => Date;
  readonly logger?: Logger;
  readonly metrics?: MetricsRegistry;
  /** The process's shared informers (`aegis serve` passes its manager); private ones when omitted. */
  readonly informers?: InformerManager;
  /** Replace adapters (tests count or break API calls). */
  readonly overrides?: Partial<
    Pick<AlertReconcilerDependencies, 'workflowStore' | 'templateStore' | 'statusWriter' | 'events'>
  >;
}

export interface AlertController {
  readonly controller: Controller;
  waitForSync(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

type AlertWatched = AegisAlert & WatchedObject;
type WorkflowWatched = WorkflowObject & WatchedObject;
type TemplateWatched = TemplateView & WatchedObject;
type RuleWatched = RuleView & WatchedObject;
type SilenceWatched = AegisSilence & WatchedObject;

const workflowOwner = controllerOwnerKey({ kind: 'AegisAlert', group: 'aegis.io' });

export async function startAlertController(options: AlertControllerOptions): Promise<AlertController> {
  const { clients, namespace } = options;
  const logger = (options.logger ?? silentLogger).child({ component: 'alert-controller' });
  const scope = namespace === undefined ? {} : { namespace };
  const sourceOptions = { logger };
  const alerts = informerOf<AlertWatched>(
    options.informers,
    clients,
    { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisalerts', ...scope },
    sourceOptions,
  );
  const workflows = informerOf<WorkflowWatched>(
    options.informers,
    clients,
    { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows', ...scope },
    sourceOptions,
  );
  const templates = informerOf<TemplateWatched>(
    options.informers,
    clients,
    { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisopstemplates' },
    sourceOptions,
  );
  const rules = informerOf<RuleWatched>(
    options.informers,
    clients,
    { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisalertopsrules' },
    sourceOptions,
  );

  // A silence applies to the alerts of its own namespace.
  const silences = informerOf<SilenceWatched>(
    options.informers,
    clients,
    { group: 'aegis.io', version: 'v1alpha1', plural: 'aegissilences', ...scope },
    sourceOptions,
  );

  const connections = options.redis ?? createRedisConnections(options.redisUrl, { logger });
  const redis = connections.open('alerts:ledger', 'commands');
  const name = options.name ?? 'aegis-alerts';
  const overrides = options.overrides ?? {};
  const versions = createAlertVersions();
  const reconcile = createAlertReconciler({
    versions,
    alerts,
    workflows,
    templates,
    rules,
    silences,
    matcher: options.matcher,
    synced: () => templates.hasSynced && rules.hasSynced && workflows.hasSynced && silences.hasSynced,
    workflowStore: overrides.workflowStore ?? createWorkflowStore(clients),
    templateStore: overrides.templateStore ?? createTemplateStatusStore(clients),
    statusWriter: overrides.statusWriter ?? createAegisAlertStore(clients),
    events:
      overrides.events ?? createEventRecorder(clients, options.now === undefined ? {} : { now: options.now }),
    ledger: createOutcomeLedger(redis, { prefix: `${options.prefix}:${name}` }),
    metrics: createAlertMetrics(options.metrics),
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.approvalDefault === undefined ? {} : { approvalDefault: options.approvalDefault }),
    ...(options.workflowPolicy === undefined ? {} : { workflowPolicy: options.workflowPolicy }),
    ...(options.initialStatusGraceMs === undefined
      ? {}
      : { initialStatusGraceMs: options.initialStatusGraceMs }),
  });

  let controller: Controller;
  try {
    controller = await startController({
      name,
      // Started in this order, so the lookup caches have listed before the first alert event arrives.
      sources: [
        // Cached for lookups only: a template or rule change re-runs no alert.
        watchInput(templates, () => []),
        watchInput(rules, () => []),
        // A silence that starts, changes or ends re-runs the alerts it matches that have not triggered yet.
        watchInput(silences, (event) =>
          alerts
            .list(event.object.metadata.namespace)
            .filter(
              (alert) =>
                alert.status?.opsStatus?.triggerStatus === undefined && silenceMatches(event.object, alert),
            )
            .flatMap((alert) => {
              const key = objectKeyOf(alert);
              return key === undefined ? [] : [key];
            }),
        ),
        // Argo writes a Workflow's status many times while it runs (nodes, progress); only a change the alert
        // reflects (phase, times, message, owner, deletion) queues its alert.
        watchInput(workflows, (event) =>
          event.previous === undefined || workflowChangeMatters(event.previous, event.object)
            ? workflowOwner(event)
            : [],
        ),
        // The alert's own events, except those of versions a run here has already decided on.
        watchInput(alerts, (event) => {
          const key = objectKeyOf(event.object);
          if (key === undefined) return [];
          return versions.observe(`${key.namespace}/${key.name}`, event.object, event.type) ? [key] : [];
        }),
      ],
      reconcile,
      redisUrl: options.redisUrl,
      redis: connections,
      prefix: options.prefix,
      logger,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.resyncIntervalMs === undefined ? {} : { resyncIntervalMs: options.resyncIntervalMs }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    controller,
    waitForSync: (timeoutMs) => controller.waitForSync(timeoutMs),
    stop() {
      stopping ??= (async () => {
        await controller.stop();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return stopping;
    },
  };
}
