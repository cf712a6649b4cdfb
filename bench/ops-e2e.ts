/**
 * End-to-end ops benchmark (not a test): POST → Workflow created, at a steady 200 alerts/s for 5 s, on the
 * sandbox. `aegis serve` (sandbox API server, its own Redis, ingest, rule/template/alert reconcilers) runs in a
 * CHILD process; this process only generates load and watches workflows. One rule and template: the cordon
 * example. Every alert has its own fingerprint and node (`bench-a<run>-<i>`), so each Workflow is identified by
 * the node in its rendered `kubectl cordon` command.
 *
 * Latency = the moment a `?watch=true` stream on monitoring/workflows delivers the Workflow's ADDED event minus
 * the alert's *scheduled* send time (open loop: a late send counts against the result). Baseline, same run, same
 * watcher, same rate: the same Workflow created directly on the sandbox (one POST per Workflow), i.e. the floor
 * that the API server + watch + this machine allow. Target (issue 4): p50 ≤ 100 ms, p99 ≤ 500 ms.
 *
 * Merges `endToEnd` into bench/results/ops.json (the matching/render results of bench/ops.ts are kept).
 * `--cpu-prof` profiles the child into bench/results/profiles/.
 */
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startOpsServeChild } from './support/ops-processes.js';
import { previousResults } from './support/previous-results.js';
import { median, percentile, writeResults } from './support/stats.js';

const rate = 200;
const seconds = 5;
const drainMs = 45_000;
const target = { p50Ms: 100, p99Ms: 500 };
const root = fileURLToPath(new URL('../', import.meta.url));
const run = Date.now().toString(36);

const profileDir = process.argv.includes('--cpu-prof') ? `${root}bench/results/profiles` : undefined;
const child = await startOpsServeChild(profileDir);
const kube = child.kubeUrl;
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

// One watcher for both phases: ADDED Workflow → the moment it arrived, by the node its command cordons.
const seen = new Map<string, number>();
const waiters = new Set<() => void>();
const list = (await kubeJson('GET', workflowsPath)) as { metadata?: { resourceVersion?: string } };
const watchRequest = request(
  `${kube}${workflowsPath}?watch=true&allowWatchBookmarks=false&timeoutSeconds=600&resourceVersion=${list.metadata?.resourceVersion ?? ''}`,
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
      const id = /kubectl cordon (bench-[ab][0-9a-z]+-\d+)/.exec(JSON.stringify(event.object?.spec))?.[1];
      if (id !== undefined && !seen.has(id)) seen.set(id, at);
    }
    for (const wake of waiters) wake();
  });
});
watchRequest.on('error', () => undefined); // closed on purpose at the end
watchRequest.end();

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
  };
}

const postAlert = async (id: string): Promise<boolean> => {
  try {
    const response = await fetch(`${child.url}/default/alert`, {
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
try {
  // Warm-up (JIT, connections, queues), not reported.
  await phase('warm-up baseline', 'bench-bw', 100, 100, createWorkflow);
  await phase('warm-up aegis', 'bench-aw', 100, 100, postAlert);
  results.push(
    await phase('baseline: Workflow POSTed to the sandbox', 'bench-b', rate * seconds, rate, createWorkflow),
  );
  results.push(
    await phase('aegis: alert POSTed to /default/alert', 'bench-a', rate * seconds, rate, postAlert),
  );
} finally {
  watchRequest.destroy();
  await child.stop();
}

const [baseline, aegis] = results;
if (baseline === undefined || aegis === undefined) throw new Error('unreachable');
const targets = {
  p50: { value: aegis.p50Ms, target: `≤ ${target.p50Ms} ms`, met: aegis.p50Ms <= target.p50Ms },
  p99: { value: aegis.p99Ms, target: `≤ ${target.p99Ms} ms`, met: aegis.p99Ms <= target.p99Ms },
  allWorkflowsCreated: { value: aegis.seen, target: aegis.sent, met: aegis.seen === aegis.sent },
};

console.log(
  `\nPOST → Workflow created, ${rate}/s for ${seconds} s, aegis serve in a child process (sandbox)`,
);
console.log(
  '  phase                                       sent  seen  errors  rate/s  send-lag p99   p50 ms   p90 ms   p99 ms   max ms',
);
for (const row of results) {
  console.log(
    `  ${row.name.padEnd(42)} ${String(row.sent).padStart(5)} ${String(row.seen).padStart(5)} ${String(row.httpErrors).padStart(7)} ${String(row.achievedRatePerSecond).padStart(7)} ${String(row.sendLagP99Ms).padStart(13)} ${String(row.p50Ms).padStart(8)} ${String(row.p90Ms).padStart(8)} ${String(row.p99Ms).padStart(8)} ${String(row.maxMs).padStart(8)}`,
  );
}
console.log(
  `\ntarget: p50 ${aegis.p50Ms} ms (≤ ${target.p50Ms}: ${targets.p50.met ? 'met' : 'MISSED'}), ` +
    `p99 ${aegis.p99Ms} ms (≤ ${target.p99Ms}: ${targets.p99.met ? 'met' : 'MISSED'}), ` +
    `${aegis.seen}/${aegis.sent} workflows`,
);

const file = await writeResults('ops', {
  ...(await previousResults('ops')),
  endToEnd: {
    date: new Date().toISOString(),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    setup:
      'aegis serve (sandbox API server + own Redis + ops loop) in one child process; load generator and workflow watch in the parent',
    ratePerSecond: rate,
    seconds,
    latency: 'scheduled send time → ADDED event on a ?watch=true stream of monitoring/workflows',
    phases: results,
    targets,
  },
});
console.log(`results: ${file}`);
