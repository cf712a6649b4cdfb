/**
 * The follow branch: once the Workflow exists, its phase drives the alert's ops status Running → Succeeded |
 * Failed (Running is always recorded before the outcome, so `kubectl get aegisalerts -w` shows every step even
 * when a Workflow finished between two runs); a Workflow deleted before it finished fails the alert.
 */
import { alertConditionTypes, kubeTime, normaliseTime } from './alert-conditions.js';
import type { AlertAction, AlertDecisionContext, AlertObject } from './alert-action-types.js';
import { alertWorkflowName } from './alert-workflow-name.js';
import { conditionPatch } from './alert-status-steps.js';

export function decideFollow(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now, workflow } = context;
  const ops = alert.status?.opsStatus ?? {};
  if (ops.alertOpsStatus === 'Succeeded' || ops.alertOpsStatus === 'Failed') {
    return { kind: 'nothing', why: 'ops finished' };
  }
  const name = alertWorkflowName(alert);
  if (workflow === undefined || !workflow.owned) {
    const message = `Workflow ${name} was deleted before it finished`;
    return {
      kind: 'writeStatus',
      why: 'workflow gone',
      status: {
        opsStatus: { alertOpsStatus: 'Failed', completionTime: kubeTime(now), active: 0, failed: 1, message },
        ...conditionPatch(
          alert,
          [{ type: alertConditionTypes.failed, status: 'True', reason: 'WorkflowDeleted', message }],
          now,
        ),
      },
      events: [{ type: 'Warning', reason: 'WorkflowDeleted', message }],
      fact: { kind: 'workflowDeleted' },
    };
  }
  if (workflow.phase === 'Pending') return { kind: 'nothing', why: 'workflow pending' };
  if (ops.startTime === undefined || ops.alertOpsStatus !== 'Running') {
    // Running is recorded before any outcome, so every step shows in a watch of the alert.
    return {
      kind: 'writeStatus',
      why: 'workflow running',
      status: {
        opsStatus: {
          alertOpsStatus: 'Running',
          startTime: ops.startTime ?? normaliseTime(workflow.startedAt) ?? kubeTime(now),
          active: 1,
          message: `Workflow ${workflow.name} is running`,
        },
      },
      events: [],
    };
  }
  if (workflow.phase === 'Running') return { kind: 'nothing', why: 'workflow running' };
  const succeeded = workflow.phase === 'Succeeded';
  const completionTime = normaliseTime(workflow.finishedAt) ?? kubeTime(now);
  const detail = workflow.message === undefined ? '' : `: ${workflow.message}`;
  const message = succeeded
    ? `Workflow ${workflow.name} succeeded`
    : `Workflow ${workflow.name} ${workflow.phase === 'Error' ? 'errored' : 'failed'}${detail}`;
  const reason = succeeded
    ? 'WorkflowSucceeded'
    : workflow.phase === 'Error'
      ? 'WorkflowError'
      : 'WorkflowFailed';
  return {
    kind: 'recordOutcome',
    why: `workflow ${workflow.phase}`,
    outcome: succeeded ? 'Succeeded' : 'Failed',
    workflowUid: workflow.uid,
    ...(workflow.template === undefined ? {} : { template: workflow.template }),
    status: {
      opsStatus: {
        alertOpsStatus: succeeded ? 'Succeeded' : 'Failed',
        completionTime,
        active: 0,
        succeeded: succeeded ? 1 : 0,
        failed: succeeded ? 0 : 1,
        message,
      },
      ...conditionPatch(
        alert,
        [
          {
            type: succeeded ? alertConditionTypes.complete : alertConditionTypes.failed,
            status: 'True',
            reason,
            message,
          },
        ],
        now,
      ),
    },
    events: [
      {
        type: succeeded ? 'Normal' : 'Warning',
        reason: succeeded ? 'WorkflowSucceeded' : 'WorkflowFailed',
        message,
      },
    ],
  };
}
