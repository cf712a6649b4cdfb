/**
 * Soak (issue 16, item 4; not a test): `aegis serve` in its own process (bench/support/ops-processes.ts) against
 * the sandbox API server in another, with the cordon example rule matching every alert, its Workflows created
 * on the sandbox (simulated Argo), and Slack on the fake Slack Web API (root messages, thread replies). This
 * process posts alerts at a steady rate (open loop) for `--minutes N` (20 by default): each alert a new
 * fingerprint and node, so every one becomes an AegisAlert, a Workflow and a Slack thread.
 *
 * Every 10 s it samples: Aegis RSS (/proc/<pid>/status VmRSS), event-loop lag p99 (prom-client's
 * nodejs_eventloop_lag_p99_seconds on /metrics), Redis used_memory (INFO memory of the Redis serve uses) and
 * the queue depths Aegis exports (aegis_webhook_queue_depth, aegis_ingest_queue_depth,
 * aegis_reconcile_queue_depth). After the warm-up (the first 2 minutes, or a third of a shorter run) it reports
 * each series' least-squares slope per minute. Targets (issue 16): flat RSS after warm-up, no queue growth,
 * p99 event-loop lag ≤ 50 ms.
 *
 * Usage: npx tsx bench/soak.ts [--minutes N] [--rate R alerts/s, default 20]. Results: bench/results/soak.json.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { startRedisProcess } from '../src/platform/index.js';
import { startFakeSlackApi } from '../test/support/fake-slack-api.js';
import { startOpsProcesses } from './support/ops-processes.js';
import { percentile, writeResults } from './support/stats.js';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const minutes = argument('minutes', 20);
const rate = argument('rate', 20);
const sampleEveryMs = 10_000;
const warmUpMs = Math.min(2 * 60_000, (minutes * 60_000) / 3);
const root = fileURLToPath(new URL('../', import.meta.url));
const botToken = 'xoxb-soak';
const channel = 'C0SOAK';

// Redis and the fake Slack are started here and handed to serve through its settings, so both can be sampled.
const redisDir = await mkdtemp(join(tmpdir(), 'aegis-soak-redis-'));
const redis = await startRedisProcess({ dir: redisDir });
const slack = await startFakeSlackApi({ tokens: [botToken] });
process.env['REDIS_URL'] = redis.url;
process.env['SLACK_BOT_TOKEN'] = botToken;
process.env['SLACK_SIGNING_SECRET'] = 'soak-signing-secret';
process.env['SLACK_API_URL'] = slack.url;
process.env['AEGIS_SLACK_CHANNEL'] = channel;
const child = await startOpsProcesses();
const redisClient = new Redis(redis.url);
const pid = child.aegisPids[0] ?? 0;

async function kubeJson(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${child.kubeUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

// The cordon example, reconciled before the first alert.
const aegisPath = '/apis/aegis.io/v1alpha1/namespaces/monitoring';
const example = (file: string): { metadata: { name: string } } =>
  parse(readFileSync(`${root}examples/cordon-on-emergency/${file}`, 'utf8')) as {
    metadata: { name: string };
  };
for (const [plural, document] of [
  ['aegisopstemplates', example('template.yaml')],
  ['aegisalertopsrules', example('rule.yaml')],
] as const) {
  await kubeJson('POST', `${aegisPath}/${plural}`, document);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const object = (await kubeJson('GET', `${aegisPath}/${plural}/${document.metadata.name}`)) as {
      status?: { status?: string };
    };
    if (object.status?.status !== undefined) break;
    if (Date.now() > deadline) throw new Error(`${plural}/${document.metadata.name} not reconciled in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Sample {
  atS: number;
  rssMiB: number;
  eventLoopLagP99Ms: number | undefined;
  redisUsedMiB: number;
  queues: Record<string, number>;
  posted: number;
  accepted: number;
}

/** The value of each series of `name` on /metrics, summed over labels. */
function metricSum(text: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

const queueMetrics = ['aegis_webhook_queue_depth', 'aegis_ingest_queue_depth', 'aegis_reconcile_queue_depth'];
const started = Date.now();
let posted = 0;
let accepted = 0;
let refused = 0;
const samples: Sample[] = [];

async function sample(): Promise<void> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  const metrics = await (await fetch(`${child.url}/metrics`)).text();
  const lag = metricSum(metrics, 'nodejs_eventloop_lag_p99_seconds');
  const info = await redisClient.info('memory');
  const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
  const queues = Object.fromEntries(queueMetrics.map((name) => [name, metricSum(metrics, name) ?? 0]));
  const point: Sample = {
    atS: Math.round((Date.now() - started) / 1000),
    rssMiB: Math.round((rssKiB / 1024) * 10) / 10,
    eventLoopLagP99Ms: lag === undefined ? undefined : Math.round(lag * 1000 * 10) / 10,
    redisUsedMiB: Math.round((used / 2 ** 20) * 10) / 10,
    queues,
    posted,
    accepted,
  };
  samples.push(point);
  console.log(
    `${point.atS}s rss ${point.rssMiB} MiB, lag p99 ${String(point.eventLoopLagP99Ms)} ms, redis ${point.redisUsedMiB} MiB, queues ${JSON.stringify(queues)}, accepted ${accepted}/${posted}`,
  );
}

const postAlert = async (index: number): Promise<void> => {
  const node = `soak-${started.toString(36)}-${index}`;
  posted += 1;
  try {
    const response = await fetch(`${child.url}/default/alert`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'NodeHasEmergencyEvent',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: node },
        details: { node, severity: 'critical', reason: 'KernelPanic' },
        fingerprint: `fp-${node}`,
      }),
    });
    await response.arrayBuffer();
    if (response.status === 202) accepted += 1;
    else refused += 1;
  } catch {
    refused += 1;
  }
};

// Open loop: the i-th alert is due at started + i / rate, whatever the answers' latency.
const endAt = started + minutes * 60_000;
const sampler = setInterval(
  () => void sample().catch((error: unknown) => console.error('sample failed', error)),
  sampleEveryMs,
);
await sample();
const inFlight = new Set<Promise<void>>();
for (let index = 0; Date.now() < endAt; index += 1) {
  const due = started + (index * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const request = postAlert(index);
  inFlight.add(request);
  void request.finally(() => inFlight.delete(request));
}
await Promise.all(inFlight);
clearInterval(sampler);
await sample();

/** Least-squares slope of `values` against time, per minute. */
function slopePerMinute(points: Array<{ atS: number; value: number }>): number | undefined {
  if (points.length < 2) return undefined;
  const meanX = points.reduce((sum, p) => sum + p.atS / 60, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.value, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.atS / 60 - meanX) * (p.value - meanY);
    variance += (p.atS / 60 - meanX) ** 2;
  }
  return variance === 0 ? undefined : Math.round((covariance / variance) * 1000) / 1000;
}

const steady = samples.filter((point) => point.atS * 1000 >= warmUpMs);
const series = (pick: (point: Sample) => number | undefined): Array<{ atS: number; value: number }> =>
  steady.flatMap((point) => {
    const value = pick(point);
    return value === undefined ? [] : [{ atS: point.atS, value }];
  });
const lags = samples.flatMap((point) =>
  point.eventLoopLagP99Ms === undefined ? [] : [point.eventLoopLagP99Ms],
);
const workflows = (await kubeJson('GET', '/apis/argoproj.io/v1alpha1/namespaces/monitoring/workflows')) as {
  items: unknown[];
};
const summary = {
  minutes,
  short: minutes < 20,
  ratePerSecond: rate,
  warmUpSeconds: warmUpMs / 1000,
  posted,
  accepted,
  refused,
  workflowsAtEnd: workflows.items.length,
  slackCalls: slack.calls.length,
  slopesPerMinuteAfterWarmUp: {
    rssMiB: slopePerMinute(series((point) => point.rssMiB)),
    redisUsedMiB: slopePerMinute(series((point) => point.redisUsedMiB)),
    ...Object.fromEntries(
      queueMetrics.map((name) => [name, slopePerMinute(series((point) => point.queues[name]))]),
    ),
  },
  eventLoopLagMs: {
    // The p99 of the per-sample p99s (prom-client's histogram over each 10 s window), and the worst sample.
    p99OfSamples: lags.length === 0 ? undefined : percentile(lags, 99),
    max: lags.length === 0 ? undefined : Math.max(...lags),
  },
  rssMiB: { first: samples[0]?.rssMiB, afterWarmUp: steady[0]?.rssMiB, last: samples.at(-1)?.rssMiB },
  targets: { rss: 'flat after warm-up', queues: 'no growth', eventLoopLagP99Ms: 50 },
};
console.log(JSON.stringify(summary, null, 2));
const file = await writeResults('soak', {
  note: 'aegis serve, the sandbox and Redis share 2 CPU cores with other work on this machine; a run shorter than 20 minutes is marked short',
  summary,
  samples,
});
console.log(`results in ${file}`);

redisClient.disconnect();
await child.stop();
await slack.close();
await redis.stop();
await rm(redisDir, { recursive: true, force: true });
