/**
 * The last check before an approved run starts: the alert reconciler calls `approvalIsValid` on the approval
 * record (kept on the suspended Workflow, see approval-record.ts) before it resumes the Workflow, so a record
 * that says `Approved` without enough valid decisions never runs anything. Each user and each credential counts
 * once.
 *
 * The policy checked is the stricter of the one recorded when approval was requested (`approvers`,
 * `minApprovals`, `allowSelfApproval` in the status, which a status patch could loosen) and the rule's current
 * `spec.approval` (which a status patch cannot touch): an entry counts only when its user is allowed by every
 * non-empty approver list (by id, or by the `group` recorded with the entry), it is not the requester's (unless
 * both allow self-approval), and it was made between `requestedAt` and `expiresAt`.
 */
import type { AlertApproval, ApprovalHistoryEntry } from '../resources/index.js';
import { approvalPolicyOf, type RuleApprovalInput } from './approval-policy.js';

export type ApprovalValidity = { valid: true; approvedBy: string[] } | { valid: false; reason: string };

/**
 * Whether `approval` may start its run. `rule` is the rule's `spec.approval` (undefined for an ops request, or for
 * a rule without an approval block that waited because of AEGIS_APPROVAL_DEFAULT): then one approval by anyone
 * but the requester is needed.
 */
export function approvalIsValid(
  approval: AlertApproval,
  rule: RuleApprovalInput | undefined,
  options: { requester?: string } = {},
): ApprovalValidity {
  if (approval.state !== 'Approved') return { valid: false, reason: `the approval is ${approval.state}` };
  const policy = approvalPolicyOf(rule);
  const history = approval.history ?? [];
  const closing = history.find((entry) => entry.decision !== 'Approved');
  if (closing !== undefined) {
    return { valid: false, reason: `the history has a ${closing.decision} decision by ${closing.by}` };
  }
  const minApprovals = Math.max(policy.minApprovals, approval.minApprovals ?? 1);
  const approverLists = [policy.approvers, approval.approvers ?? []].filter((list) => list.length > 0);
  const allowSelf = policy.allowSelfApproval && approval.allowSelfApproval === true;
  const requester = options.requester ?? approval.requestedBy;
  const from = Date.parse(approval.requestedAt);
  const until = approval.expiresAt === undefined ? Infinity : Date.parse(approval.expiresAt);

  const problems: string[] = [];
  const counted: string[] = [];
  const credentials = new Set<string>();
  for (const entry of history) {
    const problem = entryProblem(entry, { approverLists, allowSelf, requester, from, until });
    if (problem !== undefined) problems.push(problem);
    else if (entry.credential !== undefined && credentials.has(entry.credential))
      problems.push(`${entry.by} approved with a credential that already counted`);
    else if (!counted.includes(entry.by)) {
      counted.push(entry.by);
      if (entry.credential !== undefined) credentials.add(entry.credential);
    }
  }
  if (counted.length >= minApprovals) return { valid: true, approvedBy: counted };
  const needed = `${minApprovals} approval${minApprovals === 1 ? '' : 's'} needed, ${counted.length} valid`;
  return { valid: false, reason: problems.length === 0 ? needed : `${needed} (${problems.join('; ')})` };
}

interface EntryContext {
  approverLists: readonly (readonly string[])[];
  allowSelf: boolean;
  requester: string | undefined;
  from: number;
  until: number;
}

function entryProblem(entry: ApprovalHistoryEntry, context: EntryContext): string | undefined {
  const allowed = (list: readonly string[]) =>
    list.includes(entry.by) || (entry.group !== undefined && list.includes(entry.group));
  if (!context.approverLists.every(allowed)) return `${entry.by} is not an approver`;
  if (!context.allowSelf && context.requester === entry.by) return `${entry.by} requested the run`;
  const at = Date.parse(entry.at);
  if (!(at >= context.from)) return `${entry.by} approved before the request`;
  if (!(at < context.until)) return `${entry.by} approved after it expired`;
  return undefined;
}
