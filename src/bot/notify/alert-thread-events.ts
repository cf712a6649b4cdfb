/**
 * Which thread replies an alert's current state calls for, each with a stable id: the notifier posts every
 * id once (ids already posted are remembered in Redis), so replays and restarts add nothing twice. Pure.
 */
import type { AlertLike, ThreadEvent } from '../render/index.js';

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

export function alertThreadEvents(alert: AlertLike): IdentifiedThreadEvent[] {
  const events: IdentifiedThreadEvent[] = [];
  const status = alert.status;
  const ops = status?.opsStatus;

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
