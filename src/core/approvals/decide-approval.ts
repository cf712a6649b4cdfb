/**
 * The one rule book for approval decisions, shared by Slack, the CLI and the HTTP API (through the approval
 * service). Pure: the caller reads the alert, resolves the user's groups, injects the time, and writes the
 * result back (guarded by resourceVersion).
 *
 * - `approvers` empty means anyone may decide; otherwise the user id, or one of the groups the caller resolved
 *   for the user (`byGroups`), must be listed. Rejecting needs the same right as approving (anyone else could
 *   block every run).
 * - The requester (who caused the run) may not approve unless the approval allows it; they may reject (withdraw).
 * - `minApprovals` distinct users approve → Approved; one rejection → Rejected.
 * - Approving twice (a double click, a retry, Slack and the CLI) is idempotent: `ok` with `changed: false`, and
 *   the user counts once. The same holds for repeating the decision that already closed the approval (the last
 *   approver's second click after it turned Approved, a second rejection by the rejecter), so a retry never
 *   surfaces as an error. Any other decision on a closed approval is refused (AlreadyDecided, Expired, NotPending).
 * - At or after `expiresAt` nothing is accepted (Expired), even before the reconciler marks it so.
 */
import type { AlertApproval, ApprovalChannel, ApprovalHistoryEntry } from '../resources/index.js';
import { kubeTime } from './approval-policy.js';

export type ApprovalRefusalCode =
  'NotApprover' | 'SelfApproval' | 'AlreadyDecided' | 'Expired' | 'NotPending' | 'SameCredential';

export interface DecisionRequest {
  decision: 'approve' | 'reject';
  /** Who decides: a chat user id or a user name. */
  by: string;
  /** The groups `by` belongs to, resolved by the caller (e.g. Slack user groups). */
  byGroups?: readonly string[];
  via: ApprovalChannel;
  reason?: string;
  now: Date;
  /** Who caused the run, for the self-approval check; defaults to `approval.requestedBy`. */
  requester?: string;
  /**
   * The credential the decision came with (`slack:U123`, `token:U123`, `token:sha256:…`): one credential counts
   * as one approver whatever `by` it claims.
   */
  credential?: string;
}

export type DecideResult =
  | {
      ok: true;
      /** The approval to write (the input itself when nothing changed). */
      approval: AlertApproval;
      /** False for a repeated decision that was already recorded: nothing to write. */
      changed: boolean;
    }
  | { ok: false; code: ApprovalRefusalCode; message: string };

function refuse(code: ApprovalRefusalCode, message: string): DecideResult {
  return { ok: false, code, message };
}

/**
 * Distinct approvers with an Approved entry, in order of their first approval: an entry counts only when neither
 * its user nor its credential approved before (one token approving "as" two people counts once).
 */
export function approvingUsers(history: readonly ApprovalHistoryEntry[]): string[] {
  const users: string[] = [];
  const credentials = new Set<string>();
  for (const entry of history) {
    if (entry.decision !== 'Approved' || users.includes(entry.by)) continue;
    if (entry.credential !== undefined && credentials.has(entry.credential)) continue;
    users.push(entry.by);
    if (entry.credential !== undefined) credentials.add(entry.credential);
  }
  return users;
}

/** The user an earlier Approved entry with this credential was recorded for, if any. */
function approvedWithCredential(approval: AlertApproval, credential: string | undefined): string | undefined {
  if (credential === undefined) return undefined;
  return (approval.history ?? []).find(
    (entry) => entry.decision === 'Approved' && entry.credential === credential,
  )?.by;
}

function alreadyDecidedBy(approval: AlertApproval, request: DecisionRequest): boolean {
  const wanted = request.decision === 'approve' ? 'Approved' : 'Rejected';
  return (approval.history ?? []).some((entry) => entry.decision === wanted && entry.by === request.by);
}

/** The approver group that lets `request.by` decide, '' when listed by id or anyone may, undefined when none. */
function qualifyingGroup(approval: AlertApproval, request: DecisionRequest): string | undefined {
  const approvers = approval.approvers ?? [];
  if (approvers.length === 0 || approvers.includes(request.by)) return '';
  return (request.byGroups ?? []).find((group) => approvers.includes(group));
}

export function decide(approval: AlertApproval, request: DecisionRequest): DecideResult {
  const verb = request.decision === 'approve' ? 'approve' : 'reject';
  switch (approval.state) {
    case 'Pending':
      break;
    case 'Approved':
    case 'Rejected':
      if (
        approval.state === (request.decision === 'approve' ? 'Approved' : 'Rejected') &&
        alreadyDecidedBy(approval, request)
      )
        return { ok: true, approval, changed: false };
      return refuse('AlreadyDecided', `cannot ${verb}: the run was already ${approval.state.toLowerCase()}`);
    case 'Expired':
      return refuse('Expired', `cannot ${verb}: the approval request expired${expiredAt(approval)}`);
    case 'Cancelled':
      return refuse('NotPending', `cannot ${verb}: the approval request was cancelled (the alert resolved)`);
  }
  if (approval.expiresAt !== undefined && request.now.getTime() >= Date.parse(approval.expiresAt))
    return refuse('Expired', `cannot ${verb}: the approval request expired${expiredAt(approval)}`);

  const group = qualifyingGroup(approval, request);
  if (group === undefined) {
    return refuse(
      'NotApprover',
      `${request.by} may not ${verb} this run: only ${(approval.approvers ?? []).join(', ')} may`,
    );
  }
  const requester = request.requester ?? approval.requestedBy;
  if (request.decision === 'approve' && requester === request.by && approval.allowSelfApproval !== true) {
    return refuse(
      'SelfApproval',
      `${request.by} requested this run and may not approve it; someone else must`,
    );
  }
  if (alreadyDecidedBy(approval, request)) return { ok: true, approval, changed: false };
  const sameCredential = approvedWithCredential(approval, request.credential);
  if (request.decision === 'approve' && sameCredential !== undefined) {
    return refuse(
      'SameCredential',
      `this credential already approved as ${sameCredential}; one credential counts as one approver, whatever name it gives`,
    );
  }

  const at = kubeTime(request.now);
  const entry: ApprovalHistoryEntry = {
    decision: request.decision === 'approve' ? 'Approved' : 'Rejected',
    by: request.by,
    via: request.via,
    at,
    ...(request.reason === undefined || request.reason === '' ? {} : { reason: request.reason }),
    ...(group === '' ? {} : { group }),
    ...(request.credential === undefined ? {} : { credential: request.credential }),
  };
  const history = [...(approval.history ?? []), entry];
  if (request.decision === 'reject') {
    return { ok: true, approval: { ...approval, state: 'Rejected', decidedAt: at, history }, changed: true };
  }
  const enough = approvingUsers(history).length >= Math.max(1, approval.minApprovals ?? 1);
  const next: AlertApproval = enough
    ? { ...approval, state: 'Approved', decidedAt: at, history }
    : { ...approval, history };
  return { ok: true, approval: next, changed: true };
}

function expiredAt(approval: AlertApproval): string {
  return approval.expiresAt === undefined ? '' : ` at ${approval.expiresAt}`;
}
