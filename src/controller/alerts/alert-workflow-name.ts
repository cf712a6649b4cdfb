/** Two small questions about an alert the reconciler and the decision both ask. */
import { alertStatusOf } from './alert-action-types.js';
import type { AlertObject } from './alert-action-types.js';
import { workflowNameFor } from './alert-workflow.js';

/** Whether the alert is about to be matched and rendered (the caller then fills `context.trigger`). */
export function needsTrigger(alert: AlertObject): boolean {
  return (
    alert.metadata.deletionTimestamp === undefined &&
    alert.status?.startTime !== undefined &&
    alert.status.opsStatus?.triggerStatus === undefined &&
    alertStatusOf(alert) === 'Firing'
  );
}

/** The name of the Workflow the alert owns or will own. */
export function alertWorkflowName(alert: AlertObject): string {
  return alert.status?.opsStatus?.workflowName ?? workflowNameFor(alert.metadata.name ?? '');
}
