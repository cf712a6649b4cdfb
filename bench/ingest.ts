/**
 * Alert ingest (issue 3, "Performance"), measured over real HTTP from a load generator in this process against
 * servers in child processes, each figure next to a baseline measured in the same run:
 *
 * - accept throughput and latency. Baseline: a bare Fastify route that pushes each alert of the body into
 *   Redis with one command (LPUSH), the ceiling for "durably accepted". Aegis: the webhook routes on the
 *   ingest queue, one XADD to the intake stream per request (no worker or mover running, so both sides only
 *   accept; the mover's and the worker's cost shows in the watch and storm phases). 64 connections, closed loop for
 *   throughput (one alert per request, then Alertmanager batches of 50), open loop at a steady rate for
 *   latency (measured from the scheduled send time, so a stall is not hidden).
 * - POST → AegisAlert visible to a watcher (client-node Watch on the sandbox), distinct fingerprints at a
 *   steady rate, with the ingest worker running (warmed up first with 1 s at half the rate, like the accept
 *   phase's warm-up; the Aegis process's CPU per alert is counted from after the warm-up). Baseline: the AegisAlert created directly on the API server
 *   at the same rate → seen by the same watcher (the API server's own floor).
 * - storm: many deliveries of one fingerprint → one AegisAlert whose count is exact, with few API writes
 *   (counted by the worker's store, and by the API server's resourceVersion delta). Baseline: one write per
 *   delivery, what a naive ingest would cost.
 *
 * Sizes: BENCH_ROUNDS (3), BENCH_SINGLE_REQUESTS (15000), BENCH_BATCH_REQUESTS (600), BENCH_BATCH_SIZE (50),
 * BENCH_LATENCY_RATE (1000/s), BENCH_LATENCY_SECONDS (5), BENCH_WATCH_RATE (200/s), BENCH_WATCH_SECONDS (10),
 * BENCH_STORM (50000); BENCH_ONLY=accept,watch,storm picks phases; BENCH_CPU_PROF=<dir> profiles the Aegis
 * processes (node --cpu-prof). Results: bench/results/ingest.json.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Watch } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { buildAegisAlertObject, fingerprintLabelValue, type Alert } from '../src/core/alerts/index.js';
import type { AegisAlert } from '../src/controller/ingest/index.js';
import {
  createAegisAlertStore,
  createKubeClients,
  ensureNamespace,
  installCrds,
  readCrdManifests,
  type KubeClients,
} from '../src/kube/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import { startIngestChild, type IngestChild, type IngestChildMode } from './support/ingest-processes.js';
import { median, percentile, writeResults } from './support/stats.js';

const knob = (name: string, fallback: number): number => Number(process.env[name] ?? String(fallback));
const rounds = knob('BENCH_ROUNDS', 3);
const singleRequests = knob('BENCH_SINGLE_REQUESTS', 15_000);
const batchRequests = knob('BENCH_BATCH_REQUESTS', 600);
const batchSize = knob('BENCH_BATCH_SIZE', 50);
const latencyRate = knob('BENCH_LATENCY_RATE', 1_000);
const latencySeconds = knob('BENCH_LATENCY_SECONDS', 5);
const watchRate = knob('BENCH_WATCH_RATE', 200);
const watchSeconds = knob('BENCH_WATCH_SECONDS', 10);
const stormDeliveries = knob('BENCH_STORM', 50_000);
const phases = new Set((process.env['BENCH_ONLY'] ?? 'accept,watch,storm').split(','));
const cpuProfileDir = process.env['BENCH_CPU_PROF'];
const connections = 64;
const namespace = 'monitoring';
const json = { 'content-type': 'application/json' };

const targets = {
  singleAlertsPerSecond: 5_000,
  singleVsBaseline: 0.5,
  batchAlertsPerSecond: 20_000,
  acceptP99Milliseconds: 50,
  visibleP50Milliseconds: 50,
  visibleP99Milliseconds: 250,
  stormMaxWrites: 200,
};

let serial = 0;
const runId = Date.now().toString(36);

function customAlert(fingerprint: string, node: string): Record<string, unknown> {
  return {
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: node },
    details: { node, severity: 'critical', description: 'bench alert' },
    fingerprint,
  };
}

function alertmanagerBatch(first: number, size: number): string {
  const startsAt = new Date().toISOString();
  const alerts = Array.from({ length: size }, (_, offset) => {
    const i = first + offset;
    return {
      status: 'firing',
      labels: { alertname: 'NodeHasEmergencyEvent', node: `node-${i % 1000}`, severity: 'critical' },
      annotations: { description: 'bench alert' },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: `am-${runId}-${i}`,
    };
  });
  return JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="NodeHasEmergencyEvent"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'aegis',
    groupLabels: { alertname: 'NodeHasEmergencyEvent' },
    commonLabels: { alertname: 'NodeHasEmergencyEvent', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.bench:9093',
    alerts,
  });
}

interface Post {
  path: string;
  body: string;
  /** The status that means success (default 202). */
  expect?: number;
}
type Send = (i: number) => Post;

async function post(pool: Pool, request: Post): Promise<void> {
  const response = await pool.request({
    method: 'POST',
    headers: json,
    path: request.path,
    body: request.body,
  });
  const text = await response.body.text();
  const expected = request.expect ?? 202;
  if (response.statusCode !== expected)
    throw new Error(`${request.path} answered ${response.statusCode}: ${text}`);
}

/** Closed loop: `count` requests, `connections` in flight; resolves to requests per second. */
async function drive(pool: Pool, count: number, send: Send): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      await post(pool, send(i));
    }
  };
  await Promise.all(Array.from({ length: connections }, () => worker()));
  return count / ((performance.now() - started) / 1000);
}

/** Open loop: `rate` requests per second for `seconds`; resolves to each request's latency (ms) from its due time. */
async function paced(
  pool: Pool,
  rate: number,
  seconds: number,
  send: Send,
  onSent?: (i: number, at: number) => void,
): Promise<number[]> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const errors: unknown[] = [];
  const started = performance.now();
  let i = 0;
  while (i < total) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    // Send everything that is due (the timer may have fired late): the schedule does not slip.
    while (i < total && started + (i * 1000) / rate <= performance.now()) {
      const index = i;
      const scheduled = started + (index * 1000) / rate;
      onSent?.(index, scheduled);
      const request = post(pool, send(index)).then(
        () => void latencies.push(performance.now() - scheduled),
        (error: unknown) => void errors.push(error),
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      i += 1;
    }
  }
  await Promise.all(inFlight);
  if (errors.length > 0) throw new Error(`${errors.length} requests failed, first: ${String(errors[0])}`);
  return latencies;
}

interface AcceptFigures {
  singleAlertsPerSecond: number;
  batchAlertsPerSecond: number;
  acceptP50Milliseconds: number;
  acceptP99Milliseconds: number;
  rounds: { single: number[]; batch: number[]; p50: number[]; p99: number[] };
}

async function acceptPhase(mode: IngestChildMode, redisUrl: string, admin: Redis): Promise<AcceptFigures> {
  serial += 1;
  const prefix = `bench-${mode}-${serial}`;
  const child = await startIngestChild(
    mode,
    { AEGIS_BENCH_REDIS_URL: redisUrl, AEGIS_BENCH_PREFIX: prefix, AEGIS_BENCH_NAMESPACE: namespace },
    mode === 'aegis' ? cpuProfileDir : undefined,
  );
  const pool = new Pool(child.url, { connections, keepAliveTimeout: 60_000 });
  const single: number[] = [];
  const batch: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  try {
    // Warm up (JIT, connections) before anything is measured.
    await drive(pool, 2_000, (i) => ({
      path: '/default/alert',
      body: JSON.stringify(customAlert(`warm-${i}`, 'node-0')),
    }));
    for (let round = 0; round < rounds; round += 1) {
      await admin.flushdb();
      single.push(
        await drive(pool, singleRequests, (i) => ({
          path: '/default/alert',
          body: JSON.stringify(customAlert(`s-${runId}-${round}-${i}`, `node-${i % 1000}`)),
        })),
      );
      await admin.flushdb();
      const requestsPerSecond = await drive(pool, batchRequests, (i) => ({
        path: '/alertmanager/alert',
        body: alertmanagerBatch((round * batchRequests + i) * batchSize, batchSize),
      }));
      batch.push(requestsPerSecond * batchSize);
      await admin.flushdb();
      const latencies = await paced(pool, latencyRate, latencySeconds, (i) => ({
        path: '/default/alert',
        body: JSON.stringify(customAlert(`l-${runId}-${round}-${i}`, `node-${i % 1000}`)),
      }));
      p50.push(percentile(latencies, 50));
      p99.push(percentile(latencies, 99));
    }
  } finally {
    await pool.close();
    await child.stop();
    await admin.flushdb();
  }
  return {
    singleAlertsPerSecond: median(single),
    batchAlertsPerSecond: median(batch),
    acceptP50Milliseconds: median(p50),
    acceptP99Milliseconds: median(p99),
    rounds: { single, batch, p50, p99 },
  };
}

/** A watch on the AegisAlerts of the namespace, calling `onEvent` with each event's type and object. */
async function watchAlerts(
  clients: KubeClients,
  onEvent: (type: string, alert: AegisAlert) => void,
): Promise<AbortController> {
  const watch = new Watch(clients.kubeConfig);
  return await watch.watch(
    `/apis/aegis.io/v1alpha1/namespaces/${namespace}/aegisalerts`,
    {},
    // client-node types watched objects as `any`; this watch only ever yields AegisAlerts.
    (type: string, object: AegisAlert) => onEvent(type, object),
    () => undefined,
  );
}

function visibleFigures(latencies: number[], expected: number): Record<string, number> {
  return {
    seen: latencies.length,
    expected,
    p50Milliseconds: percentile(latencies, 50),
    p99Milliseconds: percentile(latencies, 99),
  };
}

/** Wait until `seen()` reaches `expected` or `timeoutMs` passes. */
async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(50);
}

async function resourceVersion(clients: KubeClients): Promise<number> {
  const list = (await clients.customObjects.listNamespacedCustomObject({
    group: 'aegis.io',
    version: 'v1alpha1',
    plural: 'aegisalerts',
    namespace,
    limit: 1,
  })) as { metadata?: { resourceVersion?: string } };
  return Number(list.metadata?.resourceVersion ?? Number.NaN);
}

async function clusterPhases(redisUrl: string, admin: Redis): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'aegis-bench-ingest-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sandbox = await startIngestChild('sandbox', { AEGIS_BENCH_KUBECONFIG_OUT: kubeconfigPath });
  const results: Record<string, unknown> = {};
  try {
    const clients = createKubeClients({ yaml: await readFile(kubeconfigPath, 'utf8') });
    await installCrds(clients, await readCrdManifests());
    await ensureNamespace(clients, namespace);
    const store = createAegisAlertStore(clients);
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const aborter = await watchAlerts(clients, (type, alert) => {
      if (type !== 'ADDED') return;
      const at = sentAt.get(alert.metadata.labels?.['fingerprint'] ?? '');
      if (at !== undefined) latencies.push(performance.now() - at);
    });
    const startAegis = async (): Promise<IngestChild> => {
      serial += 1;
      return await startIngestChild(
        'aegis',
        {
          AEGIS_BENCH_REDIS_URL: redisUrl,
          AEGIS_BENCH_PREFIX: `bench-aegis-${serial}`,
          AEGIS_BENCH_NAMESPACE: namespace,
          AEGIS_BENCH_KUBECONFIG: kubeconfigPath,
        },
        cpuProfileDir,
      );
    };
    try {
      if (phases.has('watch')) {
        const expected = Math.round(watchRate * watchSeconds);
        // Baseline: the AegisAlert created directly on the API server, at the same rate.
        latencies.length = 0;
        const now = new Date().toISOString();
        const directPool = new Pool(clients.server, { connections: 16 });
        try {
          await paced(
            directPool,
            watchRate,
            watchSeconds,
            (i) => {
              const fingerprint = `direct-${runId}-${i}`;
              const alert: Alert = {
                source: 'Default',
                type: 'NodeHasEmergencyEvent',
                status: 'Firing',
                involvedObject: { kind: 'Node', name: `node-${i % 1000}` },
                details: { node: `node-${i % 1000}`, severity: 'critical' },
                fingerprint,
              };
              const { object } = buildAegisAlertObject(alert, {
                namespace,
                systemParameters: {},
                ttl: {},
                now,
              });
              const path = `/apis/aegis.io/v1alpha1/namespaces/${namespace}/aegisalerts`;
              return { path, body: JSON.stringify(object), expect: 201 };
            },
            (i, at) => sentAt.set(fingerprintLabelValue(`direct-${runId}-${i}`), at),
          );
        } finally {
          await directPool.close();
        }
        await until(() => latencies.length >= expected, 30_000);
        const baseline = visibleFigures(latencies, expected);

        const aegis = await startAegis();
        const pool = new Pool(aegis.url, { connections, keepAliveTimeout: 60_000 });
        // Warm up (JIT, lazy imports, connections), as the accept phase does: 1 s at half the rate, all seen.
        latencies.length = 0;
        const warmCount = Math.round(watchRate / 2);
        await paced(
          pool,
          watchRate / 2,
          1,
          (i) => ({
            path: '/default/alert',
            body: JSON.stringify(customAlert(`ww-${runId}-${i}`, `node-${i % 1000}`)),
          }),
          (i, at) => sentAt.set(fingerprintLabelValue(`ww-${runId}-${i}`), at),
        );
        await until(() => latencies.length >= warmCount, 30_000);
        aegis.markCpu();
        await sleep(200);
        latencies.length = 0;
        const watchStarted = performance.now();
        let createdPerSecond = Number.NaN;
        let stopped: Record<string, unknown> = {};
        try {
          await paced(
            pool,
            watchRate,
            watchSeconds,
            (i) => ({
              path: '/default/alert',
              body: JSON.stringify(customAlert(`w-${runId}-${i}`, `node-${i % 1000}`)),
            }),
            (i, at) => sentAt.set(fingerprintLabelValue(`w-${runId}-${i}`), at),
          );
          await until(() => latencies.length >= expected, 60_000);
          // How fast the worker turned deliveries into objects, start to last one seen (a backlog shows here).
          createdPerSecond = latencies.length / ((performance.now() - watchStarted) / 1000);
        } finally {
          await pool.close();
          stopped = await aegis.stop();
          results['watchWriteCounts'] = stopped;
        }
        const cpuMilliseconds = Number(stopped['cpuMilliseconds'] ?? Number.NaN);
        results['visible'] = {
          rate: watchRate,
          seconds: watchSeconds,
          baseline,
          aegis: {
            ...visibleFigures(latencies, expected),
            createdPerSecond,
            // The Aegis process's CPU (routes, mover, worker) per alert, from its start to its stop.
            cpuMillisecondsPerAlert: cpuMilliseconds / expected,
          },
        };
      }

      if (phases.has('storm')) {
        const fingerprint = `storm-${runId}`;
        const aegis = await startAegis();
        const pool = new Pool(aegis.url, { connections, keepAliveTimeout: 60_000 });
        let counts: Record<string, unknown> = {};
        let stormAlerts: AegisAlert[] = [];
        const versionBefore = await resourceVersion(clients);
        let acceptedPerSecond = 0;
        let settledSeconds = Number.NaN;
        try {
          const started = performance.now();
          acceptedPerSecond = await drive(pool, stormDeliveries, () => ({
            path: '/default/alert',
            body: JSON.stringify(customAlert(fingerprint, 'node-storm')),
          }));
          const deadline = Date.now() + 180_000;
          for (;;) {
            stormAlerts = await store.listByFingerprint(namespace, fingerprint);
            if (stormAlerts.length === 1 && stormAlerts[0]?.status?.count === stormDeliveries) break;
            if (Date.now() > deadline) break;
            await sleep(100);
          }
          settledSeconds = (performance.now() - started) / 1000;
        } finally {
          await pool.close();
          counts = await aegis.stop();
        }
        const versionAfter = await resourceVersion(clients);
        stormAlerts = await store.listByFingerprint(namespace, fingerprint);
        results['storm'] = {
          deliveries: stormDeliveries,
          acceptedPerSecond,
          secondsUntilCountExact: settledSeconds,
          objects: stormAlerts.length,
          count: stormAlerts[0]?.status?.count ?? 0,
          apiWritesByStore: counts['writes'],
          storeCalls: counts,
          resourceVersionDelta: versionAfter - versionBefore,
          baselineWrites: stormDeliveries,
        };
      }
    } finally {
      aborter.abort();
    }
  } finally {
    await sandbox.stop();
    await admin.flushdb();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

const loadBefore = loadavg();
const redis = await startRedisProcess();
const admin = new Redis(redis.url);
const results: Record<string, unknown> = {};
try {
  if (phases.has('accept')) {
    const baseline = await acceptPhase('baseline', redis.url, admin);
    const aegis = await acceptPhase('aegis', redis.url, admin);
    results['accept'] = {
      baseline,
      aegis,
      ratios: {
        single: aegis.singleAlertsPerSecond / baseline.singleAlertsPerSecond,
        batch: aegis.batchAlertsPerSecond / baseline.batchAlertsPerSecond,
        p99: aegis.acceptP99Milliseconds / baseline.acceptP99Milliseconds,
      },
    };
  }
  if (phases.has('watch') || phases.has('storm'))
    Object.assign(results, await clusterPhases(redis.url, admin));
} finally {
  admin.disconnect();
  await redis.stop();
}

// ---- report ----
type Row = [string, string, string, string, string, string];
const rows: Row[] = [];
const fmt = (n: unknown, digits = 0): string =>
  typeof n === 'number' && Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const met = (ok: boolean): string => (ok ? 'met' : 'NOT MET');
const checks: Record<string, boolean> = {};
const accept = results['accept'] as
  { baseline: AcceptFigures; aegis: AcceptFigures; ratios: Record<string, number> } | undefined;
if (accept !== undefined) {
  const { baseline, aegis, ratios } = accept;
  checks['single'] =
    aegis.singleAlertsPerSecond >= targets.singleAlertsPerSecond &&
    (ratios['single'] ?? 0) >= targets.singleVsBaseline;
  checks['batch'] = aegis.batchAlertsPerSecond >= targets.batchAlertsPerSecond;
  checks['acceptP99'] = aegis.acceptP99Milliseconds <= targets.acceptP99Milliseconds;
  rows.push([
    'accepted alerts/s, 1 per request',
    fmt(aegis.singleAlertsPerSecond),
    fmt(baseline.singleAlertsPerSecond),
    fmt(ratios['single'], 2),
    '≥ 5,000 and ≥ 0.50',
    met(checks['single']),
  ]);
  rows.push([
    `accepted alerts/s, batches of ${batchSize}`,
    fmt(aegis.batchAlertsPerSecond),
    fmt(baseline.batchAlertsPerSecond),
    fmt(ratios['batch'], 2),
    '≥ 20,000',
    met(checks['batch']),
  ]);
  rows.push([
    `accept p50 ms @ ${latencyRate}/s`,
    fmt(aegis.acceptP50Milliseconds, 1),
    fmt(baseline.acceptP50Milliseconds, 1),
    fmt(aegis.acceptP50Milliseconds / baseline.acceptP50Milliseconds, 2),
    '',
    '',
  ]);
  rows.push([
    `accept p99 ms @ ${latencyRate}/s`,
    fmt(aegis.acceptP99Milliseconds, 1),
    fmt(baseline.acceptP99Milliseconds, 1),
    fmt(ratios['p99'], 2),
    '≤ 50',
    met(checks['acceptP99']),
  ]);
}
const visible = results['visible'] as
  { baseline: Record<string, number>; aegis: Record<string, number> } | undefined;
if (visible !== undefined) {
  const { baseline, aegis } = visible;
  checks['visible'] =
    aegis['seen'] === aegis['expected'] &&
    (aegis['p50Milliseconds'] ?? Infinity) <= targets.visibleP50Milliseconds &&
    (aegis['p99Milliseconds'] ?? Infinity) <= targets.visibleP99Milliseconds;
  const ratio = (key: string): string => fmt((aegis[key] ?? Number.NaN) / (baseline[key] ?? Number.NaN), 2);
  rows.push([
    `POST → watcher p50 ms @ ${watchRate}/s`,
    fmt(aegis['p50Milliseconds'], 1),
    fmt(baseline['p50Milliseconds'], 1),
    ratio('p50Milliseconds'),
    '≤ 50',
    met(checks['visible']),
  ]);
  rows.push([
    `POST → watcher p99 ms @ ${watchRate}/s`,
    fmt(aegis['p99Milliseconds'], 1),
    fmt(baseline['p99Milliseconds'], 1),
    ratio('p99Milliseconds'),
    '≤ 250',
    met(checks['visible']),
  ]);
  rows.push(['AegisAlerts created/s (worker)', fmt(aegis['createdPerSecond']), '', '', '', '']);
  rows.push(['Aegis CPU ms per alert (watch)', fmt(aegis['cpuMillisecondsPerAlert'], 2), '', '', '', '']);
  rows.push([
    'alerts seen by the watcher',
    `${fmt(aegis['seen'])}/${fmt(aegis['expected'])}`,
    `${fmt(baseline['seen'])}/${fmt(baseline['expected'])}`,
    '',
    'all',
    '',
  ]);
}
const storm = results['storm'] as Record<string, number> | undefined;
if (storm !== undefined) {
  const writes = storm['apiWritesByStore'] ?? Number.NaN;
  checks['storm'] =
    storm['objects'] === 1 && storm['count'] === stormDeliveries && writes <= targets.stormMaxWrites;
  rows.push([
    `storm: ${fmt(stormDeliveries)} deliveries, 1 fingerprint`,
    `${fmt(storm['objects'])} object, count ${fmt(storm['count'])}`,
    '',
    '',
    `1, ${fmt(stormDeliveries)}`,
    met(storm['objects'] === 1 && storm['count'] === stormDeliveries),
  ]);
  rows.push([
    'storm: API writes (store / RV delta)',
    `${fmt(writes)} / ${fmt(storm['resourceVersionDelta'])}`,
    fmt(storm['baselineWrites']),
    fmt(writes / (storm['baselineWrites'] ?? Number.NaN), 4),
    '≤ 200',
    met(writes <= targets.stormMaxWrites),
  ]);
  rows.push(['storm: accepted deliveries/s', fmt(storm['acceptedPerSecond']), '', '', '', '']);
}

const file = await writeResults('ingest', {
  method:
    `load from one process with an undici Pool of ${connections} connections; servers in child processes; ` +
    `accept figures are medians of ${rounds} rounds (${singleRequests} single-alert requests, ${batchRequests} ` +
    `batches of ${batchSize}, ${latencySeconds} s at ${latencyRate}/s open loop); watch ${watchSeconds} s at ${watchRate}/s`,
  // Other work on the machine skews every figure; the ratios against the same-run baselines less so.
  loadAverage: { before: loadBefore, after: loadavg() },
  targets,
  targetsMet: checks,
  ...results,
});
const header: Row = ['figure', 'aegis', 'baseline', 'ratio', 'target', 'result'];
const widths = header.map((_, column) =>
  Math.max(...[header, ...rows].map((row) => row[column]?.length ?? 0)),
);
for (const row of [header, ...rows])
  console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
console.log(
  `load average (1 min) before ${fmt(loadBefore[0], 1)}, after ${fmt(loadavg()[0], 1)} on ${cpus().length} CPUs`,
);
console.log(`results written to ${file}`);
