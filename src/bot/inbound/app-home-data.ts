/** Which alerts App Home shows a viewer (pure). */
import type { AegisAlert } from '../../core/resources/index.js';
import type { AppHomeInput } from './render/app-home.js';
import { alertIsOpen, awaitingApproval, byNewest } from './render/alert-summary.js';

/** Whether `user` (member of `groups`) could decide the pending approval and has not yet approved it. */
export function mayDecide(alert: AegisAlert, user: string, groups: readonly string[]): boolean {
  const approval = alert.status?.approval;
  if (approval === undefined || !awaitingApproval(alert)) return false;
  const approvers = approval.approvers ?? [];
  const listed =
    approvers.length === 0 || approvers.includes(user) || groups.some((group) => approvers.includes(group));
  if (!listed) return false;
  const requester = alert.spec.opsRequest?.requestedBy ?? approval.requestedBy;
  if (requester === user && approval.allowSelfApproval !== true) return false;
  return !(approval.history ?? []).some((entry) => entry.by === user);
}

function runTime(alert: AegisAlert): number {
  const ops = alert.status?.opsStatus;
  const time = Date.parse(ops?.completionTime ?? ops?.startTime ?? alert.status?.startTime ?? '');
  return Number.isFinite(time) ? time : 0;
}

export function selectAppHome(
  alerts: readonly AegisAlert[],
  user: string,
  groups: readonly string[],
  now: Date,
): AppHomeInput {
  const sorted = [...alerts].sort(byNewest);
  return {
    waiting: sorted.filter((alert) => mayDecide(alert, user, groups)),
    open: sorted.filter(alertIsOpen),
    runs: sorted
      .filter((alert) => alert.status?.opsStatus?.workflowName !== undefined)
      .sort((left, right) => runTime(right) - runTime(left)),
    now,
  };
}

/** The group ids named by any pending approval (the candidates to resolve for a viewer). */
export function pendingApproverGroups(alerts: readonly AegisAlert[]): string[] {
  const groups = new Set<string>();
  for (const alert of alerts)
    if (awaitingApproval(alert)) for (const id of alert.status?.approval?.approvers ?? []) groups.add(id);
  return [...groups];
}
