/**
 * The actor a Slack user decides as: the signed request's user id, the credential `slack:<user>` (one approver,
 * however many clicks), and a resolver of the user groups among the request's approvers they belong to (asked
 * by the approval service against the request's own approver list, through Slack, cached).
 */
import type { ApprovalActor } from '../../controller/approvals/index.js';
import type { SlackGroupResolver } from './slack-group-resolver.js';

export function slackActor(user: string, groups: SlackGroupResolver): ApprovalActor {
  return {
    id: user,
    credential: `slack:${user}`,
    groupsAmong: async (candidates) => await groups.groupsOf(user, candidates),
  };
}
