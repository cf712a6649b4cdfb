import { join, resolve } from 'node:path';
import type { AegisConfig } from '../config/index.js';
import { AegisError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createInformerManager } from '../controller/runtime/index.js';
import { createHttpServer, type ReadinessCheck } from '../http/index.js';
import type { KubeClients, KubeTarget } from '../kube/index.js';
import {
  checkApiServer,
  createKubeClients,
  ensureNamespace,
  installCrds,
  readCrdManifests,
  resolveKubeTarget,
  sandboxKubeconfigPath,
} from '../kube/index.js';
import { createMetricsRegistry } from '../metrics/index.js';
import { webhookAuthRequirement } from '../webhooks/index.js';
import { createRedisConnections, createRedisHealth, startRedisProcess } from '../platform/index.js';
import { kubectlInstructions } from './kubectl-instructions.js';
import { startHealth } from './start-health.js';
import { kubernetesDependency, redisDependency } from './serve-dependencies.js';
import { startIngest } from './start-ingest.js';
import { startLlm } from './start-llm.js';
import { startOps } from './start-ops.js';
import { slackConfigured, startSlack } from './start-slack.js';
import { waitForDependencies } from './wait-for-dependencies.js';

export interface ServeDependencies {
  logger: Logger;
  /** Human-readable output (the kubectl instructions). */
  print(text: string): void;
  /** Where `manifest/install` is; the checkout's by default. */
  crdDirectory?: string;
  /** Aborts start-up (a shutdown signal while still waiting for Redis or the API server). */
  signal?: AbortSignal;
}

export interface RunningServe {
  readonly httpUrl: string;
  readonly redisUrl: string;
  readonly target: KubeTarget;
  readonly kubeClients: KubeClients;
  /** The sandbox kubeconfig written for kubectl, when serve runs the sandbox. */
  readonly kubeconfigPath: string | undefined;
  /**
   * Stop in order: the HTTP server first (no new alerts; requests in flight finish), then the rest in reverse
   * start order (workers finish their jobs, watches close), Redis (if we started it), the sandbox last.
   */
  close(): Promise<void>;
}

type Closer = { name: string; close: () => Promise<void> };

/**
 * Start everything `aegis serve` runs. The HTTP port is bound first, so a taken port fails at once and, while
 * Redis or the API server is unreachable, `/healthz` answers and `/readyz` says what is missing (logged once,
 * then at growing intervals; AEGIS_STARTUP_TIMEOUT gives up). If a step fails, whatever already started is
 * stopped again.
 */
export async function startServe(
  config: AegisConfig,
  dependencies: ServeDependencies,
): Promise<RunningServe> {
  const logger = dependencies.logger;
  const closers: Closer[] = [];
  let httpCloser: Closer | undefined;
  const closeAll = async (): Promise<void> => {
    const order = [...(httpCloser === undefined ? [] : [httpCloser]), ...closers.splice(0).reverse()];
    httpCloser = undefined;
    for (const closer of order) {
      try {
        await closer.close();
        logger.info(`stopped ${closer.name}`);
      } catch (error) {
        logger.error({ err: error }, `failed to stop ${closer.name}`);
      }
    }
  };
  try {
    const target = resolveKubeTarget(config);
    logger.info({ mode: target.mode, reason: target.reason }, 'Kubernetes target');
    const webhookAuth = webhookAuthRequirement({
      configured: config.webhookTokens !== undefined || config.webhookHmacSecret !== undefined,
      mode: config.webhookAuth,
      sandbox: target.mode === 'sandbox',
    });
    if (!webhookAuth.ok) throw new AegisError('CONFIG_INVALID', webhookAuth.message);
    if (webhookAuth.warning !== undefined) logger.warn(webhookAuth.warning);
    const metrics = createMetricsRegistry();
    const http = createHttpServer({ logger, metrics });
    const address = { host: config.httpHost, port: config.httpPort };
    await http.listenEarly(address);
    httpCloser = { name: 'HTTP server', close: () => http.close() };
    let starting: string | undefined = 'waiting for Redis and the Kubernetes API server';
    http.addReadinessCheck({
      name: 'startup',
      run: () => (starting === undefined ? Promise.resolve() : Promise.reject(new Error(starting))),
    });
    const { kubeClients, kubeconfigPath } = await connectKubernetes(config, target, dependencies, closers);
    const redisUrl = await connectRedis(config, logger, closers);
    const wait = waitForDependencies(
      [redisDependency(redisUrl, config.redisUrl === undefined), kubernetesDependency(kubeClients, target)],
      { logger, timeoutMs: config.startupTimeoutMs, signal: dependencies.signal },
    );
    // Until both answered, /readyz shows the start-up probe's message for each; then a live check.
    const live: Record<'redis' | 'kubernetes', ReadinessCheck['run'] | undefined> = {
      redis: undefined,
      kubernetes: undefined,
    };
    for (const name of ['redis', 'kubernetes'] as const) {
      http.addReadinessCheck({
        name,
        run: async (signal) => {
          const check = live[name];
          if (check !== undefined) return await check(signal);
          throw new Error(wait.failure(name) ?? 'not checked yet');
        },
      });
    }
    await wait.ready;
    starting = 'starting the controllers';
    const redisHealth = createRedisHealth(redisUrl, logger);
    live.redis = async () => await redisHealth.check();
    live.kubernetes = async (signal) => void (await checkApiServer(kubeClients, signal));
    closers.push({ name: 'redis readiness connection', close: () => redisHealth.close() });
    // The HTTP server closes first on shutdown (it stops taking alerts), then the worker finishes what Redis
    // already holds.
    const llm = startLlm(config, { logger, metrics, redisUrl });
    closers.push({ name: 'LLM client', close: () => llm.close() });
    const ingest = await startIngest(config, {
      logger,
      http,
      metrics,
      kubeClients,
      redisUrl,
      alertParser: llm.alertParser,
    });
    closers.push({ name: 'alert ingest', close: () => ingest.close() });
    // One informer per resource type for the whole process (see docs/decisions/0016-controller-manager.md).
    const informers = createInformerManager(kubeClients, { logger, metrics });
    const redis = createRedisConnections(redisUrl, { logger, metrics });
    const ops = await startOps(config, {
      logger,
      http,
      metrics,
      kubeClients,
      redisUrl,
      informers,
      redis,
      ...(llm.llm === undefined ? {} : { llm: { client: llm.llm, redactor: llm.redactor } }),
    });
    closers.push({ name: 'ops controllers', close: () => ops.close() });
    const health =
      config.healthChecks === 'true'
        ? await startHealth(config, { logger, metrics, kubeClients, redisUrl, informers, redis })
        : undefined;
    if (health !== undefined) closers.push({ name: 'health-check controllers', close: () => health.close() });
    if (slackConfigured(config)) {
      const slack = await startSlack(config, {
        logger,
        http,
        metrics,
        kubeClients,
        informers,
        redis,
        redisUrl,
        approvals: ops.approvals,
        healthChecks: health?.chat,
        queueDepths: async () => [{ name: 'ingest', depth: await ingest.depth() }],
        redisCheck: () => redisHealth.check(),
        llm: llm.llm === undefined ? undefined : { client: llm.llm, redactor: llm.redactor },
      });
      closers.push({ name: 'Slack bot', close: () => slack.close() });
    } else {
      logger.info(
        'Slack is not configured (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN); running without the bot',
      );
    }
    const httpUrl = await http.listen(address);
    starting = undefined;
    return { httpUrl, redisUrl, target, kubeClients, kubeconfigPath, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function connectKubernetes(
  config: AegisConfig,
  target: KubeTarget,
  dependencies: ServeDependencies,
  closers: Closer[],
): Promise<{ kubeClients: KubeClients; kubeconfigPath: string | undefined }> {
  if (target.mode === 'kubeconfig')
    return { kubeClients: createKubeClients({ paths: target.paths }), kubeconfigPath: undefined };
  if (target.mode === 'in-cluster')
    return { kubeClients: createKubeClients({ inCluster: target }), kubeconfigPath: undefined };
  const kubeconfigOut = sandboxKubeconfigPath(config.stateDir);
  // Loaded on demand: production (kubeconfig / in-cluster) never needs the sandbox's code.
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ port: config.sandboxPort, nodes: config.sandboxNodes, kubeconfigOut });
  closers.push({ name: 'sandbox API server', close: () => sandbox.close() });
  const kubeClients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installAegisCrds(kubeClients, dependencies);
  // On the sandbox Aegis owns the cluster, so the namespace alerts are published in is made ready too.
  await ensureNamespace(kubeClients, config.namespace);
  await ensureNamespace(kubeClients, config.healthCheckNamespace);
  dependencies.logger.info(
    { url: sandbox.url, kubeconfig: kubeconfigOut },
    `sandbox API server running; export KUBECONFIG=${kubeconfigOut}`,
  );
  dependencies.print(kubectlInstructions(sandbox.url, kubeconfigOut));
  return { kubeClients, kubeconfigPath: kubeconfigOut };
}

/** Install the CRDs of manifest/install into a sandbox; shared by `serve` and `sandbox`. */
export async function installAegisCrds(
  kubeClients: KubeClients,
  dependencies: Pick<ServeDependencies, 'logger' | 'crdDirectory'>,
): Promise<void> {
  const manifests = await readCrdManifests(dependencies.crdDirectory);
  const installed = await installCrds(kubeClients, manifests);
  dependencies.logger.info(
    { crds: installed.map((result) => `${result.name} (${result.action})`) },
    `installed ${installed.length} CRDs`,
  );
}

async function connectRedis(config: AegisConfig, logger: Logger, closers: Closer[]): Promise<string> {
  if (config.redisUrl !== undefined) return config.redisUrl;
  try {
    const redis = await startRedisProcess({ dir: join(resolve(config.stateDir), 'redis'), logger });
    closers.push({ name: 'local redis-server', close: () => redis.stop() });
    logger.info({ url: redis.url, pid: redis.pid }, 'REDIS_URL is unset; started a local redis-server');
    return redis.url;
  } catch (error) {
    if (error instanceof AegisError && error.code === 'REDIS_SERVER_MISSING') {
      throw new AegisError('REDIS_SERVER_MISSING', `REDIS_URL is unset and ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
