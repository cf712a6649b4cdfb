/**
 * Which thread replies an alert's current state calls for, each with a stable id: the notifier posts every
 * id once (ids already posted are remembered in Redis), so replays and restarts add nothing twice. Pure.
 */
import type { AlertLike, ThreadEvent } from '../render/index.js';
import type { WorkflowRun } from './workflow-run.js';

export interface IdentifiedThreadEvent {
  readonly id: string;
  readonly event: ThreadEvent;
}

const triggerProblems = new Set([
  'TriggerFailed',
  'TemplateUnsafe',
  'TemplateInvalid',
  'TemplateNotFound',
  'RuleErrorFound',
]);

/**
 * In the order things happen: the rule matched, approval decisions, a trigger problem, the workflow started,
 * each of its steps finished (from `run`, the alert's Workflow when it could be read), the workflow finished,
 * the alert resolved.
 */
export function alertThreadEvents(alert: AlertLike, run?: WorkflowRun): IdentifiedThreadEvent[] {
  const events: IdentifiedThreadEvent[] = [];
  const status = alert.status;
  const ops = status?.opsStatus;
  const approvalRule = status?.approval?.rule;
  const rule =
    approvalRule === undefined
      ? run?.rule
      : approvalRule.namespace === undefined || approvalRule.namespace === ''
        ? approvalRule.name
        : `${approvalRule.namespace}/${approvalRule.name}`;
  const approvalTemplate = status?.approval?.template;
  const template =
    approvalTemplate === undefined
      ? run?.template
      : `${approvalTemplate.namespace ?? ''}${approvalTemplate.namespace === undefined ? '' : '/'}${approvalTemplate.name}`;
  if (rule !== undefined) {
    events.push({
      id: `rule:${rule}`,
      event: { kind: 'rule-matched', rule, ...(template === undefined ? {} : { template }) },
    });
  }

  for (const entry of status?.approval?.history ?? []) {
    events.push({
      id: `approval:${entry.at}:${entry.decision}:${entry.by}`,
      event: { kind: 'approval-decided', entry },
    });
  }
  const triggerStatus = ops?.triggerStatus;
  if (triggerStatus !== undefined && triggerProblems.has(triggerStatus)) {
    events.push({
      id: `trigger:${triggerStatus}`,
      event: {
        kind: 'trigger-failed',
        triggerStatus,
        ...(ops?.message === undefined ? {} : { message: ops.message }),
      },
    });
  }
  const workflowName = ops?.workflowName;
  if (workflowName !== undefined && workflowName !== '') {
    const phase = ops?.alertOpsStatus;
    if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed' || ops?.startTime !== undefined) {
      events.push({
        id: `started:${workflowName}`,
        event: {
          kind: 'workflow-started',
          workflowName,
          ...(ops?.startTime === undefined ? {} : { at: ops.startTime }),
        },
      });
    }
    if (run !== undefined && run.name === workflowName) {
      for (const step of run.steps) {
        if (step.phase === 'Pending' || step.phase === 'Running') continue;
        events.push({
          id: `step:${workflowName}:${step.id}:${step.phase}`,
          event: { kind: 'step-finished', workflowName, step },
        });
      }
    }
    if (phase === 'Succeeded' || phase === 'Failed') {
      events.push({
        id: `finished:${workflowName}:${phase}`,
        event: {
          kind: 'workflow-finished',
          workflowName,
          outcome: phase,
          ...(ops?.startTime === undefined ? {} : { startedAt: ops.startTime }),
          ...(ops?.completionTime === undefined ? {} : { finishedAt: ops.completionTime }),
          ...(phase === 'Failed' && ops?.message !== undefined ? { message: ops.message } : {}),
        },
      });
    }
  }
  if ((status?.status ?? alert.spec.status) === 'Resolved') {
    const at = status?.resolvedAt;
    events.push({
      id: `resolved:${at ?? 'unknown'}`,
      event: { kind: 'resolved', ...(at === undefined ? {} : { at }) },
    });
  }
  return events;
}
