/**
 * The approval branch (docs/decisions/0011-approval-on-suspended-workflow.md). The request is the suspended
 * Workflow the trigger created, and its record (policy, expiry, decisions) is the `aegis.io/approval` annotation
 * on it; `status.approval` is only a mirror for people and is never read to decide anything.
 *
 * Record Pending → wait until its `expiresAt` (the status mirror is rewritten when someone changed it);
 * Approved and `approvalIsValid` → resume the Workflow (`spec.suspend: false`); Rejected, expired, the alert
 * resolved, an invalid approval or an unreadable record → delete the Workflow, nothing runs. An alert that says
 * AwaitingApproval without such a Workflow (a status patch, or a request already closed) runs nothing.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { approvalIsValid, approvalRecordOf, type ApprovalRecord } from '../../core/approvals/index.js';
import type { AlertApproval } from '../../core/resources/index.js';
import { canonicalJson, workflowDigest } from '../../core/templates/index.js';
import { alertConditionTypes, kubeTime } from './alert-conditions.js';
import { alertStatusOf } from './alert-action-types.js';
import type { AlertAction, AlertDecisionContext, AlertObject } from './alert-action-types.js';
import {
  conditionPatch,
  toRuleApprovalInput,
  triggerFailure,
  triggeredStatus,
} from './alert-status-steps.js';
import type { WorkflowView } from './alert-workflow.js';

type Closing = 'Expired' | 'Cancelled' | 'Rejected' | 'Invalid';

/** A suspended Workflow this alert owns that holds an approval request. */
export function awaitingWorkflow(context: AlertDecisionContext): WorkflowView | undefined {
  const workflow = context.workflow;
  return workflow?.owned === true && workflow.suspended && workflow.approval !== undefined
    ? workflow
    : undefined;
}

export function decideApproval(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const workflow = awaitingWorkflow(context);
  if (workflow === undefined) return withoutRequest(alert, context);
  const { now } = context;
  const record = workflow.approval;
  if (record === undefined || record === 'invalid') {
    return close(
      alert,
      workflow,
      undefined,
      'Invalid',
      'the approval record on the Workflow is unreadable',
      now,
    );
  }
  switch (record.state) {
    case 'Pending': {
      if (alertStatusOf(alert) === 'Resolved') {
        return close(alert, workflow, record, 'Cancelled', 'alert resolved before approval', now);
      }
      const expiresAt = record.expiresAt === undefined ? Infinity : Date.parse(record.expiresAt);
      if (!(now.getTime() < expiresAt))
        return close(alert, workflow, record, 'Expired', 'approval expired', now);
      const afterMs = Number.isFinite(expiresAt) ? { afterMs: expiresAt - now.getTime() } : {};
      const mirror = mirrorOf(record, alert, workflow);
      const ops = alert.status?.opsStatus;
      if (sameApproval(alert.status?.approval, mirror) && ops?.triggerStatus === 'AwaitingApproval') {
        return { kind: 'nothing', why: 'waiting for approval', ...afterMs };
      }
      const message = `waiting for approval until ${record.expiresAt ?? 'ever'}`;
      return {
        kind: 'writeStatus',
        why: 'status.approval mirrors the approval record',
        status: {
          approval: mirror,
          opsStatus: { triggerStatus: 'AwaitingApproval', message },
          ...conditionPatch(
            alert,
            [{ type: alertConditionTypes.triggered, status: 'False', reason: 'AwaitingApproval', message }],
            now,
          ),
        },
        events: [],
        ...afterMs,
      };
    }
    case 'Approved': {
      const validity = approvalIsValid(structuredClone(record), toRuleApprovalInput(context.approvalRule));
      if (!validity.valid) {
        return close(
          alert,
          workflow,
          record,
          'Invalid',
          `the approval is not valid: ${validity.reason}`,
          now,
        );
      }
      const message = `approved by ${validity.approvedBy.join(', ')}`;
      return {
        kind: 'resumeWorkflow',
        why: message,
        name: workflow.name,
        resourceVersion: workflow.resourceVersion ?? '',
        status: {
          ...triggeredStatus(alert, workflow.name, now),
          approval: mirrorOf(record, alert, workflow),
        },
        events: [
          {
            type: 'Normal',
            reason: 'SucceededCreateOpsWorkflow',
            message: `Resumed Workflow ${workflow.name} (${message})`,
          },
        ],
      };
    }
    case 'Rejected': {
      const rejection = [...(record.history ?? [])].reverse().find((entry) => entry.decision === 'Rejected');
      const by = rejection === undefined ? '' : ` by ${rejection.by}`;
      const reason = rejection?.reason === undefined ? '' : `: ${rejection.reason}`;
      return close(alert, workflow, record, 'Rejected', `rejected${by}${reason}`, now);
    }
    case 'Expired':
      return close(alert, workflow, record, 'Expired', 'approval expired', now);
    case 'Cancelled':
      return close(alert, workflow, record, 'Cancelled', 'approval cancelled', now);
  }
}

/** AwaitingApproval (as the status says) without a suspended Workflow holding a request: nothing runs. */
function withoutRequest(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now } = context;
  const state = alert.status?.approval?.state;
  if (state === 'Rejected')
    return triggerFailure(alert, 'Rejected', 'rejected', now, {
      conditionReason: 'ApprovalRejected',
      eventType: 'Normal',
    });
  if (state === 'Expired')
    return triggerFailure(alert, 'TriggerFailed', 'approval expired', now, {
      conditionReason: 'ApprovalExpired',
    });
  if (state === 'Cancelled')
    return triggerFailure(alert, 'TriggerFailed', 'approval cancelled', now, {
      conditionReason: 'ApprovalCancelled',
      eventType: 'Normal',
    });
  return triggerFailure(
    alert,
    'TriggerFailed',
    'no suspended Workflow of this alert holds an approval request (status.approval is only a report); nothing was run',
    now,
    { conditionReason: 'ApprovalRequestMissing' },
  );
}

/** Delete the suspended Workflow and record why nothing runs. */
function close(
  alert: AlertObject,
  workflow: WorkflowView,
  record: ApprovalRecord | undefined,
  closing: Closing,
  message: string,
  now: Date,
): AlertAction {
  let approval: AlertApproval | undefined;
  if (record !== undefined) {
    approval = mirrorOf(record, alert, workflow);
    if (closing === 'Expired' || closing === 'Cancelled') {
      const at = kubeTime(now);
      approval = {
        ...approval,
        state: closing,
        decidedAt: at,
        history: [
          ...(approval.history ?? []),
          { decision: closing, by: 'aegis', via: 'controller', at, reason: message },
        ],
      };
    }
  }
  const failure = triggerFailure(alert, closing === 'Rejected' ? 'Rejected' : 'TriggerFailed', message, now, {
    conditionReason: {
      Expired: 'ApprovalExpired',
      Cancelled: 'ApprovalCancelled',
      Rejected: 'ApprovalRejected',
      Invalid: 'ApprovalInvalid',
    }[closing],
    ...(approval === undefined ? {} : { approval }),
    eventType: closing === 'Cancelled' || closing === 'Rejected' ? 'Normal' : 'Warning',
  });
  if (failure.kind !== 'writeStatus') return failure;
  return {
    kind: 'deleteWorkflow',
    why: `${failure.why}: the suspended Workflow is deleted`,
    name: workflow.name,
    status: failure.status,
    events: failure.events,
    ...(failure.fact === undefined ? {} : { fact: failure.fact }),
  };
}

/**
 * `status.approval` for people: the record, and the manifest that runs. The status keeps the rendered text while
 * it still matches the record's digest; otherwise (someone patched it) the Workflow's own spec is shown.
 */
function mirrorOf(record: ApprovalRecord, alert: AlertObject, workflow: WorkflowView): AlertApproval {
  const shown = alert.status?.approval?.renderedManifest;
  const renderedManifest =
    shown !== undefined && digestOf(shown) === record.manifestDigest ? shown : workflowText(workflow);
  return {
    ...(structuredClone(approvalRecordOf(record as AlertApproval)) as AlertApproval),
    renderedManifest,
  };
}

function digestOf(text: string): string | undefined {
  try {
    return workflowDigest(parseYaml(text, { version: '1.1' }));
  } catch {
    return undefined;
  }
}

function workflowText(workflow: WorkflowView): string {
  const spec = { ...(workflow.spec as Record<string, unknown> | undefined) };
  delete spec['suspend'];
  return stringifyYaml({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: workflow.name },
    spec,
  });
}

function sameApproval(current: unknown, mirror: AlertApproval): boolean {
  return current !== undefined && canonicalJson(current) === canonicalJson(mirror);
}
