/**
 * A cluster health check over 1,000 sandbox nodes (issue 13): the sandbox API server runs in its own process
 * (ops-sandbox-child.ts, counting the requests it serves), Aegis's health-check controllers in this one.
 * Per round: time until every node check exists, time until the round is aggregated (Completed; each checker
 * pod runs 1 s on the simulated kubelet), API calls per node by kind, and this process's RSS during the round.
 * Target: create every node check and aggregate within 10 s.
 *
 * Baseline, measured in the same run against the same API server: creating and deleting 1,000
 * AegisNodeHealthChecks and 1,000 pods straight through the JSON client at the same parallelism (the API work
 * of a round without any controller). Ratio = round time / baseline time. Results: bench/results/healthchecks.json.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHealthChecks } from '../src/controller/healthchecks/index.js';
import { createIngestQueue } from '../src/controller/ingest/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createKubeClients } from '../src/kube/index.js';
import { kubeJsonClientFor } from '../src/kube/kube-clients.js';
import { startRedisProcess } from '../src/platform/index.js';
import { median, writeResults } from './support/stats.js';

const nodeCount = Number(process.env['BENCH_NODES'] ?? '1000');
const rounds = Number(process.env['BENCH_ROUNDS'] ?? '3');
const failingNodes = 10;

const dir = await mkdtemp(join(tmpdir(), 'aegis-bench-health-'));
const kubeconfig = join(dir, 'sandbox.kubeconfig');
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    fileURLToPath(new URL('./support/ops-sandbox-child.ts', import.meta.url)),
    kubeconfig,
    String(nodeCount),
  ],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
let output = '';
child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
const waitOutput = async (pattern: RegExp, from: number): Promise<RegExpExecArray> => {
  for (;;) {
    const match = pattern.exec(output.slice(from));
    if (match !== null) return match;
    if (child.exitCode !== null) throw new Error('the sandbox process exited');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
await waitOutput(/URL (\S+)\n/, 0);
const apiCounts = async (): Promise<Record<string, number>> => {
  const from = output.length;
  child.stdin.write('counts\n');
  return JSON.parse((await waitOutput(/COUNTS (\{.*\})\n/, from))[1] ?? '{}') as Record<string, number>;
};

const redis = await startRedisProcess();
const clients = createKubeClients({ paths: [kubeconfig] });
const maybeJson = kubeJsonClientFor(clients.kubeConfig);
if (maybeJson === undefined) throw new Error('the bench needs the JSON client');
const json = maybeJson;
const namespace = 'monitoring';
const prefix = `bench-health-${Date.now()}`;
const intake = createIngestQueue({
  redisUrl: redis.url,
  prefix,
  logger: silentLogger,
  dedupWindowSeconds: 600,
});

const passing =
  'results:\n  gpu:\n  - {item: gpu-count, condition: GpuCountMismatch, level: critical, status: false, message: "8 of 8 GPUs visible"}\n';
const failing = passing.replace('status: false', 'status: true').replace('8 of 8', '7 of 8');
for (let index = 1; index <= failingNodes; index += 1) {
  await json.request({
    method: 'PATCH',
    path: `/api/v1/nodes/node-${index * 97}`,
    body: { metadata: { annotations: { 'sandbox.aegis.io/pod-log.checker': failing } } },
    contentType: 'application/merge-patch+json',
  });
}
const template = {
  metadata: { annotations: { 'sandbox.aegis.io/duration': '1s', 'sandbox.aegis.io/log.checker': passing } },
  spec: { containers: [{ name: 'checker', image: 'busybox', command: ['sh', '-c', 'true'] }] },
};

/** Round time of the controllers: create the cluster check, wait for every node check, then for Completed. */
async function measureRound(
  round: number,
): Promise<{
  createMs: number;
  completeMs: number;
  rssMaxMiB: number;
  rssMedianMiB: number;
  calls: Record<string, number>;
}> {
  const running = await startHealthChecks({
    clients,
    redisUrl: redis.url,
    prefix: `${prefix}-${round}`,
    alerts: intake,
    fireNodeEvents: false,
    nodeTimeoutMs: 300_000,
    roundTimeoutMs: 600_000,
    historyLimit: 10,
    concurrency: Number(process.env['BENCH_CONCURRENCY'] ?? '16'),
    resyncIntervalMs: 0,
  });
  await running.waitForSync(60_000);
  const name = `gpu-${round}`;
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss / 2 ** 20), 100);
  const before = await apiCounts();
  const started = performance.now();
  await json.request({
    method: 'POST',
    path: `/apis/aegis.io/v1alpha1/namespaces/${namespace}/aegisclusterhealthchecks`,
    body: {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisClusterHealthCheck',
      metadata: { name },
      spec: { template },
    },
  });
  let createMs = Number.NaN;
  let lastTrace = 0;
  let completeMs = Number.NaN;
  for (;;) {
    const children = running.sources.nodeChecks
      .list(namespace)
      .filter((check) => check.metadata?.labels?.['aegis.io/cluster-health-check'] === name);
    if (Number.isNaN(createMs) && children.length >= nodeCount) createMs = performance.now() - started;
    const done = children.filter((child) => child.status?.completionTime !== undefined).length;
    const pending = children.filter((child) => child.status?.status === 'Pending').length;
    if (process.env['BENCH_TRACE'] === '1' && Math.floor(performance.now() / 1000) !== lastTrace) {
      lastTrace = Math.floor(performance.now() / 1000);
      console.log(
        `${Math.round(performance.now() - started)} ms: ${children.length} node checks, ${pending} Pending, ${done} finished`,
      );
    }
    const check = running.sources.clusterChecks.get(namespace, name);
    if (check?.status?.phase === 'Completed') {
      completeMs = performance.now() - started;
      const failingFound = check.status.checkResults?.results?.length ?? 0;
      if (failingFound !== failingNodes || check.status.succeeded !== nodeCount) {
        throw new Error(
          `round ${round}: ${check.status.succeeded}/${nodeCount} succeeded, ${failingFound} failing (expected ${failingNodes})`,
        );
      }
      break;
    }
    if (performance.now() - started > 300_000)
      throw new Error(`round ${round} did not complete in 5 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  clearInterval(sampler);
  // Let the clean-up (node checks and their pods deleted) finish before counting.
  for (;;) {
    const left = running.sources.nodeChecks.list(namespace).length;
    if (left === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const after = await apiCounts();
  await running.stop();
  const calls: Record<string, number> = {};
  for (const [kind, count] of Object.entries(after)) {
    const delta = count - (before[kind] ?? 0);
    if (delta > 0 && !kind.startsWith('WATCH')) calls[kind] = Math.round((delta / nodeCount) * 100) / 100;
  }
  return { createMs, completeMs, rssMaxMiB: Math.max(...rss), rssMedianMiB: median(rss), calls };
}

/** Baseline: the same objects created and deleted straight through the JSON client, 32 at a time. */
async function measureBaseline(round: number): Promise<number> {
  const started = performance.now();
  const names = Array.from({ length: nodeCount }, (_, index) => `node-${index + 1}`);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < names.length) {
      const node = names[next] ?? '';
      next += 1;
      const checkName = `base-${round}-${node}`;
      await json.request({
        method: 'POST',
        path: `/apis/aegis.io/v1alpha1/namespaces/${namespace}/aegisnodehealthchecks`,
        body: {
          apiVersion: 'aegis.io/v1alpha1',
          kind: 'AegisNodeHealthCheck',
          metadata: { name: checkName },
          spec: { node, template },
        },
      });
      await json.request({
        method: 'POST',
        path: `/api/v1/namespaces/${namespace}/pods`,
        body: {
          metadata: { name: `${checkName}-checker`, annotations: { 'sandbox.aegis.io/frozen': 'true' } },
          spec: { nodeName: node, containers: [{ name: 'checker', image: 'busybox' }] },
        },
      });
      await json.request({
        method: 'DELETE',
        path: `/api/v1/namespaces/${namespace}/pods/${checkName}-checker`,
      });
      await json.request({
        method: 'DELETE',
        path: `/apis/aegis.io/v1alpha1/namespaces/${namespace}/aegisnodehealthchecks/${checkName}`,
      });
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  return performance.now() - started;
}

const results: Awaited<ReturnType<typeof measureRound>>[] = [];
const baselines: number[] = [];
try {
  for (let round = 1; round <= rounds; round += 1) {
    baselines.push(await measureBaseline(round));
    results.push(await measureRound(round));
    const last = results.at(-1);
    console.log(
      `round ${round}: node checks created in ${Math.round(last?.createMs ?? 0)} ms, aggregated in ${Math.round(last?.completeMs ?? 0)} ms; baseline ${Math.round(baselines.at(-1) ?? 0)} ms; RSS max ${Math.round(last?.rssMaxMiB ?? 0)} MiB`,
    );
  }
  const summary = {
    nodes: nodeCount,
    rounds,
    failingNodes,
    checkerPodRunsMs: 1000,
    createAllNodeChecksMsMedian: Math.round(median(results.map((result) => result.createMs))),
    roundCompleteMsMedian: Math.round(median(results.map((result) => result.completeMs))),
    targetMs: 10_000,
    baselineRawApiMsMedian: Math.round(median(baselines)),
    ratioRoundToBaseline:
      Math.round((median(results.map((result) => result.completeMs)) / median(baselines)) * 100) / 100,
    apiCallsPerNode: results.at(-1)?.calls,
    apiCallsPerNodeTotal:
      Math.round(Object.values(results.at(-1)?.calls ?? {}).reduce((sum, value) => sum + value, 0) * 100) /
      100,
    rssMaxMiBMedian: Math.round(median(results.map((result) => result.rssMaxMiB))),
    rssMedianMiBMedian: Math.round(median(results.map((result) => result.rssMedianMiB))),
    note: 'Measured on a shared 2-core machine with other work running; figures are noisy.',
  };
  console.log(JSON.stringify(summary, null, 2));
  console.log(`wrote ${await writeResults('healthchecks', summary)}`);
} finally {
  await intake.close();
  await redis.stop();
  child.kill('SIGTERM');
  await once(child, 'exit');
}
