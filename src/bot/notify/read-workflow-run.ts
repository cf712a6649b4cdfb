/**
 * The alert's Workflow for its thread: read through the store (when it can read Workflows), mapped to plain
 * data, with the log tail of each failed step whose reply is not posted yet (one log read per failed step).
 */
import type { AegisAlert } from '../../core/resources/aegis-alert.js';
import type { MessageLedger } from './message-ledger.js';
import type { AlertSlackStore } from '../../core/ports/index.js';
import { workflowRunFrom } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

/** Lines of a failed step's log shown in the thread. */
export const failedStepLogLines = 20;

export async function readWorkflowRun(
  store: AlertSlackStore,
  ledger: MessageLedger,
  alert: AegisAlert,
  uid: string,
): Promise<WorkflowRun | undefined> {
  const name = alert.status?.opsStatus?.workflowName;
  const namespace = alert.metadata.namespace;
  if (store.workflow === undefined || name === undefined || name === '' || namespace === undefined)
    return undefined;
  const run = workflowRunFrom(await store.workflow(namespace, name));
  if (run === undefined || store.podLogTail === undefined) return run;
  const steps = [];
  for (const step of run.steps) {
    const failed = step.phase === 'Failed' || step.phase === 'Error';
    const posted =
      failed && (await ledger.read(`event:${uid}:step:${name}:${step.id}:${step.phase}`)).ts !== undefined;
    if (!failed || posted) {
      steps.push(step);
      continue;
    }
    const logTail = await store.podLogTail(namespace, step.podName, failedStepLogLines);
    steps.push(logTail === undefined ? step : { ...step, logTail });
  }
  return { ...run, steps };
}
