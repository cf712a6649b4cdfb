/**
 * The building blocks of the decision's steps: condition updates, a failed trigger, the Triggered status and the
 * step that creates the alert's Workflow. Shared by the trigger, approval and follow branches.
 */
import type { RuleApprovalInput } from '../../core/approvals/index.js';
import type { AegisAlertStatus, AlertApproval, TriggerStatus } from '../../core/resources/index.js';
import { alertConditionTypes, setCondition } from './alert-conditions.js';
import type { ConditionUpdate } from './alert-conditions.js';
import type { AlertAction, AlertObject, StatusPatch } from './alert-action-types.js';
import type { ObjectReferenceView, RuleApprovalView } from '../../core/ports/index.js';
import { buildAlertWorkflow } from './alert-workflow.js';

export function reference(ref: ObjectReferenceView): string {
  return `${ref.namespace}/${ref.name}`;
}

export function conditionPatch(
  alert: AlertObject,
  updates: readonly ConditionUpdate[],
  now: Date,
): Pick<StatusPatch, 'conditions'> {
  let conditions = alert.status?.conditions as AegisAlertStatus['conditions'];
  for (const update of updates) conditions = setCondition(conditions, update, now, alert.metadata.generation);
  return conditions === undefined ? {} : { conditions };
}

/** The step for a trigger that did not (and will not) create a Workflow. */
export function triggerFailure(
  alert: AlertObject,
  reason: TriggerStatus,
  message: string,
  now: Date,
  extra: { conditionReason?: string; approval?: AlertApproval; eventType?: 'Normal' | 'Warning' } = {},
): AlertAction {
  const conditionReason = extra.conditionReason ?? reason;
  return {
    kind: 'writeStatus',
    why: `trigger failed: ${reason}`,
    status: {
      opsStatus: { triggerStatus: reason, message },
      ...(extra.approval === undefined ? {} : { approval: extra.approval }),
      ...conditionPatch(
        alert,
        [{ type: alertConditionTypes.triggered, status: 'False', reason: conditionReason, message }],
        now,
      ),
    },
    events: [{ type: extra.eventType ?? 'Warning', reason: conditionReason, message }],
    fact: { kind: 'triggerFailed', reason: conditionReason },
  };
}

/** The status written once the Workflow exists (created now, or adopted after a crash or a lost race). */
export function triggeredStatus(alert: AlertObject, workflowName: string, now: Date): StatusPatch {
  const message = `Workflow ${workflowName} created`;
  return {
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Pending',
      workflowName,
      total: 1,
      active: 1,
      succeeded: 0,
      failed: 0,
      message,
    },
    ...conditionPatch(
      alert,
      [{ type: alertConditionTypes.triggered, status: 'True', reason: 'WorkflowCreated', message }],
      now,
    ),
  };
}

export function toRuleApprovalInput(view: RuleApprovalView | undefined): RuleApprovalInput | undefined {
  if (view === undefined) return undefined;
  const input: RuleApprovalInput = {};
  if (view.required !== undefined) input.required = view.required;
  if (view.approvers !== undefined) input.approvers = [...view.approvers];
  if (view.minApprovals !== undefined) input.minApprovals = view.minApprovals;
  if (view.timeout !== undefined) input.timeout = view.timeout;
  if (view.allowSelfApproval !== undefined) input.allowSelfApproval = view.allowSelfApproval;
  return input;
}

export function alertIdentity(alert: AlertObject): {
  name: string;
  namespace: string;
  uid: string;
  labels?: Readonly<Record<string, string>>;
} {
  return {
    name: alert.metadata.name ?? '',
    namespace: alert.metadata.namespace ?? '',
    uid: alert.metadata.uid ?? '',
    ...(alert.metadata.labels === undefined ? {} : { labels: alert.metadata.labels }),
  };
}

export function createStep(
  alert: AlertObject,
  manifest: Readonly<Record<string, unknown>>,
  origin: {
    template?: ObjectReferenceView | undefined;
    rule?: ObjectReferenceView | undefined;
    digest: string;
  },
  now: Date,
  why: string,
): AlertAction {
  const workflow = buildAlertWorkflow(manifest, alertIdentity(alert), origin);
  const name = workflow.metadata?.name ?? '';
  const from = origin.template === undefined ? '' : ` from AegisOpsTemplate ${reference(origin.template)}`;
  return {
    kind: 'createWorkflow',
    why,
    workflow,
    status: triggeredStatus(alert, name, now),
    events: [
      {
        type: 'Normal',
        reason: 'SucceededCreateOpsWorkflow',
        message: `Created Workflow ${name}${from}`,
      },
    ],
  };
}
