/**
 * The trigger branch: a firing alert not yet triggered → rule match → template → render → either the Workflow
 * is created at once, or it is created suspended (Argo's `spec.suspend: true`) with the approval record on it and
 * the request mirrored into the alert's status for people (docs/decisions/0011-approval-on-suspended-workflow.md).
 */
import {
  approvalPolicyOf,
  approvalRequired,
  newPendingApproval,
  opsRequestApprovalPolicy,
  serialiseApprovalRecord,
} from '../../core/approvals/index.js';
import type { AlertApproval } from '../../core/resources/index.js';
import { alertConditionTypes, kubeTime } from './alert-conditions.js';
import { alertStatusOf } from './alert-action-types.js';
import type { AlertAction, AlertDecisionContext, AlertObject } from './alert-action-types.js';
import {
  alertIdentity,
  conditionPatch,
  createStep,
  reference,
  toRuleApprovalInput,
  triggerFailure,
} from './alert-status-steps.js';
import { buildAlertWorkflow, workflowAnnotations } from './alert-workflow.js';

/** Largest rendered manifest kept in the alert status for approval (the object must stay well under 1.5 MiB). */
export const maxApprovalManifestLength = 512 * 1024;

export function decideTrigger(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now, trigger } = context;
  if (trigger === undefined) return { kind: 'nothing', why: 'trigger inputs were not resolved' };
  if (trigger.kind === 'none') {
    return triggerFailure(
      alert,
      'RuleNotFound',
      `no AegisAlertOpsRule matches type ${alert.spec.type} with status ${alertStatusOf(alert)} and the alert's labels`,
      now,
    );
  }
  if (trigger.kind === 'many') {
    return triggerFailure(
      alert,
      'TooManyRulesFound',
      `${trigger.rules.length} AegisAlertOpsRules match (one is needed): ${trigger.rules.join(', ')}`,
      now,
    );
  }
  const template = reference(trigger.template);
  if (trigger.templateObject === undefined) {
    return triggerFailure(alert, 'TemplateNotFound', `AegisOpsTemplate ${template} not found`, now);
  }
  if (trigger.templateObject.status?.status === 'Invalid') {
    const why = trigger.templateObject.status.message ?? 'no reason given';
    return triggerFailure(alert, 'TemplateInvalid', `AegisOpsTemplate ${template} is Invalid: ${why}`, now);
  }
  const render = trigger.render;
  if (render === undefined) return { kind: 'nothing', why: 'the template was not rendered' };
  if (!render.ok) {
    return triggerFailure(alert, render.reason, `AegisOpsTemplate ${template}: ${render.message}`, now);
  }
  const origin = { template: trigger.template, rule: trigger.rule, digest: render.digest };
  const ruleApproval = toRuleApprovalInput(trigger.ruleApproval);
  const required =
    trigger.opsRequest !== undefined || approvalRequired(ruleApproval, context.approvalDefault);
  if (!required) return createStep(alert, render.workflow, origin, now, 'rule matched, no approval needed');

  if (render.yaml.length > maxApprovalManifestLength) {
    return triggerFailure(
      alert,
      'TriggerFailed',
      `the rendered Workflow (${render.yaml.length} characters) is too large to hold for approval`,
      now,
    );
  }
  const policy = trigger.opsRequest === undefined ? approvalPolicyOf(ruleApproval) : opsRequestApprovalPolicy;
  let approval: AlertApproval;
  try {
    approval = newPendingApproval({
      policy,
      now,
      renderedManifest: render.yaml,
      manifestDigest: render.digest,
      template: { ...trigger.template },
      ...(trigger.rule === undefined ? {} : { rule: { ...trigger.rule } }),
      ...(trigger.opsRequest === undefined ? {} : { requestedBy: trigger.opsRequest.requestedBy }),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return triggerFailure(alert, 'TriggerFailed', `cannot request approval: ${why}`, now);
  }
  const expiresAt = approval.expiresAt ?? kubeTime(now);
  const message = `waiting for approval until ${expiresAt}`;
  // What runs is this Workflow, created now but suspended; the record of the request (policy, expiry,
  // decisions) lives on it, where approvers cannot write.
  const built = buildAlertWorkflow(render.workflow, alertIdentity(alert), origin);
  const workflow = {
    ...built,
    metadata: {
      ...built.metadata,
      annotations: {
        ...built.metadata?.annotations,
        [workflowAnnotations.approval]: serialiseApprovalRecord(approval),
      },
    },
    spec: { ...built.spec, suspend: true },
  };
  return {
    kind: 'createWorkflow',
    why: 'approval required: Workflow created suspended',
    workflow,
    status: {
      approval,
      opsStatus: { triggerStatus: 'AwaitingApproval', message },
      ...conditionPatch(
        alert,
        [{ type: alertConditionTypes.triggered, status: 'False', reason: 'AwaitingApproval', message }],
        now,
      ),
    },
    events: [
      {
        type: 'Normal',
        reason: 'ApprovalRequested',
        message: `Approval requested to run AegisOpsTemplate ${template} (${policy.minApprovals} approval${policy.minApprovals === 1 ? '' : 's'} needed, until ${expiresAt})`,
      },
    ],
    fact: { kind: 'approvalRequested' },
  };
}
