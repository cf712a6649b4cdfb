/**
 * The approval service against the sandbox API server through the real client-node (and kubectl, when installed):
 * decisions land in the approval record on the alert's suspended Workflow (mirrored into `status.approval`),
 * concurrent decisions are never lost, every outcome is an Event on the alert, ops requests become AegisAlerts,
 * and a kubectl status patch is a report that decides nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalIsValid,
  newPendingApproval,
  opsRequestApprovalPolicy,
  parseApprovalRecord,
  serialiseApprovalRecord,
  type ApprovalRecord,
} from '../src/core/approvals/index.js';
import { buildAlertWorkflow, workflowAnnotations, workflowNameFor } from '../src/controller/alerts/index.js';
import { createApprovalService, type ApprovalService } from '../src/controller/approvals/index.js';
import type { AegisAlert, AlertApproval } from '../src/core/resources/index.js';
import {
  createAegisAlertStore,
  createEventRecorder,
  createWorkflowStore,
  installCrds,
  readCrdManifests,
} from '../src/kube/index.js';
import type { AlertStore } from '../src/controller/ingest/index.js';
import { hasKubectl, kubectl, startFixture, type SandboxFixture } from './conformance/sandbox-fixture.js';

const namespace = 'monitoring';
const kubectlAvailable = await hasKubectl();
let fixture: SandboxFixture;
let store: AlertStore;
let now = new Date('2025-06-01T08:10:00Z');
let service: ApprovalService;

beforeAll(async () => {
  fixture = await startFixture({ nodes: 1, simulate: false });
  await installCrds(fixture.clients, await readCrdManifests());
  await fixture.clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  store = createAegisAlertStore(fixture.clients);
  service = createApprovalService({
    store,
    workflows: createWorkflowStore(fixture.clients),
    clock: () => now,
    namespace,
    events: createEventRecorder(fixture.clients, { component: 'aegis-test' }),
    resolveGroups: (user, candidates) =>
      Promise.resolve(user === 'U-group-member' ? candidates.filter((id) => id === 'S-oncall') : []),
  });
}, 60_000);

afterAll(async () => {
  await fixture?.close();
});

function pendingApproval(overrides: Partial<AlertApproval> = {}): AlertApproval {
  return {
    ...newPendingApproval({
      policy: { ...opsRequestApprovalPolicy, approvers: ['U1', 'U2', 'U3', 'S-oncall'], minApprovals: 1 },
      now: new Date('2025-06-01T08:00:00Z'),
      renderedManifest: 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n',
      manifestDigest: 'd1',
      rule: { namespace, name: 'drop-caches' },
      template: { namespace, name: 'drop-caches' },
    }),
    ...overrides,
  };
}

/** An alert waiting for approval, as the alert reconciler leaves it. */
async function waitingAlert(approval: AlertApproval): Promise<string> {
  const labels = { 'alert-type': 'NodeHasMemoryPressure', 'alert-status': 'Firing' };
  const created = await store.create({
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: { generateName: 'alertmanager-nodehasmemorypressure-', namespace, labels, annotations: {} },
    spec: {
      source: 'Alertmanager',
      type: 'NodeHasMemoryPressure',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'node-1', node: 'node-1' },
      details: { node: 'node-1' },
      selector: { matchLabels: labels },
      ttlStrategy: {},
    },
  });
  const name = created.metadata.name ?? '';
  await store.patchStatus(namespace, name, {
    status: 'Firing',
    opsStatus: { triggerStatus: 'AwaitingApproval' },
    approval,
  });
  await createSuspendedWorkflow(created, approval);
  return name;
}

/** The suspended Workflow holding the request's record, as the alert reconciler creates it. */
async function createSuspendedWorkflow(alert: AegisAlert, approval: AlertApproval): Promise<void> {
  const workflow = buildAlertWorkflow(
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', spec: { entrypoint: 'main', templates: [] } },
    { name: alert.metadata.name ?? '', namespace, uid: alert.metadata.uid ?? '' },
    { digest: approval.manifestDigest ?? '' },
  );
  workflow.metadata!.annotations![workflowAnnotations.approval] = serialiseApprovalRecord(approval);
  await createWorkflowStore(fixture.clients).create(namespace, {
    ...workflow,
    spec: { ...workflow.spec, suspend: true },
  });
}

/** The record on the suspended Workflow: what the controller acts on. */
async function recordOf(name: string): Promise<ApprovalRecord | undefined> {
  const workflow = await createWorkflowStore(fixture.clients).get(namespace, workflowNameFor(name));
  return parseApprovalRecord(workflow?.metadata?.annotations?.[workflowAnnotations.approval]);
}

async function eventsOf(name: string): Promise<{ reason: string; type: string; message: string }[]> {
  const list = await fixture.clients.core.listNamespacedEvent({ namespace });
  return list.items
    .filter((event) => event.involvedObject.name === name && event.involvedObject.kind === 'AegisAlert')
    .map((event) => ({ reason: event.reason ?? '', type: event.type ?? '', message: event.message ?? '' }));
}

/** The people's copy in the status, which must agree with the record. */
async function approvalOf(name: string): Promise<AlertApproval | undefined> {
  const shown = (await store.get(namespace, name))?.status?.approval;
  const record = await recordOf(name);
  const { renderedManifest: _shownManifest, ...shownRecord } = shown ?? {};
  expect(shownRecord).toEqual(record);
  return shown;
}

describe('approval service on the sandbox', () => {
  it('records an approval in the history through /status and an ApprovalGranted Event', async () => {
    const name = await waitingAlert(pendingApproval());
    const outcome = await service.approve({ namespace, name }, { id: 'U1' }, 'slack', 'caches are huge');
    expect(outcome).toMatchObject({ ok: true, changed: true, approval: { state: 'Approved' } });
    const approval = await approvalOf(name);
    expect(approval?.state).toBe('Approved');
    expect(approval?.history).toEqual([
      { decision: 'Approved', by: 'U1', via: 'slack', at: '2025-06-01T08:10:00Z', reason: 'caches are huge' },
    ]);
    expect(approval?.decidedAt).toBe('2025-06-01T08:10:00Z');
    expect(approval?.renderedManifest).toContain('kind: Workflow');
    expect(await eventsOf(name)).toEqual([
      {
        reason: 'ApprovalGranted',
        type: 'Normal',
        message: 'approved by U1 via slack (the run is approved): caches are huge',
      },
    ]);
    expect(approvalIsValid(approval!, { approvers: ['U1', 'U2', 'U3', 'S-oncall'] })).toMatchObject({
      valid: true,
    });
  });

  it('loses no decision when approvers click at the same time', async () => {
    const name = await waitingAlert(pendingApproval({ minApprovals: 3 }));
    const outcomes = await Promise.all(
      ['U1', 'U2', 'U3', 'U1', 'U2'].map((id) => service.approve({ namespace, name }, { id }, 'slack')),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const approval = await approvalOf(name);
    expect(approval?.state).toBe('Approved');
    expect(approval?.history?.map((entry) => entry.by).sort()).toEqual(['U1', 'U2', 'U3']);
    const granted = (await eventsOf(name)).filter((event) => event.reason === 'ApprovalGranted');
    expect(granted).toHaveLength(3);
  });

  it('accepts a member of an approver group (groups resolved by the service) and records the group', async () => {
    const name = await waitingAlert(pendingApproval());
    const outcome = await service.approve({ namespace, name }, { id: 'U-group-member' }, 'slack');
    expect(outcome).toMatchObject({ ok: true });
    expect((await approvalOf(name))?.history?.[0]).toMatchObject({ by: 'U-group-member', group: 'S-oncall' });
  });

  it('refuses and audits: not an approver, expired, not found, not waiting', async () => {
    const name = await waitingAlert(pendingApproval());
    expect(await service.approve({ namespace, name }, { id: 'U9' }, 'cli')).toMatchObject({
      ok: false,
      code: 'NotApprover',
    });
    now = new Date('2025-06-01T09:00:00Z');
    try {
      expect(await service.approve({ namespace, name }, { id: 'U1' }, 'cli')).toMatchObject({
        ok: false,
        code: 'Expired',
      });
    } finally {
      now = new Date('2025-06-01T08:10:00Z');
    }
    expect((await approvalOf(name))?.history).toEqual([]);
    const refusals = await eventsOf(name);
    expect(refusals.map((event) => [event.reason, event.type])).toEqual([
      ['ApprovalRefused', 'Warning'],
      ['ApprovalRefused', 'Warning'],
    ]);
    expect(refusals.map((event) => event.message).sort()[1]).toContain(
      'approve by U9 via cli refused (NotApprover)',
    );

    expect(await service.approve({ namespace, name: 'no-such-alert' }, { id: 'U1' }, 'cli')).toMatchObject({
      ok: false,
      code: 'NotFound',
    });
    // The status still says Pending, but no suspended Workflow holds a request: nothing to decide.
    const plain = await waitingAlert(pendingApproval());
    await createWorkflowStore(fixture.clients).delete(namespace, workflowNameFor(plain));
    expect(await service.reject({ namespace, name: plain }, { id: 'U1' }, 'cli')).toMatchObject({
      ok: false,
      code: 'NotPending',
    });
  });

  it('rejects with one rejection and an ApprovalRejected Event', async () => {
    const name = await waitingAlert(pendingApproval({ minApprovals: 2 }));
    await service.approve({ namespace, name }, { id: 'U1' }, 'slack');
    const outcome = await service.reject({ namespace, name }, { id: 'U2' }, 'cli', 'wrong node');
    expect(outcome).toMatchObject({ ok: true, approval: { state: 'Rejected' } });
    expect((await eventsOf(name)).map((event) => event.reason).sort()).toEqual([
      'ApprovalGranted',
      'ApprovalRejected',
    ]);
  });

  it('creates an ops request as an AegisAlert; its requester may not approve it', async () => {
    const created = await service.createOpsRequest({
      template: { name: 'cordon-node' },
      parameters: { node: 'gpu-node-1' },
      requestedBy: 'U-requester',
      reason: 'ECC errors',
    });
    expect(created.namespace).toBe(namespace);
    const alert = (await store.get(namespace, created.name)) as AegisAlert;
    expect(alert.spec).toMatchObject({
      source: 'OpsRequest',
      type: 'OpsRequest',
      opsRequest: {
        template: { namespace, name: 'cordon-node' },
        parameters: { node: 'gpu-node-1' },
        requestedBy: 'U-requester',
        reason: 'ECC errors',
      },
    });
    expect(alert.status).toMatchObject({ status: 'Firing', count: 1 });
    expect((await eventsOf(created.name)).map((event) => event.reason)).toEqual(['OpsRequested']);
    // What the alert reconciler writes for an ops request.
    const opsApproval = newPendingApproval({
      policy: opsRequestApprovalPolicy,
      now: new Date('2025-06-01T08:00:00Z'),
      renderedManifest: 'kind: Workflow\n',
      manifestDigest: 'd2',
      template: { namespace, name: 'cordon-node' },
      requestedBy: 'U-requester',
    });
    await store.patchStatus(namespace, created.name, { approval: opsApproval });
    await createSuspendedWorkflow(alert, opsApproval);
    expect(
      await service.approve({ namespace, name: created.name }, { id: 'U-requester' }, 'slack'),
    ).toMatchObject({
      ok: false,
      code: 'SelfApproval',
    });
    expect(await service.approve({ namespace, name: created.name }, { id: 'U7' }, 'slack')).toMatchObject({
      ok: true,
      approval: { state: 'Approved' },
    });
    await expect(
      service.createOpsRequest({ template: { name: 'Bad Name' }, requestedBy: 'U1' }),
    ).rejects.toMatchObject({ code: 'OPS_REQUEST_INVALID' });
  });

  it.runIf(kubectlAvailable)(
    'a kubectl status patch decides nothing: the record on the Workflow stays as it was',
    async () => {
      const name = await waitingAlert(pendingApproval());
      const forged = await kubectl(fixture, [
        'patch',
        'aegisalert',
        name,
        '-n',
        namespace,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({
          status: {
            approval: {
              state: 'Approved',
              decidedAt: '2025-06-01T08:12:00Z',
              history: [{ decision: 'Approved', by: 'U2', via: 'kubectl', at: '2025-06-01T08:12:00Z' }],
            },
          },
        }),
      ]);
      expect(forged.code).toBe(0);
      const record = await recordOf(name);
      expect(record).toMatchObject({ state: 'Pending', history: [] });
      expect(approvalIsValid(record!, { approvers: ['U1', 'U2', 'U3', 'S-oncall'] })).toMatchObject({
        valid: false,
      });
      // A real decision is judged on the record, and the mirror follows it.
      expect(await service.approve({ namespace, name }, { id: 'U1' }, 'cli')).toMatchObject({
        ok: true,
        approval: { state: 'Approved', history: [{ by: 'U1' }] },
      });
      expect((await recordOf(name))?.history?.map((entry) => entry.by)).toEqual(['U1']);
    },
  );

  it('counts one credential once, whatever id it gives', async () => {
    const name = await waitingAlert(pendingApproval({ minApprovals: 2 }));
    const token = 'token:sha256:0123456789ab';
    expect(await service.approve({ namespace, name }, { id: 'U1', credential: token }, 'api')).toMatchObject({
      ok: true,
      approval: { state: 'Pending' },
    });
    expect(await service.approve({ namespace, name }, { id: 'U2', credential: token }, 'api')).toMatchObject({
      ok: false,
      code: 'SameCredential',
    });
    expect(await recordOf(name)).toMatchObject({
      state: 'Pending',
      history: [{ by: 'U1', credential: token }],
    });
  });
});
