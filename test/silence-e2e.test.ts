/**
 * Silences take effect: the alert reconciler and the Slack notifier on the sandbox (simulated Argo), a real Redis
 * and the fake Slack Web API. While an AegisSilence matches, an alert is recorded (the AegisAlert exists and
 * counts) but gets no Workflow, no approval request and no Slack message; when the silence is deleted or
 * expires, it is handled as usual.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackNotifier, type SlackNotifier } from '../src/bot/index.js';
import { startAlertController, type AlertController } from '../src/controller/alerts/index.js';
import { createRuleMatcher, createRuleSource, type RuleMatcher } from '../src/controller/rules/index.js';
import { buildAegisAlertObject } from '../src/core/alerts/index.js';
import type { AegisAlert, AegisSilenceSpec } from '../src/core/resources/index.js';
import { createAegisSilenceStore } from '../src/kube/index.js';
import { parseCustomPayload } from '../src/webhooks/formats/index.js';
import { sleep } from './controller-runtime-helpers.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const channel = 'C0SILENCE';
const payloadFile = new URL('../examples/alerts/custom-node-firing.json', import.meta.url);
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: alertNamespace } as const;
const prefix = `silence-${randomUUID().slice(0, 8)}`;

let env: IngestEnvironment;
let slack: FakeSlackApi;
let matcher: RuleMatcher;
let controller: AlertController;
let notifier: SlackNotifier;

const echoManifest = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  annotations:
    sandbox.aegis.io/duration: 200ms
spec:
  entrypoint: start
  templates:
  - name: start
    container:
      image: busybox
      command: [/bin/sh, -c, "echo {{.node}}"]
`;

async function createObject(plural: string, body: object): Promise<void> {
  await env.clients.customObjects.createNamespacedCustomObject({ ...aegis, plural, body });
}

async function createRule(name: string, type: string, extra: Record<string, unknown> = {}): Promise<void> {
  await createObject('aegisalertopsrules', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlertOpsRule',
    metadata: { name },
    spec: {
      alertConditions: [{ type, status: 'Firing' }],
      opsTemplate: { kind: 'AegisOpsTemplate', namespace: alertNamespace, name: 'silence-echo' },
      ...extra,
    },
  });
}

/** An AegisAlert as the ingest worker makes it: the object, then its initial status. */
async function createAlert(type: string, fingerprint = randomUUID().replace(/-/g, '').slice(0, 16)) {
  const body = JSON.parse(await readFile(payloadFile, 'utf8')) as Record<string, unknown>;
  body['type'] = type;
  body['fingerprint'] = fingerprint;
  const [accepted] = parseCustomPayload(body).accepted;
  if (accepted === undefined) throw new Error('example payload refused');
  const { object, status } = buildAegisAlertObject(accepted.alert, {
    namespace: alertNamespace,
    systemParameters: { cluster: 'sandbox' },
    ttl: {},
    now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  const created = await env.store.create(object);
  const written = await env.store.patchStatus(alertNamespace, created.metadata.name ?? '', status, {
    resourceVersion: created.metadata.resourceVersion ?? '',
  });
  return written.metadata.name ?? '';
}

async function getAlert(name: string): Promise<AegisAlert> {
  const alert = await env.store.get(alertNamespace, name);
  if (alert === undefined) throw new Error(`alert ${name} is gone`);
  return alert;
}

async function alertWhere(name: string, what: string, predicate: (alert: AegisAlert) => boolean) {
  return await eventually(
    async () => {
      const alert = await getAlert(name);
      return predicate(alert) ? alert : undefined;
    },
    30_000,
    `${name}: ${what}`,
  );
}

const silenced = (alert: AegisAlert) =>
  alert.status?.conditions?.find((condition) => condition.type === 'Silenced');

async function workflowsOf(alert: AegisAlert): Promise<unknown[]> {
  const list = (await env.clients.customObjects.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'workflows',
    namespace: alertNamespace,
  })) as { items: { metadata?: { ownerReferences?: { uid: string }[] } }[] };
  return list.items.filter((item) =>
    item.metadata?.ownerReferences?.some((reference) => reference.uid === alert.metadata.uid),
  );
}

/** Root messages in the channel about alerts of a type (each test uses types of its own). */
function rootsOf(type: string) {
  return slack.messages(channel).filter((message) => JSON.stringify(message).includes(type));
}

async function silence(matcher: AegisSilenceSpec['matcher'], forMs: number): Promise<string> {
  const created = await createAegisSilenceStore(env.clients, { namespace: alertNamespace }).create({
    matcher,
    until: new Date(Date.now() + forMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    reason: 'maintenance',
    createdBy: 'U0OPERATOR',
  });
  return created.metadata.name ?? '';
}

beforeAll(async () => {
  [env, slack] = await Promise.all([
    startIngestEnvironment(),
    startFakeSlackApi({ tokens: ['xoxb-silence'] }),
  ]);
  await createObject('aegisopstemplates', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisOpsTemplate',
    metadata: { name: 'silence-echo' },
    spec: { manifest: echoManifest },
  });
  await createRule('silence-plain', 'SilencePlain.*');
  await createRule('silence-approval', 'SilenceApproval', { approval: { required: true } });
  matcher = createRuleMatcher(createRuleSource(env.clients));
  await matcher.waitForSync(20_000);
  controller = await startAlertController({
    clients: env.clients,
    redisUrl: env.redis.url,
    prefix,
    matcher,
    namespace: alertNamespace,
    resyncIntervalMs: 0,
  });
  notifier = await startSlackNotifier({
    clients: env.clients,
    redisUrl: env.redis.url,
    prefix,
    slack: { token: 'xoxb-silence', apiUrl: slack.url },
    channel,
    namespace: alertNamespace,
    rateLimit: { perSecond: 50, burst: 20 },
  });
  await Promise.all([controller.waitForSync(20_000), notifier.waitForSync(20_000)]);
}, 90_000);

afterAll(async () => {
  await notifier?.stop();
  await controller?.stop();
  await matcher?.stop();
  await env?.stop();
  await slack?.close();
});

describe('silences', () => {
  it('records a silenced alert without Workflow or message; deleting the silence runs and posts it', async () => {
    const name = await silence({ type: 'SilencePlainDelete' }, 3_600_000);
    const alertName = await createAlert('SilencePlainDelete');
    const held = await alertWhere(alertName, 'Silenced=True', (item) => silenced(item)?.status === 'True');
    expect(held.status?.opsStatus?.triggerStatus).toBeUndefined();
    expect(held.status?.opsStatus?.message).toMatch(
      new RegExp(`^silenced by AegisSilence ${name} until .*: maintenance$`),
    );
    expect(silenced(held)?.reason).toBe('Silenced');
    // Repeats are still counted.
    await env.store.patchStatus(alertNamespace, alertName, { count: 2 });
    await sleep(1_500);
    const still = await getAlert(alertName);
    expect(still.status?.count).toBe(2);
    expect(still.status?.opsStatus?.triggerStatus).toBeUndefined();
    expect(still.status?.slack).toBeUndefined();
    expect(await workflowsOf(still)).toEqual([]);
    expect(rootsOf('SilencePlainDelete')).toEqual([]);

    expect(await createAegisSilenceStore(env.clients, { namespace: alertNamespace }).delete(name)).toBe(true);
    const done = await alertWhere(
      alertName,
      'Succeeded after the silence',
      (item) => item.status?.opsStatus?.alertOpsStatus === 'Succeeded',
    );
    expect(silenced(done)).toMatchObject({ status: 'False', reason: 'SilenceEnded' });
    expect(await workflowsOf(done)).toHaveLength(1);
    await eventually(
      () => Promise.resolve(rootsOf('SilencePlainDelete').length === 1 ? true : undefined),
      30_000,
      'root message',
    );
  }, 90_000);

  it('asks for no approval while silenced, and does when the silence expires', async () => {
    await silence({ type: 'SilenceApproval' }, 4_000);
    const alertName = await createAlert('SilenceApproval');
    const held = await alertWhere(alertName, 'Silenced=True', (item) => silenced(item)?.status === 'True');
    expect(held.status?.approval).toBeUndefined();
    expect(rootsOf('SilenceApproval')).toEqual([]);
    const waiting = await alertWhere(
      alertName,
      'AwaitingApproval after expiry',
      (item) => item.status?.opsStatus?.triggerStatus === 'AwaitingApproval',
    );
    expect(waiting.status?.approval?.state).toBe('Pending');
    await eventually(
      () => {
        const [root] = rootsOf('SilenceApproval');
        const replies = JSON.stringify(root?.replies ?? []);
        return Promise.resolve(replies.includes('Approve') ? true : undefined);
      },
      30_000,
      'the approval request in the thread',
    );
  }, 60_000);

  it('silences by fingerprint: only that alert is held', async () => {
    const fingerprint = randomUUID().replace(/-/g, '').slice(0, 16);
    await silence({ fingerprint }, 3_600_000);
    const heldName = await createAlert('SilencePlainFingerprint', fingerprint);
    const freeName = await createAlert('SilencePlainFingerprint');
    await alertWhere(freeName, 'Succeeded', (item) => item.status?.opsStatus?.alertOpsStatus === 'Succeeded');
    const held = await alertWhere(heldName, 'Silenced=True', (item) => silenced(item)?.status === 'True');
    expect(held.status?.opsStatus?.triggerStatus).toBeUndefined();
    await alertWhere(freeName, 'posted', (item) => item.status?.slack !== undefined);
    await sleep(500);
    expect(rootsOf('SilencePlainFingerprint')).toHaveLength(1);
    expect((await getAlert(heldName)).status?.slack).toBeUndefined();
  }, 60_000);

  it('never posts or runs an alert that resolved while silenced', async () => {
    await silence({ type: 'SilencePlainResolved' }, 3_000);
    const alertName = await createAlert('SilencePlainResolved');
    await alertWhere(alertName, 'Silenced=True', (item) => silenced(item)?.status === 'True');
    await env.store.patchStatus(alertNamespace, alertName, { status: 'Resolved' });
    await sleep(5_000);
    const after = await getAlert(alertName);
    expect(after.status?.opsStatus?.triggerStatus).toBeUndefined();
    expect(await workflowsOf(after)).toEqual([]);
    expect(after.status?.slack).toBeUndefined();
    expect(rootsOf('SilencePlainResolved')).toEqual([]);
  }, 60_000);

  it('leaves a root message that already exists: no new message, the thread stays current', async () => {
    const alertName = await createAlert('SilenceAlreadyPosted');
    const root = (await alertWhere(alertName, 'posted', (item) => item.status?.slack !== undefined)).status
      ?.slack;
    await silence({ type: 'SilenceAlreadyPosted' }, 3_600_000);
    await sleep(500);
    await env.store.patchStatus(alertNamespace, alertName, { count: 7 });
    await eventually(
      () => {
        const [message, ...others] = rootsOf('SilenceAlreadyPosted');
        const edited =
          others.length === 0 &&
          message !== undefined &&
          message.ts === root?.ts &&
          JSON.stringify([message.blocks, message.attachments]).includes(String.raw`*Count*\n7`);
        return Promise.resolve(edited ? true : undefined);
      },
      30_000,
      'the root message edited in place',
    );
  }, 60_000);
});
