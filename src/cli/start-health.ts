import type { AegisConfig } from '../config/index.js';
import { startHealthChecks, type RunningHealthChecks } from '../controller/healthchecks/index.js';
import { createIngestQueue } from '../controller/ingest/index.js';
import type { Logger } from '../core/logger.js';
import type { KubeClients } from '../kube/index.js';
import type { MetricsRegistry } from '../metrics/index.js';
import type { InformerManager } from '../controller/runtime/index.js';
import type { RedisConnections } from '../platform/index.js';
import { createHealthChat } from './health-chat.js';
import type { InboundHealthChecks } from '../bot/inbound/index.js';

export interface RunningHealth {
  readonly checks: RunningHealthChecks;
  /** `/aegis checks` and `/aegis check node` (when Slack is configured). */
  readonly chat: InboundHealthChecks | undefined;
  close(): Promise<void>;
}

/**
 * The health-check controllers as `aegis serve` runs them. Failing items are raised through the ingest queue
 * (the same producer the webhook routes use, so the ingest worker of any replica turns them into AegisAlerts).
 */
export async function startHealth(
  config: AegisConfig,
  dependencies: {
    logger: Logger;
    metrics: MetricsRegistry;
    kubeClients: KubeClients;
    redisUrl: string;
    /** The process's shared informers and Redis connections (docs/decisions/0016-controller-manager.md). */
    informers?: InformerManager;
    redis?: RedisConnections;
  },
): Promise<RunningHealth> {
  const { logger, redisUrl } = dependencies;
  const intake =
    config.healthCheckAlerts === 'true'
      ? createIngestQueue({
          redisUrl,
          prefix: config.queuePrefix,
          logger,
          dedupWindowSeconds: Math.round(config.dedupWindowMs / 1000),
        })
      : undefined;
  const chat = createHealthChat(config, dependencies);
  try {
    const checks = await startHealthChecks({
      clients: dependencies.kubeClients,
      redisUrl,
      prefix: config.queuePrefix,
      ...(intake === undefined ? {} : { alerts: intake }),
      ...(chat === undefined ? {} : { digest: chat.digest }),
      fireNodeEvents: config.healthCheckNodeEvents === 'true',
      nodeTimeoutMs: config.healthCheckNodeTimeoutMs,
      roundTimeoutMs: config.healthCheckRoundTimeoutMs,
      historyLimit: config.healthCheckHistory,
      concurrency: config.reconcileConcurrency,
      logger,
      metrics: dependencies.metrics,
      ...(dependencies.informers === undefined ? {} : { informers: dependencies.informers }),
      ...(dependencies.redis === undefined ? {} : { redis: dependencies.redis }),
    });
    return {
      checks,
      chat: chat?.commands,
      async close() {
        await chat?.close();
        await checks.stop();
        await intake?.close();
      },
    };
  } catch (error) {
    await chat?.close();
    await intake?.close();
    throw error;
  }
}
