/**
 * Shared set-up for the health-check tests: a sandbox with simulated nodes and kubelet, a real redis-server,
 * the Aegis CRDs, a fresh namespace, and helpers to create checks and read them back.
 */
import { randomUUID } from 'node:crypto';
import {
  startHealthChecks,
  type HealthAlertIntake,
  type HealthCheckOptions,
  type RunningHealthChecks,
} from '../src/controller/healthchecks/index.js';
import { createKubeClients, installCrds, readCrdManifests, type KubeClients } from '../src/kube/index.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import { startSandbox, type SandboxHandle } from '../src/sandbox/index.js';

export const group = 'aegis.io';
export const version = 'v1alpha1';

export interface HealthFixture {
  sandbox: SandboxHandle;
  redis: RedisProcess;
  clients: KubeClients;
  namespace: string;
  prefix: string;
  close(): Promise<void>;
}

export async function startHealthFixture(nodes: number): Promise<HealthFixture> {
  const [sandbox, redis] = await Promise.all([startSandbox({ nodes }), startRedisProcess()]);
  const clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  const namespace = `hc-${randomUUID().slice(0, 8)}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  return {
    sandbox,
    redis,
    clients,
    namespace,
    prefix: `t-${randomUUID()}`,
    async close() {
      await Promise.all([sandbox.close(), redis.stop()]);
    },
  };
}

export async function runHealthChecks(
  fixture: HealthFixture,
  options: Partial<HealthCheckOptions> = {},
): Promise<RunningHealthChecks> {
  const running = await startHealthChecks({
    clients: fixture.clients,
    redisUrl: fixture.redis.url,
    prefix: fixture.prefix,
    fireNodeEvents: false,
    nodeTimeoutMs: 300_000,
    roundTimeoutMs: 600_000,
    historyLimit: 5,
    resyncIntervalMs: 0,
    retry: { baseDelayMs: 50, maxDelayMs: 500 },
    ...options,
  });
  await running.waitForSync(10_000);
  return running;
}

/** A checker pod template: one container, the sandbox runs it for `duration` and shows `log` as its log. */
export function checkerTemplate(
  log: string | undefined,
  extra: { duration?: string; nodeSelector?: Record<string, string>; tolerations?: unknown[] } = {},
): Record<string, unknown> {
  return {
    metadata: {
      labels: { app: 'node-checker' },
      annotations: {
        'sandbox.aegis.io/duration': extra.duration ?? '200ms',
        ...(log === undefined ? {} : { 'sandbox.aegis.io/log.checker': log }),
      },
    },
    spec: {
      containers: [
        { name: 'checker', image: 'busybox:1.36', command: ['sh', '/nodecheck/config/rules/check.sh'] },
      ],
      ...(extra.nodeSelector === undefined ? {} : { nodeSelector: extra.nodeSelector }),
      ...(extra.tolerations === undefined ? {} : { tolerations: extra.tolerations }),
    },
  };
}

export const passingLog = [
  'I1208 02:00:00.000000 1 main.go:42] checking gpu',
  'results:',
  '  gpu:',
  '  - item: gpu-count',
  '    condition: GpuCountMismatch',
  '    level: critical',
  '    status: false',
  '    message: 8 of 8 GPUs visible',
  '',
].join('\n');

export function failingLog(message: string): string {
  return [
    'results:',
    '  gpu:',
    '  - item: gpu-count',
    '    condition: GpuCountMismatch',
    '    level: critical',
    '    status: true',
    `    message: ${message}`,
    '',
  ].join('\n');
}

export async function getObject<T>(
  fixture: HealthFixture,
  plural: string,
  name: string,
): Promise<T | undefined> {
  try {
    return (await fixture.clients.customObjects.getNamespacedCustomObject({
      group,
      version,
      namespace: fixture.namespace,
      plural,
      name,
    })) as T;
  } catch {
    return undefined;
  }
}

export async function createObject(
  fixture: HealthFixture,
  plural: string,
  kind: string,
  name: string,
  spec: unknown,
  labels?: Record<string, string>,
): Promise<void> {
  await fixture.clients.customObjects.createNamespacedCustomObject({
    group,
    version,
    namespace: fixture.namespace,
    plural,
    body: {
      apiVersion: `${group}/${version}`,
      kind,
      metadata: { name, ...(labels === undefined ? {} : { labels }) },
      spec,
    },
  });
}

export async function annotateNode(
  fixture: HealthFixture,
  node: string,
  annotations: Record<string, string | null>,
): Promise<void> {
  const { PatchStrategy, setHeaderOptions } = await import('@kubernetes/client-node');
  await fixture.clients.core.patchNode(
    { name: node, body: { metadata: { annotations } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/** The real ingest path (queue → intake mover → worker → AegisAlert), as `aegis serve` runs it. */
export async function startIngestPath(
  fixture: HealthFixture,
): Promise<{ intake: HealthAlertIntake; close(): Promise<void> }> {
  const { createIngestQueue, startIngestWorker } = await import('../src/controller/ingest/index.js');
  const { createAegisAlertStore } = await import('../src/kube/index.js');
  const { silentLogger } = await import('../src/core/logger.js');
  const queue = createIngestQueue({
    redisUrl: fixture.redis.url,
    prefix: fixture.prefix,
    logger: silentLogger,
    dedupWindowSeconds: 600,
  });
  const worker = startIngestWorker({
    redisUrl: fixture.redis.url,
    prefix: fixture.prefix,
    logger: silentLogger,
    store: createAegisAlertStore(fixture.clients),
    namespace: fixture.namespace,
    ttl: { secondsAfterSuccess: 3600, secondsAfterFailure: 3600, secondsAfterNoOps: 3600 },
    dedupWindowSeconds: 600,
  });
  return {
    intake: queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

export interface AlertView {
  type: string;
  node: string;
  status: string;
  count: number;
  details: Record<string, string>;
}

export async function listAlerts(fixture: HealthFixture): Promise<AlertView[]> {
  const list = (await fixture.clients.customObjects.listNamespacedCustomObject({
    group,
    version,
    namespace: fixture.namespace,
    plural: 'aegisalerts',
  })) as {
    items: {
      spec: { type: string; involvedObject: { name: string }; details?: Record<string, string> };
      status?: { status?: string; count?: number };
    }[];
  };
  return list.items.map((item) => ({
    type: item.spec.type,
    node: item.spec.involvedObject.name,
    status: item.status?.status ?? '',
    count: item.status?.count ?? 0,
    details: item.spec.details ?? {},
  }));
}
