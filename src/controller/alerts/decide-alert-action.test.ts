import { describe, expect, it } from 'vitest';
import type { AegisAlert } from '../../core/resources/index.js';
import { buildTemplateVariables, renderOpsTemplate, type TemplateAlert } from '../../core/templates/index.js';
import { decideAlertAction, needsTrigger, type AlertDecisionContext } from './decide-alert-action.js';
import { viewWorkflow, workflowNameFor } from './alert-workflow.js';
import type { WorkflowView } from './alert-workflow.js';

const now = new Date('2026-11-20T12:00:00Z');
const manifest = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  labels: {team: ops}
  annotations: {owner: sre}
spec:
  entrypoint: start
  templates:
  - name: start
    container:
      image: bitnami/kubectl:latest
      command: [/bin/bash, -c, "kubectl cordon {{.node}}"]
`;

function alert(status: AegisAlert['status'] = {}, node = 'dev1'): AegisAlert {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: {
      name: 'default-nodehasemergencyevent-abcde',
      namespace: 'monitoring',
      uid: 'alert-uid',
      resourceVersion: '7',
      creationTimestamp: '2026-11-20T11:59:59Z',
      labels: { 'alert-type': 'NodeHasEmergencyEvent', fingerprint: 'f1' },
    },
    spec: {
      type: 'NodeHasEmergencyEvent',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: node, node },
      details: { node },
    },
    status: { status: 'Firing', count: 1, startTime: '2026-11-20T11:59:59Z', ...status },
  };
}

const rule = { namespace: 'monitoring', name: 'nodehasemergencyevent' };
const template = { namespace: 'monitoring', name: 'nodehasemergencyevent' };

function context(subject: AegisAlert, extra: Partial<AlertDecisionContext> = {}): AlertDecisionContext {
  const variables = buildTemplateVariables(subject as unknown as TemplateAlert);
  return {
    now,
    approvalDefault: 'none',
    initialStatusGraceMs: 10_000,
    trigger: {
      kind: 'resolved',
      rule,
      template,
      templateObject: { spec: { manifest }, status: { status: 'Recorded' } },
      render: renderOpsTemplate(manifest, variables),
    },
    ...extra,
  };
}

function workflow(phase: string, extra: Record<string, unknown> = {}): WorkflowView {
  return viewWorkflow(
    {
      metadata: {
        name: 'default-nodehasemergencyevent-abcde',
        uid: 'wf-uid',
        annotations: { 'aegis.io/template': 'monitoring/nodehasemergencyevent' },
        ownerReferences: [{ uid: 'alert-uid', controller: true }],
      },
      status: { phase, startedAt: '2026-11-20T12:00:01Z', finishedAt: '2026-11-20T12:00:09Z', ...extra },
    },
    'alert-uid',
  );
}

describe('decideAlertAction', () => {
  it('waits for the ingest worker to write the initial status, then writes it itself (as upstream)', () => {
    const fresh = { ...alert(), status: undefined };
    expect(decideAlertAction(fresh, context(fresh))).toMatchObject({ kind: 'nothing', afterMs: 9_000 });
    const old = { ...fresh, metadata: { ...fresh.metadata, creationTimestamp: '2026-11-20T11:00:00Z' } };
    expect(decideAlertAction(old, context(old))).toMatchObject({
      kind: 'writeStatus',
      status: { status: 'Firing', count: 1, startTime: '2026-11-20T12:00:00Z' },
    });
  });

  it('creates the Workflow named after the alert, owned and labelled by it', () => {
    const subject = alert();
    expect(needsTrigger(subject)).toBe(true);
    const action = decideAlertAction(subject, context(subject));
    if (action.kind !== 'createWorkflow') throw new Error(action.kind);
    const metadata = action.workflow.metadata;
    expect(metadata?.name).toBe('default-nodehasemergencyevent-abcde');
    expect(metadata?.namespace).toBe('monitoring');
    expect(metadata?.labels).toEqual({
      team: 'ops',
      'alert-type': 'NodeHasEmergencyEvent',
      fingerprint: 'f1',
    });
    expect(metadata?.annotations).toMatchObject({
      owner: 'sre',
      'aegis.io/template': 'monitoring/nodehasemergencyevent',
    });
    expect(metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisAlert',
        name: 'default-nodehasemergencyevent-abcde',
        uid: 'alert-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(JSON.stringify(action.workflow.spec)).toContain('kubectl cordon dev1');
    expect(action.status.opsStatus).toMatchObject({
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Pending',
      total: 1,
    });
  });

  it('keeps Workflow names within 63 characters, deterministically', () => {
    const long = `a${'b'.repeat(100)}`;
    expect(workflowNameFor(long)).toHaveLength(63);
    expect(workflowNameFor(long)).toBe(workflowNameFor(long));
    expect(workflowNameFor('short')).toBe('short');
  });

  it('says TemplateUnsafe for a hostile value and creates nothing', () => {
    const subject = alert({}, 'dev1; reboot');
    const action = decideAlertAction(subject, context(subject));
    expect(action).toMatchObject({
      kind: 'writeStatus',
      status: { opsStatus: { triggerStatus: 'TemplateUnsafe' } },
      events: [{ type: 'Warning', reason: 'TemplateUnsafe' }],
    });
  });

  it('fails the trigger for no rule, many rules, a missing and an Invalid template', () => {
    const subject = alert();
    const failure = (trigger: AlertDecisionContext['trigger']) => {
      const action = decideAlertAction(subject, { ...context(subject), ...(trigger ? { trigger } : {}) });
      return action.kind === 'writeStatus' ? action.status.opsStatus?.triggerStatus : action.kind;
    };
    expect(failure({ kind: 'none' })).toBe('RuleNotFound');
    expect(failure({ kind: 'many', rules: ['a/x', 'b/y'] })).toBe('TooManyRulesFound');
    expect(failure({ kind: 'resolved', rule, template })).toBe('TemplateNotFound');
    expect(
      failure({
        kind: 'resolved',
        rule,
        template,
        templateObject: { status: { status: 'Invalid', message: 'bad' } },
      }),
    ).toBe('TemplateInvalid');
  });

  it('adopts a Workflow it already owns instead of matching again (crash after create)', () => {
    const subject = alert();
    const action = decideAlertAction(subject, {
      ...context(subject),
      trigger: { kind: 'none' },
      workflow: workflow('Running'),
    });
    expect(action).toMatchObject({
      kind: 'writeStatus',
      status: { opsStatus: { triggerStatus: 'Triggered' } },
    });
  });

  it('records Running before the outcome, then the outcome with the template to count', () => {
    const triggered = alert({
      opsStatus: {
        triggerStatus: 'Triggered',
        alertOpsStatus: 'Pending',
        workflowName: 'default-nodehasemergencyevent-abcde',
      },
    });
    expect(decideAlertAction(triggered, { ...context(triggered), workflow: workflow('Pending') }).kind).toBe(
      'nothing',
    );
    expect(
      decideAlertAction(triggered, { ...context(triggered), workflow: workflow('Succeeded') }),
    ).toMatchObject({
      kind: 'writeStatus',
      status: { opsStatus: { alertOpsStatus: 'Running', startTime: '2026-11-20T12:00:01Z' } },
    });
    const running = alert({
      opsStatus: {
        ...triggered.status?.opsStatus,
        alertOpsStatus: 'Running',
        startTime: '2026-11-20T12:00:01Z',
      },
    });
    expect(
      decideAlertAction(running, { ...context(running), workflow: workflow('Error', { message: 'oom' }) }),
    ).toMatchObject({
      kind: 'recordOutcome',
      outcome: 'Failed',
      workflowUid: 'wf-uid',
      template,
      status: { opsStatus: { alertOpsStatus: 'Failed', completionTime: '2026-11-20T12:00:09Z', failed: 1 } },
      events: [{ type: 'Warning', reason: 'WorkflowFailed' }],
    });
    expect(decideAlertAction(running, { ...context(running) })).toMatchObject({
      kind: 'writeStatus',
      status: { opsStatus: { alertOpsStatus: 'Failed' } },
      events: [{ reason: 'WorkflowDeleted' }],
    });
  });

  /** The suspended Workflow the approval branch created, as the cache would hold it, with another record. */
  function held(
    created: Extract<ReturnType<typeof decideAlertAction>, { kind: 'createWorkflow' }>,
    record?: Record<string, unknown>,
  ): WorkflowView {
    const metadata = created.workflow.metadata ?? {};
    const annotations = { ...metadata.annotations };
    if (record !== undefined) annotations['aegis.io/approval'] = JSON.stringify(record);
    return viewWorkflow(
      {
        ...created.workflow,
        metadata: { ...metadata, uid: 'wf-uid', resourceVersion: '42', annotations },
        status: { phase: 'Running' },
      },
      'alert-uid',
    );
  }

  it('requests approval by creating the Workflow suspended, and resumes it once validly approved', () => {
    const subject = alert();
    const gated = decideAlertAction(subject, { ...context(subject), approvalDefault: 'required' });
    if (gated.kind !== 'createWorkflow') throw new Error(gated.kind);
    expect(gated.workflow.spec?.['suspend']).toBe(true);
    expect(JSON.stringify(gated.workflow.spec)).toContain('kubectl cordon dev1');
    const approval = gated.status.approval;
    expect(approval).toMatchObject({ state: 'Pending', expiresAt: '2026-11-20T12:30:00Z', rule, template });
    expect(approval?.renderedManifest).toContain('kubectl cordon dev1');
    expect(JSON.parse(gated.workflow.metadata?.annotations?.['aegis.io/approval'] ?? '{}')).toMatchObject({
      state: 'Pending',
      expiresAt: '2026-11-20T12:30:00Z',
    });

    const waiting = alert({ approval, opsStatus: { triggerStatus: 'AwaitingApproval' } });
    expect(decideAlertAction(waiting, { ...context(waiting), workflow: held(gated) })).toMatchObject({
      kind: 'nothing',
      afterMs: 30 * 60_000,
    });

    const decision = { decision: 'Approved', by: 'U1', via: 'slack', at: '2026-11-20T12:01:00Z' };
    const { renderedManifest: _manifest, ...record } = approval!;
    const approvedRecord = { ...record, state: 'Approved', history: [decision] };
    const run = decideAlertAction(waiting, { ...context(waiting), workflow: held(gated, approvedRecord) });
    expect(run).toMatchObject({
      kind: 'resumeWorkflow',
      name: gated.workflow.metadata?.name,
      resourceVersion: '42',
      status: { opsStatus: { triggerStatus: 'Triggered' }, approval: { state: 'Approved' } },
    });

    // The status says Approved (a patch), the record does not: nothing runs, the report is put back.
    const forged = alert({
      opsStatus: { triggerStatus: 'AwaitingApproval' },
      approval: { ...approval!, state: 'Approved', history: [decision as never] },
    });
    expect(decideAlertAction(forged, { ...context(forged), workflow: held(gated) })).toMatchObject({
      kind: 'writeStatus',
      status: { approval: { state: 'Pending', history: [] } },
    });
    // A record that says Approved without a valid decision deletes the Workflow.
    const bare = { ...record, state: 'Approved' };
    expect(decideAlertAction(waiting, { ...context(waiting), workflow: held(gated, bare) })).toMatchObject({
      kind: 'deleteWorkflow',
      status: { opsStatus: { triggerStatus: 'TriggerFailed' } },
    });
    // AwaitingApproval without a suspended Workflow: nothing runs.
    expect(decideAlertAction(forged, context(forged))).toMatchObject({
      kind: 'writeStatus',
      status: { opsStatus: { triggerStatus: 'TriggerFailed' } },
    });
  });

  it('expires, cancels and rejects without running: the suspended Workflow is deleted', () => {
    const subject = alert();
    const gated = decideAlertAction(subject, { ...context(subject), approvalDefault: 'required' });
    if (gated.kind !== 'createWorkflow') throw new Error(gated.kind);
    const pending = alert({
      approval: gated.status.approval,
      opsStatus: { triggerStatus: 'AwaitingApproval' },
    });
    const later = new Date(now.getTime() + 30 * 60_000);
    expect(
      decideAlertAction(pending, { ...context(pending), now: later, workflow: held(gated) }),
    ).toMatchObject({
      kind: 'deleteWorkflow',
      status: {
        approval: { state: 'Expired' },
        opsStatus: { triggerStatus: 'TriggerFailed', message: 'approval expired' },
      },
    });
    const resolved = alert({ ...pending.status, status: 'Resolved' });
    expect(decideAlertAction(resolved, { ...context(resolved), workflow: held(gated) })).toMatchObject({
      kind: 'deleteWorkflow',
      status: {
        approval: { state: 'Cancelled' },
        opsStatus: { triggerStatus: 'TriggerFailed', message: 'alert resolved before approval' },
      },
    });
    const { renderedManifest: _manifest, ...record } = gated.status.approval!;
    const rejected = {
      ...record,
      state: 'Rejected',
      history: [
        { decision: 'Rejected', by: 'U2', via: 'cli', at: '2026-11-20T12:01:00Z', reason: 'not now' },
      ],
    };
    expect(
      decideAlertAction(pending, { ...context(pending), workflow: held(gated, rejected) }),
    ).toMatchObject({
      kind: 'deleteWorkflow',
      status: { opsStatus: { triggerStatus: 'Rejected', message: 'rejected by U2: not now' } },
    });
  });

  it('leaves a resolved alert without ops alone, and a running Workflow running when the alert resolves', () => {
    const resolved = alert({ status: 'Resolved' });
    expect(needsTrigger(resolved)).toBe(false);
    expect(decideAlertAction(resolved, context(resolved)).kind).toBe('nothing');
    const running = alert({
      status: 'Resolved',
      opsStatus: { triggerStatus: 'Triggered', alertOpsStatus: 'Running', startTime: '2026-11-20T12:00:01Z' },
    });
    expect(decideAlertAction(running, { ...context(running), workflow: workflow('Running') }).kind).toBe(
      'nothing',
    );
  });
});

describe('decideAlertAction: silences', () => {
  const silence = { name: 'silence-abc', until: '2026-11-20T13:00:00Z', reason: 'maintenance' };
  const message = 'silenced by AegisSilence silence-abc until 2026-11-20T13:00:00Z: maintenance';

  it('holds a silenced Firing alert: no Workflow, no approval, Silenced=True, again at until', () => {
    const subject = alert();
    const action = decideAlertAction(subject, context(subject, { approvalDefault: 'required', silence }));
    expect(action.kind).toBe('writeStatus');
    if (action.kind !== 'writeStatus') return;
    expect(action.status.opsStatus).toEqual({ message });
    expect(action.status.approval).toBeUndefined();
    expect(action.status.conditions).toEqual([
      expect.objectContaining({ type: 'Silenced', status: 'True', reason: 'Silenced', message }),
    ]);
    expect(action.events).toEqual([{ type: 'Normal', reason: 'Silenced', message }]);
    expect(action.afterMs).toBe(3_600_000 + 50);
  });

  it('waits without writing once the hold is recorded', () => {
    const subject = alert({
      opsStatus: { message },
      conditions: [
        {
          type: 'Silenced',
          status: 'True',
          reason: 'Silenced',
          message,
          lastTransitionTime: '2026-11-20T11:59:59Z',
        },
      ],
    });
    expect(decideAlertAction(subject, context(subject, { silence }))).toEqual({
      kind: 'nothing',
      why: 'silenced',
      afterMs: 3_600_050,
    });
  });

  it('after the silence: Silenced=False first, then the usual trigger', () => {
    const held = alert({
      opsStatus: { message },
      conditions: [
        {
          type: 'Silenced',
          status: 'True',
          reason: 'Silenced',
          message,
          lastTransitionTime: '2026-11-20T11:59:59Z',
        },
      ],
    });
    const ended = decideAlertAction(held, context(held));
    expect(ended.kind).toBe('writeStatus');
    if (ended.kind !== 'writeStatus') return;
    expect(ended.status.conditions).toEqual([
      expect.objectContaining({ type: 'Silenced', status: 'False', reason: 'SilenceEnded' }),
    ]);
    expect(ended.status.opsStatus).toBeUndefined();
    const next = alert({ opsStatus: { message }, conditions: ended.status.conditions ?? [] });
    expect(decideAlertAction(next, context(next)).kind).toBe('createWorkflow');
  });

  it('never holds an alert that has triggered already, a Resolved one, or an ops request', () => {
    const triggered = alert({
      opsStatus: { triggerStatus: 'Triggered', alertOpsStatus: 'Running', startTime: '2026-11-20T12:00:01Z' },
    });
    expect(
      decideAlertAction(triggered, context(triggered, { silence, workflow: workflow('Running') })),
    ).toEqual({ kind: 'nothing', why: 'workflow running' });
    const resolved = alert({ status: 'Resolved' });
    expect(decideAlertAction(resolved, context(resolved, { silence })).kind).toBe('nothing');
    const request = alert();
    const asked: AegisAlert = {
      ...request,
      spec: {
        ...request.spec,
        opsRequest: { template: { namespace: 'monitoring', name: 'x' }, requestedBy: 'U1' },
      },
    };
    expect(decideAlertAction(asked, context(asked, { silence })).kind).not.toBe('nothing');
  });
});
