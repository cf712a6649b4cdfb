/**
 * The approval service against the sandbox API server through the real client-node (and kubectl, when installed):
 * decisions land in `status.approval.history`, concurrent decisions are never lost, every outcome is an Event on
 * the alert, ops requests become AegisAlerts, and a kubectl status patch that skips the history is not a valid
 * approval.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalIsValid,
  newPendingApproval,
  opsRequestApprovalPolicy,
} from '../src/core/approvals/index.js';
import { createApprovalService, type ApprovalService } from '../src/controller/approvals/index.js';
import type { AegisAlert, AlertApproval } from '../src/core/resources/index.js';
import {
  createAegisAlertStore,
  createEventRecorder,
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
    clock: () => now,
    namespace,
    events: createEventRecorder(fixture.clients, { component: 'aegis-test' }),
    resolveGroups: (user) => Promise.resolve(user === 'U-group-member' ? ['S-oncall'] : []),
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
  return name;
}

async function eventsOf(name: string): Promise<{ reason: string; type: string; message: string }[]> {
  const list = await fixture.clients.core.listNamespacedEvent({ namespace });
  return list.items
    .filter((event) => event.involvedObject.name === name && event.involvedObject.kind === 'AegisAlert')
    .map((event) => ({ reason: event.reason ?? '', type: event.type ?? '', message: event.message ?? '' }));
}

async function approvalOf(name: string): Promise<AlertApproval | undefined> {
  return (await store.get(namespace, name))?.status?.approval;
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
    const plain = await waitingAlert(pendingApproval());
    await fixture.clients.customObjects.patchNamespacedCustomObjectStatus({
      group: 'aegis.io',
      version: 'v1alpha1',
      plural: 'aegisalerts',
      namespace,
      name: plain,
      body: [{ op: 'remove', path: '/status/approval' }],
    });
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
    await store.patchStatus(namespace, created.name, {
      approval: newPendingApproval({
        policy: opsRequestApprovalPolicy,
        now: new Date('2025-06-01T08:00:00Z'),
        renderedManifest: 'kind: Workflow\n',
        manifestDigest: 'd2',
        template: { namespace, name: 'cordon-node' },
        requestedBy: 'U-requester',
      }),
    });
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
    'documents the kubectl path: a bare state patch is not a valid approval, a full entry is',
    async () => {
      const name = await waitingAlert(pendingApproval());
      const patch = async (body: unknown) =>
        await kubectl(fixture, [
          'patch',
          'aegisalert',
          name,
          '-n',
          namespace,
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify(body),
        ]);
      const bare = await patch({ status: { approval: { state: 'Approved' } } });
      expect(bare.stderr).toBe('');
      const rule = { approvers: ['U1', 'U2', 'U3', 'S-oncall'] };
      expect(approvalIsValid((await approvalOf(name))!, rule)).toMatchObject({ valid: false });
      const full = await patch({
        status: {
          approval: {
            state: 'Approved',
            decidedAt: '2025-06-01T08:12:00Z',
            history: [
              {
                decision: 'Approved',
                by: 'U2',
                via: 'kubectl',
                at: '2025-06-01T08:12:00Z',
                reason: 'on call',
              },
            ],
          },
        },
      });
      expect(full.code).toBe(0);
      expect(approvalIsValid((await approvalOf(name))!, rule)).toEqual({ valid: true, approvedBy: ['U2'] });
    },
  );
});
