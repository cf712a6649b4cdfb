/**
 * Slack notifier under an alert storm (issue 5). Everything real except Slack: redis-server, the sandbox API
 * server, the notifier with its default settings (1 write/s per channel with a burst of 4; storms of more
 * than 5 alerts of one type in 60 s grouped), and the fake Slack Web API, which answers a few 429s during the
 * storm. Three phases, each in its own channel:
 *   baseline  single alerts on an idle system: time from creating the AegisAlert to its root message;
 *   storm     1,000 alerts of 20 types within 10 s: Slack calls (target ≤ 60), 429s, every alert reachable
 *             from a thread, nothing posted twice;
 *   steady    10 alerts/s of 20 types for 20 s: time from each alert to the first message showing it (p50, p99).
 * Results: bench/results/slack-storm.json.
 */
import { startSlackNotifier } from '../src/bot/index.js';
import type { AegisAlert } from '../src/core/resources/aegis-alert.js';
import {
  createAegisAlertStore,
  createKubeClients,
  installCrds,
  readCrdManifests,
} from '../src/kube/index.js';
import type { KubeClients } from '../src/kube/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { startFakeSlackApi } from '../test/support/fake-slack-api.js';
import type { FakeSlackApi, RecordedCall } from '../test/support/fake-slack-api.js';
import { median, percentile, writeResults } from './support/stats.js';

const namespace = 'monitoring';
const resource = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisalerts' } as const;
const channels = { idle: 'C0IDLE', storm: 'C0STORM', steady: 'C0STEADY' } as const;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function createAlert(clients: KubeClients, type: string, name: string, node: string): Promise<number> {
  const created = Date.now();
  await clients.customObjects.createNamespacedCustomObject({
    ...resource,
    namespace,
    body: {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisAlert',
      metadata: { name, namespace },
      spec: {
        type,
        status: 'Firing',
        severity: 'warning',
        involvedObject: { kind: 'Node', name: node, node },
      },
    },
  });
  await createAegisAlertStore(clients).patchStatus(namespace, name, {
    status: 'Firing',
    count: 1,
    startTime: new Date(created).toISOString(),
  });
  return created;
}

/** Create `count` alerts evenly over `durationMs`; returns name → creation time. */
async function paced(
  clients: KubeClients,
  count: number,
  durationMs: number,
  alertOf: (index: number) => { type: string; name: string; node: string },
): Promise<Map<string, number>> {
  const createdAt = new Map<string, number>();
  const started = Date.now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const due = started + (index * durationMs) / count;
    if (due > Date.now()) await sleep(due - Date.now());
    const { type, name, node } = alertOf(index);
    pending.push(createAlert(clients, type, name, node).then((at) => void createdAt.set(name, at)));
  }
  await Promise.all(pending);
  return createdAt;
}

function mentions(call: RecordedCall, name: string): boolean {
  return JSON.stringify(call.params).includes(name);
}

/** Every alert has status.slack, and the message it points at (or its thread) shows the alert. */
async function unreachable(
  clients: KubeClients,
  slack: FakeSlackApi,
  names: readonly string[],
): Promise<string[]> {
  const list = (await clients.customObjects.listNamespacedCustomObject({ ...resource, namespace })) as {
    items: AegisAlert[];
  };
  const byName = new Map(list.items.map((item) => [item.metadata.name ?? '', item]));
  const threads = new Map<string, string>();
  const missing: string[] = [];
  for (const name of names) {
    const pointer = byName.get(name)?.status?.slack;
    if (pointer === undefined) {
      missing.push(name);
      continue;
    }
    const key = `${pointer.channel}/${pointer.ts}`;
    let text = threads.get(key);
    if (text === undefined) {
      const root = slack.messages(pointer.channel).find((message) => message.ts === pointer.ts);
      text =
        root === undefined
          ? ''
          : JSON.stringify([root.blocks, root.attachments, root.replies.map((r) => r.blocks)]);
      threads.set(key, text);
    }
    if (!text.includes(name)) missing.push(name);
  }
  return missing;
}

async function waitReachable(
  clients: KubeClients,
  slack: FakeSlackApi,
  names: readonly string[],
  timeoutMs: number,
): Promise<{ ms: number; missing: number }> {
  const started = Date.now();
  let missing = names.length;
  while (Date.now() - started < timeoutMs) {
    missing = (await unreachable(clients, slack, names)).length;
    if (missing === 0) break;
    await sleep(250);
  }
  return { ms: Date.now() - started, missing };
}

function latencies(slack: FakeSlackApi, channel: string, createdAt: Map<string, number>): number[] {
  const calls = slack.calls.filter((call) => call.params['channel'] === channel && call.status === 200);
  const result: number[] = [];
  for (const [name, at] of createdAt) {
    const first = calls.find((call) => call.at >= at && mentions(call, name));
    if (first !== undefined) result.push(first.at - at);
  }
  return result;
}

async function main(): Promise<void> {
  const [redis, slack, sandbox] = await Promise.all([
    startRedisProcess(),
    startFakeSlackApi(),
    startSandbox({ nodes: 1, simulate: false, watchHistory: 100_000 }),
  ]);
  const clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  const notifier = await startSlackNotifier({
    clients,
    redisUrl: redis.url,
    prefix: 'bench-slack',
    slack: { token: 'xoxb-bench', apiUrl: slack.url },
    channel: channels.idle,
    routes: [
      { channel: channels.storm, type: 'Storm.*' },
      { channel: channels.steady, type: 'Steady.*' },
    ],
    concurrency: 16,
  });
  try {
    await notifier.waitForSync();

    // Baseline: one alert at a time on an idle system.
    const baseline: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const name = `idle-${index}`;
      const created = await createAlert(clients, `Idle${index}`, name, 'gpu-node-0');
      while (!slack.callsOf('chat.postMessage').some((call) => mentions(call, name))) await sleep(5);
      const posted = slack.callsOf('chat.postMessage').find((call) => mentions(call, name));
      baseline.push((posted?.at ?? Date.now()) - created);
      await sleep(1_200);
    }
    console.log(`baseline: alert → root message p50 ${median(baseline)} ms`);

    // Storm: 1,000 alerts of 20 types within 10 s; Slack answers three 429s early on.
    const stormStarted = Date.now();
    const injector = setTimeout(
      () => slack.failNext('*', { status: 429, retryAfter: 2, count: 3, channel: channels.storm }),
      3_000,
    );
    const storm = await paced(clients, 1_000, 10_000, (index) => ({
      type: `Storm${String(index % 20).padStart(2, '0')}`,
      name: `storm-${index}`,
      node: `gpu-node-${index}`,
    }));
    clearTimeout(injector);
    const stormNames = [...storm.keys()];
    const stormReach = await waitReachable(clients, slack, stormNames, 150_000);
    const stormCalls = slack.calls.filter((call) => call.params['channel'] === channels.storm);
    const roots = slack.messages(channels.storm);
    const postedTwice = stormNames.filter(
      (name) =>
        roots.filter((root) =>
          JSON.stringify([root.blocks, root.attachments]).includes(`\`${namespace}/${name}\``),
        ).length > 1,
    ).length;
    const stormResult = {
      alerts: stormNames.length,
      types: 20,
      createdWithinMs: Math.max(...storm.values()) - stormStarted,
      slackCalls: stormCalls.length,
      slackCallsByMethod: {
        'chat.postMessage': stormCalls.filter((call) => call.method === 'chat.postMessage').length,
        'chat.update': stormCalls.filter((call) => call.method === 'chat.update').length,
      },
      targetCalls: 60,
      rootMessages: roots.length,
      groupRoots: roots.filter((root) => (root.text ?? '').startsWith('Alert storm')).length,
      answered429: stormCalls.filter((call) => call.status === 429).length,
      unhandled429: stormReach.missing === 0 ? 0 : 'unknown (alerts missing)',
      unreachableAlerts: stormReach.missing,
      alertsPostedTwice: postedTwice,
      allReachableAfterMs: Date.now() - stormStarted,
    };
    console.log('storm:', stormResult);

    // Steady: 10 alerts/s of 20 types for 20 s.
    const steady = await paced(clients, 200, 20_000, (index) => ({
      type: `Steady${String(index % 20).padStart(2, '0')}`,
      name: `steady-${index}`,
      node: `gpu-node-${index}`,
    }));
    const steadyReach = await waitReachable(clients, slack, [...steady.keys()], 120_000);
    const steadyLatency = latencies(slack, channels.steady, steady);
    const steadyCalls = slack.calls.filter((call) => call.params['channel'] === channels.steady);
    const steadyResult = {
      alerts: steady.size,
      ratePerSecond: 10,
      types: 20,
      measured: steadyLatency.length,
      alertToMessageMs: {
        p50: median(steadyLatency),
        p99: percentile(steadyLatency, 99),
        max: Math.max(...steadyLatency),
      },
      ratioToBaselineP50: Math.round((median(steadyLatency) / median(baseline)) * 10) / 10,
      slackCalls: steadyCalls.length,
      rootMessages: slack.messages(channels.steady).length,
      unreachableAlerts: steadyReach.missing,
    };
    console.log('steady:', steadyResult);

    const file = await writeResults('slack-storm', {
      settings: {
        rateLimit: '1 write/s per channel, burst 4 (defaults)',
        storm:
          'more than 5 of one type in 60 s, or a root that would wait > 10 s; summary edited ≤ every 10 s',
        concurrency: 16,
      },
      baseline: { alertToRootMs: { p50: median(baseline), max: Math.max(...baseline) }, samples: baseline },
      storm: stormResult,
      steady: steadyResult,
    });
    console.log(`results: ${file}`);
  } finally {
    await notifier.stop();
    await sandbox.close();
    await slack.close();
    await redis.stop();
  }
}

await main();
