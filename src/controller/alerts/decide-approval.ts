/**
 * The approval branch (see docs/decisions/0006-workflow-per-alert.md): Pending → `again` at `expiresAt`;
 * Approved → the Workflow is created from `renderedManifest` after `approvalIsValid` and the digest check;
 * Rejected → triggerStatus Rejected; past `expiresAt` → approval Expired, triggerStatus TriggerFailed "approval
 * expired"; alert Resolved while Pending → approval Cancelled, TriggerFailed "alert resolved before approval".
 */
import { parse as parseYaml } from 'yaml';
import { approvalIsValid } from '../../core/approvals/index.js';
import type { AlertApproval } from '../../core/resources/index.js';
import { workflowDigest, workflowShapeProblem } from '../../core/templates/index.js';
import type { DeepReadonly } from '../runtime/index.js';
import { kubeTime } from './alert-conditions.js';
import { alertStatusOf } from './alert-action-types.js';
import type { AlertAction, AlertDecisionContext, AlertObject } from './alert-action-types.js';
import type { ObjectReferenceView } from './alert-ports.js';
import { createStep, toRuleApprovalInput, triggerFailure } from './alert-status-steps.js';

/** Close a pending approval without a run (timeout or the alert resolving). */
function closeApproval(
  alert: AlertObject,
  approval: DeepReadonly<AlertApproval>,
  state: 'Expired' | 'Cancelled',
  message: string,
  now: Date,
): AlertAction {
  const at = kubeTime(now);
  const closed: AlertApproval = {
    ...(structuredClone(approval) as AlertApproval),
    state,
    decidedAt: at,
    history: [
      ...((structuredClone(approval.history ?? []) as AlertApproval['history']) ?? []),
      { decision: state, by: 'aegis', via: 'controller', at, reason: message },
    ],
  };
  return triggerFailure(alert, 'TriggerFailed', message, now, {
    conditionReason: state === 'Expired' ? 'ApprovalExpired' : 'ApprovalCancelled',
    approval: closed,
    eventType: state === 'Expired' ? 'Warning' : 'Normal',
  });
}

/** Parse the approved manifest and check it is exactly what was approved (digest) and still a Workflow. */
function approvedManifest(
  approval: DeepReadonly<AlertApproval>,
): { ok: true; manifest: Record<string, unknown>; digest: string } | { ok: false; message: string } {
  if (approval.renderedManifest === undefined || approval.manifestDigest === undefined) {
    return { ok: false, message: 'the approval holds no rendered manifest and digest' };
  }
  let manifest: unknown;
  try {
    manifest = parseYaml(approval.renderedManifest, { version: '1.1' });
  } catch (error) {
    return { ok: false, message: `the approved manifest does not parse: ${String(error)}` };
  }
  if (workflowDigest(manifest) !== approval.manifestDigest) {
    return { ok: false, message: 'the approved manifest does not match its digest; nothing was run' };
  }
  const shape = workflowShapeProblem(manifest);
  if (shape !== undefined) return { ok: false, message: shape.problem };
  return { ok: true, manifest: manifest as Record<string, unknown>, digest: approval.manifestDigest };
}

export function decideApproval(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now } = context;
  const approval = alert.status?.approval;
  if (approval === undefined) {
    return triggerFailure(alert, 'TriggerFailed', 'awaiting approval but status.approval is missing', now);
  }
  switch (approval.state) {
    case 'Pending': {
      if (alertStatusOf(alert) === 'Resolved') {
        return closeApproval(alert, approval, 'Cancelled', 'alert resolved before approval', now);
      }
      const expiresAt = approval.expiresAt === undefined ? Infinity : Date.parse(approval.expiresAt);
      if (!(now.getTime() < expiresAt)) {
        return closeApproval(alert, approval, 'Expired', 'approval expired', now);
      }
      return {
        kind: 'nothing',
        why: 'waiting for approval',
        ...(Number.isFinite(expiresAt) ? { afterMs: expiresAt - now.getTime() } : {}),
      };
    }
    case 'Approved': {
      const validity = approvalIsValid(
        structuredClone(approval) as AlertApproval,
        toRuleApprovalInput(context.approvalRule),
      );
      if (!validity.valid) {
        return triggerFailure(alert, 'TriggerFailed', `the approval is not valid: ${validity.reason}`, now, {
          conditionReason: 'ApprovalInvalid',
        });
      }
      const checked = approvedManifest(approval);
      if (!checked.ok) {
        return triggerFailure(alert, 'TriggerFailed', checked.message, now, {
          conditionReason: 'ApprovedManifestMismatch',
        });
      }
      const origin = {
        template: approval.template === undefined ? undefined : referenceOf(approval.template, alert),
        rule: approval.rule === undefined ? undefined : referenceOf(approval.rule, alert),
        digest: checked.digest,
      };
      return createStep(
        alert,
        checked.manifest,
        origin,
        now,
        `approved by ${validity.approvedBy.join(', ')}`,
      );
    }
    case 'Rejected': {
      const rejection = [...(approval.history ?? [])]
        .reverse()
        .find((entry) => entry.decision === 'Rejected');
      const by = rejection === undefined ? '' : ` by ${rejection.by}`;
      const reason = rejection?.reason === undefined ? '' : `: ${rejection.reason}`;
      return triggerFailure(alert, 'Rejected', `rejected${by}${reason}`, now, {
        conditionReason: 'ApprovalRejected',
        eventType: 'Normal',
      });
    }
    case 'Expired':
      return triggerFailure(alert, 'TriggerFailed', 'approval expired', now, {
        conditionReason: 'ApprovalExpired',
      });
    case 'Cancelled':
      return triggerFailure(alert, 'TriggerFailed', 'approval cancelled', now, {
        conditionReason: 'ApprovalCancelled',
        eventType: 'Normal',
      });
  }
}

function referenceOf(
  ref: { readonly namespace?: string | undefined; readonly name: string },
  alert: AlertObject,
): ObjectReferenceView {
  return { namespace: ref.namespace ?? alert.metadata.namespace ?? '', name: ref.name };
}
