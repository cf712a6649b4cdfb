/**
 * The health checks in Slack, as `aegis serve` wires them: the round digest (posted in the channel routed for
 * `NodeHealthCheckFailed`), `/aegis checks`, and `/aegis check node`, which creates the check and posts its
 * result in the channel it was asked in once the check finished.
 */
import { Redis } from 'ioredis';
import { createHealthDigestSink } from '../bot/health-digest/index.js';
import { renderNodeCheckResult, type InboundHealthChecks } from '../bot/inbound/index.js';
import { createChannelRouter, createSlackClient, slackRoutesSchema, type SlackClient } from '../bot/index.js';
import type { AegisConfig } from '../config/index.js';
import {
  clusterCheckResource,
  nodeCheckResource,
  startNodeCheck,
  waitForNodeCheck,
  type ClusterCheckObject,
  type HealthDigestSink,
  type NodeCheckObject,
} from '../controller/healthchecks/index.js';
import type { Logger } from '../core/logger.js';
import { createCustomObjectClient, type KubeClients } from '../kube/index.js';

export interface HealthChat {
  readonly digest: HealthDigestSink;
  readonly commands: InboundHealthChecks;
  close(): Promise<void>;
}

/** Undefined when Slack is not configured. */
export function createHealthChat(
  config: AegisConfig,
  dependencies: { kubeClients: KubeClients; redisUrl: string; logger: Logger },
): HealthChat | undefined {
  const token = config.slackBotToken;
  const channel = config.slackChannel;
  if (token === undefined || channel === undefined) return undefined;
  const routes = slackRoutesSchema.safeParse(config.slackRoutes ?? []);
  const slack: SlackClient = createSlackClient({
    token,
    ...(config.slackApiUrl === undefined ? {} : { apiUrl: config.slackApiUrl }),
    logger: dependencies.logger,
  });
  const redis = new Redis(dependencies.redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (error: Error) =>
    dependencies.logger.warn({ err: error.message }, 'health digest: redis error'),
  );
  const clients = {
    clusterChecks: createCustomObjectClient<ClusterCheckObject>(
      dependencies.kubeClients,
      clusterCheckResource,
    ),
    nodeChecks: createCustomObjectClient<NodeCheckObject>(dependencies.kubeClients, nodeCheckResource),
  };
  const namespace = config.healthCheckNamespace;
  const pending = new Set<Promise<void>>();
  const stopping = new AbortController();
  const postResult = async (name: string, where: string): Promise<void> => {
    const check = await waitForNodeCheck(clients, namespace, name, {
      timeoutMs: config.healthCheckNodeTimeoutMs + 30_000,
      pollMs: 1_000,
      signal: stopping.signal,
    });
    if (stopping.signal.aborted) return;
    const results = Object.entries(check?.status?.results ?? {}).flatMap(([module, items]) =>
      items.map((item) => ({ module, ...item })),
    );
    const reply = renderNodeCheckResult({
      name,
      node: check?.spec?.node ?? '',
      status: check?.status?.status ?? 'Unknown',
      reason: check?.status?.conditions?.findLast((condition) => condition.status === 'True')?.message,
      items: results,
    });
    await slack.postMessage({ channel: where, message: { text: reply.text, blocks: reply.blocks } });
  };
  return {
    digest: createHealthDigestSink({
      slack,
      router: createChannelRouter(channel, routes.success ? routes.data : []),
      redis,
      keyPrefix: config.queuePrefix,
    }),
    commands: {
      async list() {
        const checks = await clients.clusterChecks.list(namespace);
        return checks.map((check) => ({
          namespace: check.metadata?.namespace ?? namespace,
          name: check.metadata?.name ?? '',
          schedule: check.spec?.schedule,
          phase: check.status?.phase,
          round: check.status?.round,
          lastRound: check.status?.history?.[0],
        }));
      },
      async checkNode(request) {
        const name = await startNodeCheck(clients, {
          namespace,
          node: request.node,
          from: request.from,
          requestedBy: `slack:${request.user}`,
          now: new Date(),
        });
        const where = request.channel ?? channel;
        const job = postResult(name, where)
          .catch((error: unknown) =>
            dependencies.logger.warn({ err: error, check: name }, 'could not post the node check result'),
          )
          .finally(() => pending.delete(job));
        pending.add(job);
        return name;
      },
    },
    async close() {
      // Results still awaited are not posted (the check itself finishes and stays visible with kubectl).
      stopping.abort();
      await Promise.allSettled([...pending]);
      redis.disconnect();
    },
  };
}
