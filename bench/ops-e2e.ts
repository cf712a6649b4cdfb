/**
 * End-to-end ops benchmark (not a test): POST → Workflow created, at a steady 200 alerts/s for 5 s, on the
 * sandbox. Three processes, as in production where the API server is never inside Aegis: the sandbox API server
 * (simulated kubelet and Argo, seeded nodes, Aegis CRDs) in one child, `aegis serve` against it through
 * KUBECONFIG (its own Redis, ingest, rule/template/alert reconcilers) in another; this process only generates
 * load and watches workflows. The sandbox counts the API requests it serves, so the run also reports API calls
 * per alert (all of them: ingest and ops, reads, writes and events). One rule and template: the cordon
 * example. Every alert has its own fingerprint and node (`bench-a<run>-<i>`), so each Workflow is identified by
 * the node in its rendered `kubectl cordon` command.
 *
 * Latency = the moment a `?watch=true` stream on monitoring/workflows delivers the Workflow's ADDED event minus
 * the alert's *scheduled* send time (open loop: a late send counts against the result). Baseline, same run, same
 * watcher, same rate: the same Workflow created directly on the sandbox (one POST per Workflow), i.e. the floor
 * that the API server + watch + this machine allow. Target (issue 4): p50 ≤ 100 ms, p99 ≤ 500 ms.
 *
 * Merges `endToEnd` into bench/results/ops.json (the matching/render results of bench/ops.ts are kept).
 * `--cpu-prof` profiles the Aegis process into bench/results/profiles/. AEGIS_* variables (e.g.
 * AEGIS_RECONCILE_CONCURRENCY) pass through to `aegis serve`.
 */
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startOpsProcesses } from './support/ops-processes.js';
import { previousResults } from './support/previous-results.js';
import { median, percentile, writeResults } from './support/stats.js';

const rate = 200;
// `--no-replicas` skips the scale-out phases (they add about two minutes).
const replicasPhase = !process.argv.includes('--no-replicas');
const saturationRate = 400;
const saturationCount = 2_000;
const seconds = 5;
const drainMs = 45_000;
const target = { p50Ms: 100, p99Ms: 500 };
const root = fileURLToPath(new URL('../', import.meta.url));
const run = Date.now().toString(36);

const profileDir = process.argv.includes('--cpu-prof') ? `${root}bench/results/profiles` : undefined;
let child = await startOpsProcesses(profileDir);
let kube = child.kubeUrl;
const workflowsPath = '/apis/argoproj.io/v1alpha1/namespaces/monitoring/workflows';

async function kubeJson(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${kube}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const templateDocument = parse(readFileSync(`${root}examples/cordon-on-emergency/template.yaml`, 'utf8')) as {
  metadata: { name: string };
  spec: { manifest: string };
};
const ruleDocument = parse(readFileSync(`${root}examples/cordon-on-emergency/rule.yaml`, 'utf8')) as {
  metadata: { name: string };
};

// Apply the example and wait until both are reconciled, so no alert races the rule.
const aegisPath = '/apis/aegis.io/v1alpha1/namespaces/monitoring';
async function applyExample(): Promise<void> {
  await kubeJson('POST', `${aegisPath}/aegisopstemplates`, templateDocument);
  await kubeJson('POST', `${aegisPath}/aegisalertopsrules`, ruleDocument);
  for (const path of [
    `${aegisPath}/aegisopstemplates/${templateDocument.metadata.name}`,
    `${aegisPath}/aegisalertopsrules/${ruleDocument.metadata.name}`,
  ]) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const object = (await kubeJson('GET', path)) as { status?: { status?: string } };
      if (object.status?.status !== undefined) {
        if (object.status.status === 'Invalid') throw new Error(`${path} is Invalid`);
        break;
      }
      if (Date.now() > deadline) throw new Error(`${path} not reconciled within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
await applyExample();

// One watcher for both phases: ADDED Workflow → the moment it arrived, by the node its command cordons. A second
// one on AegisAlerts splits the latency: POST → AegisAlert created (ingest) and AegisAlert → Workflow (ops).
const seen = new Map<string, number>();
const alertSeen = new Map<string, number>();
const waiters = new Set<() => void>();
const watches: ReturnType<typeof request>[] = [];

async function watchAdded(path: string, pattern: RegExp, into: Map<string, number>): Promise<void> {
  const list = (await kubeJson('GET', path)) as { metadata?: { resourceVersion?: string } };
  const watchRequest = request(
    `${kube}${path}?watch=true&allowWatchBookmarks=false&timeoutSeconds=600&resourceVersion=${list.metadata?.resourceVersion ?? ''}`,
  );
  watchRequest.on('response', (response) => {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const at = performance.now();
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (line.trim() === '') continue;
        const event = JSON.parse(line) as { type?: string; object?: { spec?: unknown } };
        if (event.type !== 'ADDED') continue;
        const id = pattern.exec(JSON.stringify(event.object?.spec))?.[1];
        if (id !== undefined && !into.has(id)) into.set(id, at);
      }
      for (const wake of waiters) wake();
    });
  });
  watchRequest.on('error', () => undefined); // closed on purpose at the end
  watchRequest.end();
  watches.push(watchRequest);
}
async function watchBoth(): Promise<void> {
  await watchAdded(workflowsPath, /kubectl cordon (bench-[0-9a-z]+-\d+)/, seen);
  await watchAdded(`${aegisPath}/aegisalerts`, /"name":"(bench-[0-9a-z]+-\d+)"/, alertSeen);
}
await watchBoth();

async function untilSeen(ids: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (ids.some((id) => !seen.has(id)) && performance.now() < deadline) {
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        waiters.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(wake, 250);
      waiters.add(wake);
    });
  }
}

function alertBody(node: string): string {
  return JSON.stringify({
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: node },
    details: { node, severity: 'critical', reason: 'KernelPanic' },
    fingerprint: `fp-${node}`,
  });
}

function workflowBody(node: string): unknown {
  const manifest = parse(templateDocument.spec.manifest.replaceAll('{{.node}}', node)) as Record<
    string,
    unknown
  >;
  return { ...manifest, metadata: { name: node, namespace: 'monitoring' } };
}

interface PhaseResult {
  name: string;
  sent: number;
  seen: number;
  httpErrors: number;
  achievedRatePerSecond: number;
  sendLagP99Ms: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** For alerts: scheduled send → AegisAlert ADDED (ingest), and AegisAlert ADDED → Workflow ADDED (ops). */
  alertCreatedP50Ms?: number;
  alertToWorkflowP50Ms?: number;
  alertToWorkflowP99Ms?: number;
  /** Workflows seen per second, from the first scheduled send to the last Workflow seen. */
  workflowsPerSecond: number;
}

/** Send `count` requests at `perSecond`, open loop, and measure scheduled send → ADDED on the watch. */
async function phase(
  name: string,
  prefix: string,
  count: number,
  perSecond: number,
  send: (id: string) => Promise<boolean>,
): Promise<PhaseResult> {
  const ids = Array.from({ length: count }, (_, index) => `${prefix}${run}-${index}`);
  const scheduled = new Map<string, number>();
  const lags: number[] = [];
  const sends: Promise<boolean>[] = [];
  const start = performance.now() + 20;
  for (const [index, id] of ids.entries()) {
    const due = start + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    scheduled.set(id, due);
    lags.push(performance.now() - due);
    sends.push(send(id));
  }
  const sentAt = performance.now();
  const outcomes = await Promise.all(sends);
  await untilSeen(ids, drainMs);
  const latencies = ids.flatMap((id) => {
    const at = seen.get(id);
    const due = scheduled.get(id);
    return at === undefined || due === undefined ? [] : [at - due];
  });
  const round = (value: number): number => Math.round(value * 10) / 10;
  const created = ids.flatMap((id) => {
    const at = alertSeen.get(id);
    const due = scheduled.get(id);
    return at === undefined || due === undefined ? [] : [at - due];
  });
  const ops = ids.flatMap((id) => {
    const at = seen.get(id);
    const alertAt = alertSeen.get(id);
    return at === undefined || alertAt === undefined ? [] : [at - alertAt];
  });
  const split =
    created.length === 0
      ? {}
      : {
          alertCreatedP50Ms: round(median(created)),
          alertToWorkflowP50Ms: round(median(ops)),
          alertToWorkflowP99Ms: round(percentile(ops, 99)),
        };
  return {
    name,
    sent: count,
    seen: latencies.length,
    httpErrors: outcomes.filter((ok) => !ok).length,
    achievedRatePerSecond: round((count - 1) / ((sentAt - start) / 1000)),
    sendLagP99Ms: round(percentile(lags, 99)),
    p50Ms: round(median(latencies)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
    workflowsPerSecond: round(
      latencies.length / ((Math.max(...ids.map((id) => seen.get(id) ?? 0)) - start) / 1000),
    ),
    ...split,
  };
}

let posted = 0;
const postAlert = async (id: string): Promise<boolean> => {
  try {
    // Round robin over the replicas (one unless the two-process phase runs).
    const url = child.urls[posted++ % child.urls.length] ?? child.url;
    const response = await fetch(`${url}/default/alert`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: alertBody(id),
    });
    await response.arrayBuffer();
    return response.status === 202;
  } catch {
    return false;
  }
};
const createWorkflow = async (id: string): Promise<boolean> => {
  try {
    const response = await fetch(`${kube}${workflowsPath}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(workflowBody(id)),
    });
    await response.arrayBuffer();
    return response.status === 201;
  } catch {
    return false;
  }
};

const results: PhaseResult[] = [];
let apiCallsPerAlert: Record<string, number> = {};
let aegisCpuMsPerAlert: number | undefined;
try {
  // Warm-up (JIT, connections, queues), not reported.
  await phase('warm-up baseline', 'bench-bw', 100, 100, createWorkflow);
  await phase('warm-up aegis', 'bench-aw', 100, 100, postAlert);
  results.push(
    await phase('baseline: Workflow POSTed to the sandbox', 'bench-b', rate * seconds, rate, createWorkflow),
  );
  const before = await child.apiCounts();
  const cpuBefore = await child.aegisCpuMs();
  results.push(
    await phase('aegis: alert POSTed to /default/alert', 'bench-a', rate * seconds, rate, postAlert),
  );
  // Let the Workflows run to the end and Aegis record it (Running, Succeeded, template counters), so the counts
  // cover an alert's whole ops path, not just up to its create: until the API is quiet for 2 s (at most 90 s).
  let after = await child.apiCounts();
  for (let quiet = 0, waited = 0; quiet < 2 && waited < 90; waited += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await child.apiCounts();
    quiet = JSON.stringify(now) === JSON.stringify(after) ? quiet + 1 : 0;
    after = now;
  }
  apiCallsPerAlert = perAlert(before, after, rate * seconds);
  const cpuAfter = await child.aegisCpuMs();
  if (cpuBefore !== undefined && cpuAfter !== undefined)
    aegisCpuMsPerAlert = Math.round(((cpuAfter - cpuBefore) / (rate * seconds)) * 100) / 100;
  // Scale-out (issue 11): the most one process sustains, then two `aegis serve` processes on one Redis at the
  // same offered load (above what one process can do), alerts POSTed to them in turn. Workflows per second
  // over the phase is the sustained rate; the target is ≥ 1.7× the one-process rate.
  if (replicasPhase) {
    results.push(
      await phase(
        `saturation: 1 process at ${saturationRate}/s`,
        'bench-s',
        saturationCount,
        saturationRate,
        postAlert,
      ),
    );
    for (const watch of watches.splice(0)) watch.destroy();
    await child.stop();
    child = await startOpsProcesses(undefined, { replicas: 2 });
    kube = child.kubeUrl;
    await applyExample();
    await watchBoth();
    await phase('warm-up two processes', 'bench-tw', 200, 100, postAlert);
    results.push(
      await phase(
        `saturation: 2 processes at ${saturationRate}/s`,
        'bench-t',
        saturationCount,
        saturationRate,
        postAlert,
      ),
    );
  }
} finally {
  for (const watch of watches) watch.destroy();
  await child.stop();
}

/** Requests per alert over the Aegis phase, by kind, with `total` and `writes` (POST, PUT, PATCH, DELETE). */
function perAlert(
  before: Record<string, number>,
  after: Record<string, number>,
  alerts: number,
): Record<string, number> {
  const rows: [string, number][] = Object.entries(after)
    .map(([kind, count]): [string, number] => [kind, (count - (before[kind] ?? 0)) / alerts])
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1]);
  const sum = (filter: (kind: string) => boolean): number =>
    rows.filter(([kind]) => filter(kind)).reduce((total, [, value]) => total + value, 0);
  const round = (value: number): number => Math.round(value * 100) / 100;
  return Object.fromEntries([
    ['total', round(sum(() => true))],
    ['writes', round(sum((kind) => /^(POST|PUT|PATCH|DELETE) /.test(kind)))],
    ...rows.map(([kind, value]): [string, number] => [kind, round(value)]),
  ]);
}

const [baseline, aegis, oneProcess, twoProcesses] = results;
if (baseline === undefined || aegis === undefined) throw new Error('unreachable');
const scaleOut =
  oneProcess === undefined || twoProcesses === undefined
    ? undefined
    : {
        oneProcessWorkflowsPerSecond: oneProcess.workflowsPerSecond,
        twoProcessesWorkflowsPerSecond: twoProcesses.workflowsPerSecond,
        ratio: Math.round((twoProcesses.workflowsPerSecond / oneProcess.workflowsPerSecond) * 100) / 100,
        target: '≥ 1.7',
      };
const targets = {
  p50: { value: aegis.p50Ms, target: `≤ ${target.p50Ms} ms`, met: aegis.p50Ms <= target.p50Ms },
  p99: { value: aegis.p99Ms, target: `≤ ${target.p99Ms} ms`, met: aegis.p99Ms <= target.p99Ms },
  allWorkflowsCreated: { value: aegis.seen, target: aegis.sent, met: aegis.seen === aegis.sent },
};

console.log(
  `\nPOST → Workflow created, ${rate}/s for ${seconds} s, aegis serve in a child process (sandbox)`,
);
console.log(
  '  phase                                       sent  seen  errors  rate/s  send-lag p99   p50 ms   p90 ms   p99 ms   max ms  wf/s',
);
for (const row of results) {
  console.log(
    `  ${row.name.padEnd(42)} ${String(row.sent).padStart(5)} ${String(row.seen).padStart(5)} ${String(row.httpErrors).padStart(7)} ${String(row.achievedRatePerSecond).padStart(7)} ${String(row.sendLagP99Ms).padStart(13)} ${String(row.p50Ms).padStart(8)} ${String(row.p90Ms).padStart(8)} ${String(row.p99Ms).padStart(8)} ${String(row.maxMs).padStart(8)} ${String(row.workflowsPerSecond).padStart(5)}`,
  );
}
console.log(
  `\ntarget: p50 ${aegis.p50Ms} ms (≤ ${target.p50Ms}: ${targets.p50.met ? 'met' : 'MISSED'}), ` +
    `p99 ${aegis.p99Ms} ms (≤ ${target.p99Ms}: ${targets.p99.met ? 'met' : 'MISSED'}), ` +
    `${aegis.seen}/${aegis.sent} workflows`,
);
console.log(
  `split: POST → AegisAlert p50 ${aegis.alertCreatedP50Ms ?? '?'} ms; AegisAlert → Workflow p50 ${aegis.alertToWorkflowP50Ms ?? '?'} ms, p99 ${aegis.alertToWorkflowP99Ms ?? '?'} ms`,
);
console.log(
  `Aegis process CPU per alert (ingest + ops, until the API is quiet): ${aegisCpuMsPerAlert ?? '?'} ms`,
);
if (scaleOut !== undefined)
  console.log(
    `scale-out: 1 process ${scaleOut.oneProcessWorkflowsPerSecond} workflows/s, 2 processes on one Redis ${scaleOut.twoProcessesWorkflowsPerSecond} workflows/s: ratio ${scaleOut.ratio} (target ≥ 1.7: ${scaleOut.ratio >= 1.7 ? 'met' : 'MISSED'})`,
  );
console.log('API requests per alert (sandbox side, Aegis phase):');
for (const [kind, value] of Object.entries(apiCallsPerAlert)) console.log(`  ${kind.padEnd(40)} ${value}`);

const file = await writeResults('ops', {
  ...(await previousResults('ops')),
  endToEnd: {
    date: new Date().toISOString(),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    setup:
      'sandbox API server (simulated kubelet + Argo, 3 nodes, Aegis CRDs) in one child process; aegis serve (own Redis, ingest + ops loop) against it through KUBECONFIG in another; load generator and workflow watch in the parent',
    reconcileConcurrency: process.env['AEGIS_RECONCILE_CONCURRENCY'] ?? 'default',
    ratePerSecond: rate,
    seconds,
    latency: 'scheduled send time → ADDED event on a ?watch=true stream of monitoring/workflows',
    phases: results,
    apiCallsPerAlert,
    aegisCpuMsPerAlert,
    targets: { ...targets, ...(scaleOut === undefined ? {} : { scaleOut }) },
  },
});
console.log(`results: ${file}`);
