/**
 * The health-check controllers as `aegis serve` runs them: the node check and cluster check reconcilers on the
 * shared runtime (watch → de-duplicated BullMQ queue → reconcile), and the BullMQ job schedulers that start
 * scheduled rounds. Every replica runs all of it; Redis keeps one reconcile per key and one job per firing.
 */
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { KubeClients } from '../../kube/index.js';
import {
  createCustomObjectClient,
  createEventRecorder,
  createNodePodClient,
  customObjectErrorCodes,
} from '../../kube/index.js';
import { isAegisError } from '../../core/errors.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import {
  controllerOwnerKey,
  startController,
  watchInput,
  type Controller,
  type InformerManager,
  type RetryOptions,
} from '../runtime/index.js';
import type { RedisConnections } from '../../platform/index.js';
import { startCheckScheduler, type CheckScheduler } from './check-scheduler.js';
import { createClusterCheckReconciler } from './cluster-check-reconciler.js';
import type { EventRecorder, HealthAlertIntake, HealthDigestSink } from './health-check-ports.js';
import {
  clusterCheckResource,
  createHealthCheckSources,
  nodeCheckResource,
  type ClusterCheckObject,
  type HealthCheckSources,
  type NodeCheckObject,
} from './health-check-resources.js';
import { kubeTime, subjectOf } from './node-check-conditions.js';
import { createNodeCheckReconciler } from './node-check-reconciler.js';

export const nodeCheckControllerName = 'aegis-node-health-checks';
export const clusterCheckControllerName = 'aegis-cluster-health-checks';

export interface HealthCheckOptions {
  readonly clients: KubeClients;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Where failing items are raised as alerts (the ingest queue); none → no alerts. */
  readonly alerts?: HealthAlertIntake;
  /** Where each round's changes are posted (Slack); none → no digest. */
  readonly digest?: HealthDigestSink;
  readonly fireNodeEvents: boolean;
  readonly nodeTimeoutMs: number;
  readonly roundTimeoutMs: number;
  readonly historyLimit: number;
  readonly events?: EventRecorder;
  readonly sources?: HealthCheckSources;
  /** The process's shared informers (aegis serve); private ones when omitted. */
  readonly informers?: InformerManager;
  /** The process's Redis connection factory (aegis serve); private connections when omitted. */
  readonly redis?: RedisConnections;
  readonly now?: () => Date;
  readonly logger?: Logger;
  readonly metrics?: MetricsRegistry;
  readonly concurrency?: number;
  readonly resyncIntervalMs?: number;
  readonly retry?: RetryOptions;
}

export interface RunningHealthChecks {
  readonly nodeChecks: Controller;
  readonly clusterChecks: Controller;
  readonly scheduler: CheckScheduler;
  readonly sources: HealthCheckSources;
  waitForSync(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHealthChecks(options: HealthCheckOptions): Promise<RunningHealthChecks> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const sources = options.sources ?? createHealthCheckSources(options.clients, logger, options.informers);
  const events = options.events ?? createEventRecorder(options.clients, { component: 'aegis-controller' });
  const nodeCheckClient = createCustomObjectClient<NodeCheckObject>(options.clients, nodeCheckResource);
  const clusterCheckClient = createCustomObjectClient<ClusterCheckObject>(
    options.clients,
    clusterCheckResource,
  );
  const runtime = {
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    logger,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.resyncIntervalMs === undefined ? {} : { resyncIntervalMs: options.resyncIntervalMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.redis === undefined ? {} : { redis: options.redis }),
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const nodeChecks = await startController({
      name: nodeCheckControllerName,
      sources: [
        watchInput(sources.nodeChecks),
        watchInput(sources.pods, controllerOwnerKey({ kind: nodeCheckResource.kind, group: 'aegis.io' })),
        watchInput(sources.nodes, () => []),
      ],
      reconcile: createNodeCheckReconciler({
        sources,
        status: nodeCheckClient,
        pods: createNodePodClient(options.clients),
        events,
        alerts: options.alerts,
        fireNodeEvents: options.fireNodeEvents,
        defaultTimeoutMs: options.nodeTimeoutMs,
        now,
      }),
      ...runtime,
    });
    stops.push(() => nodeChecks.stop());
    // The scheduler is started first (the reconciler syncs schedules through it); its jobs reach the cluster
    // controller through this holder once that exists.
    const started: { clusterChecks?: Controller } = {};
    const scheduler = await startCheckScheduler({
      redisUrl: options.redisUrl,
      prefix: options.prefix,
      logger,
      ...(options.redis === undefined ? {} : { redis: options.redis }),
      onFire: async ({ namespace, name }, scheduledAt) => {
        const check = await clusterCheckClient.get(namespace, name);
        if (check === undefined) {
          await scheduler.sync(namespace, name, undefined);
          return;
        }
        if (
          check.status?.phase === 'Checking' ||
          (check.status?.phase === 'Pending' && check.status.desired === undefined)
        ) {
          await events.record(subjectOf(check, clusterCheckResource.kind), {
            type: 'Warning',
            reason: 'RoundStillRunning',
            message: `the round scheduled for ${kubeTime(scheduledAt)} was skipped: round ${check.status.round ?? '?'} has not finished`,
          });
          return;
        }
        try {
          await clusterCheckClient.patchStatus(
            namespace,
            name,
            {
              phase: 'Pending',
              desired: null,
              active: null,
              succeeded: null,
              failed: null,
              startTime: null,
              completionTime: null,
              lastScheduleTime: kubeTime(now()),
            },
            { resourceVersion: check.metadata?.resourceVersion },
          );
        } catch (error) {
          if (isAegisError(error) && error.code === customObjectErrorCodes.notFound) return;
          throw error;
        }
        await started.clusterChecks?.enqueue({ namespace, name });
      },
    });
    stops.push(() => scheduler.close());
    const cluster = await startController({
      name: clusterCheckControllerName,
      sources: [
        watchInput(sources.clusterChecks),
        watchInput(
          sources.nodeChecks,
          controllerOwnerKey({ kind: clusterCheckResource.kind, group: 'aegis.io' }),
        ),
        watchInput(sources.nodes, () => []),
      ],
      reconcile: createClusterCheckReconciler({
        sources,
        nodeChecks: nodeCheckClient,
        status: clusterCheckClient,
        events,
        alerts: options.alerts,
        digest: options.digest,
        scheduler,
        defaultRoundTimeoutMs: options.roundTimeoutMs,
        historyLimit: options.historyLimit,
        now,
      }),
      ...runtime,
    });
    started.clusterChecks = cluster;
    stops.push(() => cluster.stop());
    return {
      nodeChecks,
      clusterChecks: cluster,
      scheduler,
      sources,
      async waitForSync(timeoutMs) {
        await Promise.all([nodeChecks.waitForSync(timeoutMs), cluster.waitForSync(timeoutMs)]);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
