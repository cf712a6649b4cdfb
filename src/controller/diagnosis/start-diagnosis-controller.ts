/**
 * The diagnosis controller on the runtime: an informer on AegisDiagnosis in every namespace feeds the
 * reconcile queue `aegis-diagnoses` (phases, TTL); the diagnoses themselves run in a second BullMQ queue,
 * `aegis-diagnosis-work`, with its own concurrency, one run per key across replicas.
 */
import type { DiagnosisCluster } from '../../core/diagnosis/index.js';
import type { Logger } from '../../core/logger.js';
import type { AegisDiagnosis } from '../../core/resources/index.js';
import {
  createCustomObjectClient,
  createDiagnosisCluster,
  createEventRecorder,
  type KubeClients,
} from '../../kube/index.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import type { RedisConnections } from '../../platform/index.js';
import { createWatchSource, startController, startReconcileQueue, watchInput } from '../runtime/index.js';
import type { Controller, ReconcileQueue, WatchSource, WatchedObject } from '../runtime/index.js';
import type { LogBudget } from './collect-options.js';
import type { DiagnosisExplainer } from './diagnosis-ports.js';
import { createDiagnosisReconciler } from './diagnosis-reconciler.js';
import { createDiagnosisWork } from './run-diagnosis-work.js';

export const diagnosisControllerName = 'aegis-diagnoses';
export const diagnosisWorkQueueName = 'aegis-diagnosis-work';

export const diagnosisResource = {
  group: 'aegis.io',
  version: 'v1alpha1',
  plural: 'aegisdiagnosises',
  kind: 'AegisDiagnosis',
} as const;

export type DiagnosisObject = WatchedObject & Partial<Pick<AegisDiagnosis, 'spec' | 'status'>>;

export interface DiagnosisControllerOptions {
  readonly clients: KubeClients;
  readonly redisUrl: string;
  readonly prefix: string;
  /** The process's Redis connection factory (a private one when omitted). */
  readonly redis?: RedisConnections;
  readonly logs: LogBudget;
  readonly collectorPod?: { readonly image: string; readonly command: string; readonly pollMs?: number };
  readonly defaultTimeoutMs: number;
  readonly defaultTtlMs: number;
  readonly language: string;
  /** Diagnoses run at once in this process (default 8). */
  readonly concurrency?: number;
  readonly explainer?: DiagnosisExplainer;
  readonly onFinished?: (diagnosis: AegisDiagnosis) => void;
  readonly cluster?: DiagnosisCluster;
  readonly source?: WatchSource<DiagnosisObject>;
  readonly now?: () => Date;
  readonly logger?: Logger;
  readonly metrics?: MetricsRegistry;
}

export interface DiagnosisController {
  readonly controller: Controller;
  readonly work: ReconcileQueue;
  stop(): Promise<void>;
}

export async function startDiagnosisController(
  options: DiagnosisControllerOptions,
): Promise<DiagnosisController> {
  const now = options.now ?? (() => new Date());
  const store = createCustomObjectClient<AegisDiagnosis>(options.clients, diagnosisResource);
  const logger = options.logger;
  const work = await startReconcileQueue({
    name: diagnosisWorkQueueName,
    redisUrl: options.redisUrl,
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    prefix: options.prefix,
    concurrency: options.concurrency ?? 8,
    // A diagnosis can take minutes (collector pod); the lock is renewed while it runs.
    retry: { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 },
    reconcile: createDiagnosisWork({
      store,
      cluster: options.cluster ?? createDiagnosisCluster(options.clients),
      events: createEventRecorder(options.clients, { component: 'aegis-diagnosis' }),
      ...(options.explainer === undefined ? {} : { explainer: options.explainer }),
      logs: options.logs,
      ...(options.collectorPod === undefined ? {} : { collectorPod: options.collectorPod }),
      defaultTimeoutMs: options.defaultTimeoutMs,
      language: options.language,
      now,
      ...(options.onFinished === undefined ? {} : { onFinished: options.onFinished }),
    }),
    ...(logger === undefined ? {} : { logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
  try {
    const source =
      options.source ??
      createWatchSource<DiagnosisObject>(
        options.clients,
        diagnosisResource,
        logger === undefined ? {} : { logger },
      );
    const controller = await startController({
      name: diagnosisControllerName,
      // Status writes of the work queue come back as events; only phase changes matter here.
      sources: [watchInput(source)],
      reconcile: createDiagnosisReconciler({
        store,
        enqueueWork: (key) => work.enqueue(key),
        defaultTtlMs: options.defaultTtlMs,
        now,
        ...(logger === undefined ? {} : { logger }),
      }),
      redisUrl: options.redisUrl,
      ...(options.redis === undefined ? {} : { redis: options.redis }),
      prefix: options.prefix,
      ...(logger === undefined ? {} : { logger }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    return {
      controller,
      work,
      async stop() {
        await controller.stop();
        await work.close();
      },
    };
  } catch (error) {
    await work.close();
    throw error;
  }
}
