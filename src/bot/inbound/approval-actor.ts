/**
 * The actor a Slack user decides as: their id, plus the user groups among the alert's approvers they belong
 * to (resolved through Slack, cached). Passing the groups explicitly means the approval service needs no Slack
 * knowledge of its own.
 */
import type { ApprovalActor } from '../../controller/approvals/index.js';
import type { InboundAlerts, ObjectRef } from './inbound-services.js';
import type { SlackGroupResolver } from './slack-group-resolver.js';

export async function slackActor(
  user: string,
  alert: ObjectRef,
  alerts: InboundAlerts,
  groups: SlackGroupResolver,
): Promise<ApprovalActor> {
  const current = await alerts.get(alert);
  const approvers = current?.status?.approval?.approvers ?? [];
  if (approvers.length === 0 || approvers.includes(user)) return { id: user, groups: [] };
  return { id: user, groups: await groups.groupsOf(user, approvers) };
}
