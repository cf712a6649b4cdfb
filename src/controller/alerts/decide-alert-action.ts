/**
 * What the alert reconciler should do next for one AegisAlert: a pure function of the alert and what the
 * caller looked up (rule match, template, render, the alert's Workflow, the time). Sample-controller style:
 * compare what the status says with what exists, and return one step; the reconcile does it, writes status,
 * and the resulting watch event brings the next step.
 *
 * Firing alert without ops → match → template → render → (approval) → create the Workflow → Triggered Pending.
 * The Workflow's phase then drives Running → Succeeded | Failed (Running is always recorded before the outcome,
 * so `kubectl get aegisalerts -w` shows every step even when a Workflow finished between two runs).
 *
 * The branches live in their own files: decide-trigger.ts (match, render, approval request), decide-approval.ts,
 * decide-silence.ts and decide-follow.ts; the steps they share in alert-status-steps.ts.
 */
import { kubeTime } from './alert-conditions.js';
import { alertStatusOf } from './alert-action-types.js';
import type { AlertAction, AlertDecisionContext, AlertObject } from './alert-action-types.js';
import { triggeredStatus } from './alert-status-steps.js';
import { awaitingWorkflow, decideApproval } from './decide-approval.js';
import { decideFollow } from './decide-follow.js';
import { decideSilenced, silenceEnded, silencedCondition } from './decide-silence.js';
import { decideTrigger } from './decide-trigger.js';

export type {
  AlertAction,
  AlertDecisionContext,
  AlertFact,
  AlertObject,
  StatusPatch,
  TriggerResolution,
} from './alert-action-types.js';
export { alertWorkflowName, needsTrigger } from './alert-workflow-name.js';
export { triggerFailure, triggeredStatus } from './alert-status-steps.js';
export { maxApprovalManifestLength } from './decide-trigger.js';
export { silencedMessage } from './decide-silence.js';

export function decideAlertAction(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now } = context;
  if (alert.metadata.deletionTimestamp !== undefined) return { kind: 'nothing', why: 'alert being deleted' };
  const status = alert.status ?? {};

  // The ingest worker writes status (Firing, count 1, startTime) right after creating the alert. Wait for it,
  // so that the first row of a watch is "Firing 1"; an alert made some other way gets it from us (as upstream).
  if (status.startTime === undefined) {
    const created = Date.parse(alert.metadata.creationTimestamp ?? '');
    const age = Number.isFinite(created) ? now.getTime() - created : Infinity;
    if (age < context.initialStatusGraceMs) {
      return {
        kind: 'nothing',
        why: 'waiting for the initial status',
        afterMs: context.initialStatusGraceMs - age,
      };
    }
    return {
      kind: 'writeStatus',
      why: 'initial status',
      status: {
        status: alertStatusOf(alert),
        count: Math.max(status.count ?? 0, 1),
        startTime: kubeTime(now),
      },
      events: [],
    };
  }

  const trigger = status.opsStatus?.triggerStatus;
  // A suspended Workflow of this alert holding an approval request is the request, whatever the status says
  // (a status patch cannot revive, close or approve it; a crash before the status write cannot lose it).
  if (awaitingWorkflow(context) !== undefined) return decideApproval(alert, context);
  // A Workflow this alert owns exists but the status does not say so: a crash (or a lost status write) after
  // the create. Adopt it rather than deciding anew: there is never a second Workflow.
  if (trigger !== 'Triggered' && context.workflow?.owned === true) {
    return {
      kind: 'writeStatus',
      why: 'adopting the existing workflow',
      status: triggeredStatus(alert, context.workflow.name, now),
      events: [],
    };
  }
  switch (trigger) {
    case undefined:
      if (alertStatusOf(alert) !== 'Firing') return { kind: 'nothing', why: 'resolved before any trigger' };
      if (context.silence !== undefined && alert.spec.opsRequest === undefined) {
        return decideSilenced(alert, context.silence, now);
      }
      if (silencedCondition(alert)?.status === 'True') return silenceEnded(alert, now);
      return decideTrigger(alert, context);
    case 'AwaitingApproval':
      return decideApproval(alert, context);
    case 'Triggered':
      return decideFollow(alert, context);
    default:
      return { kind: 'nothing', why: `trigger finished: ${trigger}` };
  }
}
