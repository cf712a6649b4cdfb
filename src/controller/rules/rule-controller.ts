/**
 * Wiring of the rule reconciler into the runtime (informer → BullMQ queue → reconcile), and the same for
 * templates, with the Kubernetes adapters from src/kube.
 */
import type { Logger } from '../../core/logger.js';
import type { KubeClients } from '../../kube/index.js';
import { createCustomObjectClient, createEventRecorder } from '../../kube/index.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import type { RedisConnections } from '../../platform/index.js';
import { startController, watchInput } from '../runtime/index.js';
import type { Controller, RetryOptions, WatchedObject, WatchSource } from '../runtime/index.js';
import { createRuleReconciler } from './rule-reconciler.js';
import { createRuleSource, ruleResource } from './rule-resources.js';
import type { EventRecorder } from './write-recorded-status.js';
import type { RuleObject } from './rule-resources.js';

export interface RecordedControllerOptions<T extends WatchedObject> {
  readonly clients: KubeClients;
  readonly redisUrl: string;
  /** The process's Redis connection factory; a private one on `redisUrl` when omitted. */
  readonly redis?: RedisConnections;
  readonly prefix: string;
  /** Shared with other users (e.g. the rule matcher); one is created when omitted. */
  readonly source?: WatchSource<T>;
  readonly events?: EventRecorder;
  readonly now?: () => Date;
  readonly logger?: Logger;
  readonly metrics?: MetricsRegistry;
  readonly concurrency?: number;
  readonly resyncIntervalMs?: number;
  readonly retry?: RetryOptions;
}

export const ruleControllerName = 'aegis-rules';

export async function startRuleController(
  options: RecordedControllerOptions<RuleObject>,
): Promise<Controller> {
  const source = options.source ?? createRuleSource(options.clients, optionalLogger(options.logger));
  const events = options.events ?? createEventRecorder(options.clients, { component: 'aegis-controller' });
  return await startController({
    name: ruleControllerName,
    sources: [watchInput(source)],
    reconcile: createRuleReconciler({
      source,
      status: createCustomObjectClient(options.clients, ruleResource),
      events,
      now: options.now,
    }),
    ...runtimeOptions(options),
  });
}

export function optionalLogger(logger: Logger | undefined): { logger?: Logger } {
  return logger === undefined ? {} : { logger };
}

/** The runtime options shared by the Recorded/Invalid controllers. */
export function runtimeOptions<T extends WatchedObject>(options: RecordedControllerOptions<T>) {
  return {
    redisUrl: options.redisUrl,
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    prefix: options.prefix,
    ...optionalLogger(options.logger),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.resyncIntervalMs === undefined ? {} : { resyncIntervalMs: options.resyncIntervalMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
}
