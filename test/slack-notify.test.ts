/**
 * The Slack notifier end to end: AegisAlerts in the sandbox API server, the posting queue on a real
 * redis-server, and the fake Slack Web API reached through its URL, as SLACK_API_URL would point at it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackNotifier } from '../src/bot/index.js';
import type { SlackNotifier, SlackNotifierOptions } from '../src/bot/index.js';
import type { AegisAlert, AegisAlertStatus } from '../src/core/resources/aegis-alert.js';
import {
  createAegisAlertStore,
  createKubeClients,
  installCrds,
  readCrdManifests,
} from '../src/kube/index.js';
import type { KubeClients } from '../src/kube/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import type { RedisProcess } from '../src/platform/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import type { SandboxHandle } from '../src/sandbox/index.js';
import { sleep, waitFor } from './controller-runtime-helpers.js';
import { startFakeSlackApi } from './support/fake-slack-api.js';
import type { FakeSlackApi } from './support/fake-slack-api.js';
import { channelView, postAsBot, shown } from './support/fake-slack-messages.js';

const namespace = 'monitoring';
const resource = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisalerts' } as const;
const defaultChannel = 'C0ALERTS';

let redis: RedisProcess;
let sandbox: SandboxHandle;
let clients: KubeClients;
let slack: FakeSlackApi;
let prefix: string;
const running: SlackNotifier[] = [];

beforeAll(async () => {
  [redis, slack, sandbox] = await Promise.all([
    startRedisProcess(),
    startFakeSlackApi({ tokens: ['xoxb-test'] }),
    startSandbox({ nodes: 1, simulate: false }),
  ]);
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await slack.close();
  await redis.stop();
});

beforeEach(async () => {
  prefix = `slack-test-${randomUUID().slice(0, 8)}`;
  slack.reset();
  await clients.customObjects.deleteCollectionNamespacedCustomObject({ ...resource, namespace });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((notifier) => notifier.stop()));
});

async function startNotifier(overrides: Partial<SlackNotifierOptions> = {}): Promise<SlackNotifier> {
  const notifier = await startSlackNotifier({
    clients,
    redisUrl: redis.url,
    prefix,
    slack: { token: 'xoxb-test', apiUrl: slack.url },
    channel: defaultChannel,
    rateLimit: { perSecond: 50, burst: 20 },
    ...overrides,
  });
  running.push(notifier);
  await notifier.waitForSync(10_000);
  return notifier;
}

interface AlertInput {
  readonly type: string;
  readonly severity?: string;
  readonly node?: string;
  readonly objectNamespace?: string;
}

async function createAlert(input: AlertInput): Promise<string> {
  const name = `${input.type.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const node = input.node ?? 'gpu-node-1';
  await clients.customObjects.createNamespacedCustomObject({
    ...resource,
    namespace,
    body: {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisAlert',
      metadata: { name, namespace },
      spec: {
        type: input.type,
        status: 'Firing',
        severity: input.severity ?? 'warning',
        involvedObject:
          input.objectNamespace === undefined
            ? { kind: 'Node', name: node, node }
            : { kind: 'Pod', name: `${name}-pod`, namespace: input.objectNamespace, node },
      },
    },
  });
  await patchStatus(name, { status: 'Firing', count: 1, startTime: new Date().toISOString() });
  return name;
}

async function patchStatus(name: string, status: Partial<AegisAlertStatus>): Promise<void> {
  await createAegisAlertStore(clients).patchStatus(namespace, name, status);
}

async function getAlert(name: string): Promise<AegisAlert | undefined> {
  return await createAegisAlertStore(clients).get(namespace, name);
}

/** Records `decision` by `by` on the alert's approval, as the approval service would. */
async function patchDecision(
  name: string,
  approval: NonNullable<AegisAlertStatus['approval']>,
  decision: { decision: 'Approved' | 'Rejected'; by: string; reason?: string },
): Promise<void> {
  const decidedAt = new Date().toISOString();
  await patchStatus(name, {
    approval: {
      ...approval,
      state: decision.decision,
      decidedAt,
      history: [{ ...decision, via: 'slack', at: decidedAt }],
    },
  });
}

async function rootOf(name: string): Promise<{ channel: string; ts: string }> {
  let found: { channel: string; ts: string } | undefined;
  await waitFor(`status.slack of ${name}`, async () => {
    found = (await getAlert(name))?.status?.slack;
    return found !== undefined;
  });
  if (found === undefined) throw new Error('unreachable');
  return found;
}

describe('slack notifier', () => {
  it('posts one root message per alert, in the default channel, and keeps its ts on the alert', async () => {
    await startNotifier();
    const name = await createAlert({ type: 'NodeOutOfDiskSpace', severity: 'critical', node: 'gpu-node-7' });
    const root = await rootOf(name);
    expect(root.channel).toBe(defaultChannel);
    const [message, ...others] = slack.messages(defaultChannel);
    expect(others).toEqual([]);
    expect(message?.ts).toBe(root.ts);
    const text = shown(message);
    expect(text).toContain('NodeOutOfDiskSpace');
    expect(text).toContain('gpu-node-7');
    expect(text).toContain('critical');
    expect(text).toContain('#e01e5a');
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(slack.calls.every((call) => call.token === 'xoxb-test')).toBe(true);
  });

  it('edits the root message as the state changes and threads the events', async () => {
    await startNotifier();
    const name = await createAlert({ type: 'GpuXidError' });
    const root = await rootOf(name);
    const startTime = new Date(Date.now() - 90_000).toISOString();
    await patchStatus(name, {
      opsStatus: { triggerStatus: 'Triggered', alertOpsStatus: 'Running', workflowName: 'wf-1', startTime },
    });
    await waitFor('a running root and a started reply', () => {
      const message = slack.messages(defaultChannel)[0];
      return message !== undefined && shown(message).includes('#1e88e5') && message.replies.length === 1;
    });
    await patchStatus(name, {
      opsStatus: {
        triggerStatus: 'Triggered',
        alertOpsStatus: 'Succeeded',
        workflowName: 'wf-1',
        startTime,
        completionTime: new Date().toISOString(),
      },
    });
    await patchStatus(name, { status: 'Resolved', resolvedAt: new Date().toISOString() });
    await waitFor('a resolved root with three replies', () => {
      const message = slack.messages(defaultChannel)[0];
      return message !== undefined && shown(message).includes('#9e9e9e') && message.replies.length === 3;
    });
    const [message, ...others] = slack.messages(defaultChannel);
    expect(others).toEqual([]);
    expect(message?.ts).toBe(root.ts);
    expect(message?.replies.map((reply) => reply.text)).toEqual([
      expect.stringContaining('started'),
      expect.stringContaining('succeeded after 1m 3'),
      expect.stringContaining('resolved'),
    ]);
    expect(slack.callsOf('chat.update').every((call) => call.params['ts'] === root.ts)).toBe(true);
    // Root + three replies: nothing else was ever posted.
    expect(slack.callsOf('chat.postMessage')).toHaveLength(4);
  });

  it('edits instead of re-posting after a restart', async () => {
    const first = await startNotifier();
    const name = await createAlert({ type: 'NodeNotReady' });
    const root = await rootOf(name);
    await waitFor('the root message', () => slack.messages(defaultChannel).length === 1);
    await first.stop();
    await patchStatus(name, { count: 7 });
    await startNotifier();
    await waitFor('the count edited in place', () =>
      shown(slack.messages(defaultChannel)[0]).includes('*Count*\\n7'),
    );
    await sleep(500);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    expect(slack.messages(defaultChannel).map((message) => message.ts)).toEqual([root.ts]);
  });

  it('waits out a 429 with Retry-After and posts exactly once', async () => {
    await startNotifier();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1, count: 2 });
    const started = Date.now();
    const name = await createAlert({ type: 'NodeMemoryPressure' });
    await rootOf(name);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    const posts = slack.callsOf('chat.postMessage');
    expect(posts.map((call) => call.status)).toEqual([429, 429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
    await sleep(300);
    expect(slack.messages(defaultChannel)).toHaveLength(1);
  });

  it('routes by severity, type and namespace', async () => {
    await startNotifier({
      routes: [
        { channel: 'C0CRIT', severity: 'critical' },
        { channel: 'C0GPU', type: 'Gpu.*' },
        { channel: 'C0ML', namespace: 'ml' },
      ],
    });
    const critical = await createAlert({ type: 'GpuFellOff', severity: 'Critical' });
    const gpu = await createAlert({ type: 'GpuFellOff' });
    const ml = await createAlert({ type: 'PodCrashLooping', objectNamespace: 'ml' });
    const other = await createAlert({ type: 'PodCrashLooping', objectNamespace: 'web' });
    const channels = await Promise.all(
      [critical, gpu, ml, other].map(async (name) => (await rootOf(name)).channel),
    );
    expect(channels).toEqual(['C0CRIT', 'C0GPU', 'C0ML', defaultChannel]);
  });

  it('groups a storm of one type under one root message', async () => {
    await startNotifier({ storm: { threshold: 5, windowMs: 60_000, summaryIntervalMs: 500 } });
    const names = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        createAlert({ type: 'GpuXidError', node: `gpu-node-${index}` }),
      ),
    );
    const roots = await Promise.all(names.map(rootOf));
    const groupRoot = slack
      .messages(defaultChannel)
      .find((message) => shown(message).includes('Alert storm'));
    expect(groupRoot).toBeDefined();
    const grouped = names.filter((_, index) => roots[index]?.ts === groupRoot?.ts);
    expect(grouped.length).toBeGreaterThanOrEqual(20);
    await waitFor('the summary and the thread to list every grouped alert', () => {
      const current = slack.messages(defaultChannel).find((message) => message.ts === groupRoot?.ts);
      const thread = (current?.replies ?? []).map(shown).join('');
      return grouped.every((name) => thread.includes(name)) && shown(current).includes(`${grouped.length} ×`);
    });
    expect(slack.messages(defaultChannel).length).toBeLessThanOrEqual(1 + (30 - grouped.length));
    expect(slack.calls.length).toBeLessThan(20);
  });

  it('posts the approval request in the thread and edits it once decided', async () => {
    await startNotifier();
    const name = await createAlert({ type: 'NodeOutOfDiskSpace' });
    const approval = {
      state: 'Pending' as const,
      requestedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      rule: { namespace, name: 'disk-full' },
      template: { namespace, name: 'drop-caches' },
      renderedManifest: 'kind: Workflow\nspec: {}\n',
    };
    await patchStatus(name, { opsStatus: { triggerStatus: 'AwaitingApproval' }, approval });
    await waitFor('the approval request', () =>
      (slack.messages(defaultChannel)[0]?.replies ?? []).some((reply) =>
        shown(reply).includes('aegis_approve'),
      ),
    );
    await patchDecision(name, approval, { decision: 'Approved', by: 'U0ALICE' });
    await waitFor('the request without buttons and a decision reply', () => {
      const replies = slack.messages(defaultChannel)[0]?.replies ?? [];
      // The matched rule, the request it caused (now decided), and the decision.
      return (
        replies.length === 3 &&
        shown(replies[0]).includes(':dart: Matched rule `monitoring/disk-full`') &&
        !shown(replies[1]).includes('aegis_approve') &&
        shown(replies[1]).includes('*Approved* by <@U0ALICE>') &&
        shown(replies[2]).includes('<@U0ALICE> approved')
      );
    });
  });

  it('keeps a copy of the approval request in the thread it was asked for in, edited once decided', async () => {
    const notifier = await startNotifier();
    // The thread a proposal was asked in: another message in another channel.
    const threadTs = await postAsBot(slack, 'xoxb-test', 'C0ASKED', 'cordon it');
    const name = await createAlert({ type: 'OpsRequest' });
    const approval = {
      state: 'Pending' as const,
      requestedAt: new Date().toISOString(),
      template: { namespace, name: 'cordon' },
      renderedManifest: 'kind: Workflow\nspec: {}\n',
    };
    await patchStatus(name, { opsStatus: { triggerStatus: 'AwaitingApproval' }, approval });
    await notifier.showApprovalInThread({ namespace, name }, { channel: 'C0ASKED', threadTs });
    const askedThread = () => channelView(slack, 'C0ASKED').replies(threadTs);
    await waitFor('the approval request in both threads', () => {
      const own = slack.messages(defaultChannel)[0]?.replies ?? [];
      return (
        own.some((reply) => shown(reply).includes('aegis_approve')) &&
        askedThread().some((reply) => shown(reply).includes('aegis_approve'))
      );
    });
    expect(askedThread()).toHaveLength(1);
    await patchDecision(name, approval, { decision: 'Rejected', by: 'U0BOB', reason: 'not now' });
    await waitFor('the copy without buttons, saying who decided', () => {
      const copy = askedThread()[0];
      return copy !== undefined && !shown(copy).includes('aegis_approve') && shown(copy).includes('U0BOB');
    });
    // Only the copy of the approval request goes to the asked thread; run events stay in the request's own.
    expect(askedThread()).toHaveLength(1);
  });
});
