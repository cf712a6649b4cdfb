/**
 * The plain data an approval card is drawn from, and `approvalCardFrom`, the one mapping from what the
 * AegisAlert's status holds today (`status.approval`). When the approval report moves (a controller-only
 * record, docs/decisions), only this mapping changes; the renderers keep reading `ApprovalCard`.
 */
import { alertReference, failedTriggers, involvedObjectLabel } from './alert-state.js';
import type { AlertLike } from './alert-state.js';

export type ApprovalCardState = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

export interface ApprovalDecisionView {
  readonly decision: 'Approved' | 'Rejected' | 'Expired' | 'Cancelled';
  /** A Slack user id, a user name, or `aegis` for the controller. */
  readonly by: string;
  /** slack, cli, kubectl, api or controller. */
  readonly via: string;
  readonly at: string;
  readonly reason?: string;
  /** The approver group through which the user was allowed to decide. */
  readonly group?: string;
}

export interface ApprovalCard {
  /** `namespace/name` of the AegisAlert: the value of the card's buttons. */
  readonly alert: string;
  readonly alertType: string;
  /** e.g. `Node gpu-node-7`. */
  readonly target: string;
  readonly state: ApprovalCardState;
  readonly requestedAt: string;
  readonly expiresAt?: string;
  readonly requestedBy?: string;
  /** Why the run was asked for (an ops request's reason). */
  readonly reason?: string;
  readonly rule?: string;
  readonly template?: string;
  /** Slack user ids (`U…`), user group ids (`S…`) or user names; empty means anyone but the requester. */
  readonly approvers: readonly string[];
  readonly minApprovals: number;
  /** Approvals in so far. */
  readonly approvals: number;
  readonly allowSelfApproval: boolean;
  readonly decisions: readonly ApprovalDecisionView[];
  /** The rendered Workflow that runs once approved (YAML). */
  readonly manifest?: string;
  readonly manifestDigest?: string;
}

function reference(value: { readonly namespace?: string | undefined; readonly name: string } | undefined) {
  if (value === undefined) return undefined;
  return value.namespace === undefined || value.namespace === ''
    ? value.name
    : `${value.namespace}/${value.name}`;
}

/** The approval of `alert` as a card, or undefined when the alert never asked for one. */
export function approvalCardFrom(alert: AlertLike, now: number): ApprovalCard | undefined {
  const approval = alert.status?.approval;
  if (approval === undefined) return undefined;
  const decisions: ApprovalDecisionView[] = (approval.history ?? []).map((entry) => ({
    decision: entry.decision,
    by: entry.by,
    via: entry.via,
    at: entry.at,
    ...(entry.reason === undefined || entry.reason === '' ? {} : { reason: entry.reason }),
    ...(entry.group === undefined || entry.group === '' ? {} : { group: entry.group }),
  }));
  const approvers = new Set(
    decisions.filter((entry) => entry.decision === 'Approved').map((entry) => entry.by),
  );
  const expired =
    approval.state === 'Expired' ||
    (approval.state === 'Pending' &&
      approval.expiresAt !== undefined &&
      Date.parse(approval.expiresAt) <= now);
  // Pending in the status while the controller says nothing will run: no buttons, the request is over.
  const closed =
    approval.state === 'Pending' && failedTriggers.has(alert.status?.opsStatus?.triggerStatus ?? '');
  const state: ApprovalCardState = expired
    ? 'expired'
    : closed
      ? 'cancelled'
      : (approval.state.toLowerCase() as ApprovalCardState);
  const rule = reference(approval.rule);
  const template = reference(approval.template);
  const reason = alert.spec.opsRequest?.reason;
  return {
    alert: alertReference(alert),
    alertType: alert.spec.type,
    target: involvedObjectLabel(alert),
    state,
    requestedAt: approval.requestedAt,
    ...(approval.expiresAt === undefined ? {} : { expiresAt: approval.expiresAt }),
    ...(approval.requestedBy === undefined || approval.requestedBy === ''
      ? {}
      : { requestedBy: approval.requestedBy }),
    ...(reason === undefined || reason === '' ? {} : { reason }),
    ...(rule === undefined ? {} : { rule }),
    ...(template === undefined ? {} : { template }),
    approvers: [...(approval.approvers ?? [])],
    minApprovals: approval.minApprovals ?? 1,
    approvals: approvers.size,
    allowSelfApproval: approval.allowSelfApproval ?? false,
    decisions,
    ...(approval.renderedManifest === undefined || approval.renderedManifest === ''
      ? {}
      : { manifest: approval.renderedManifest }),
    ...(approval.manifestDigest === undefined ? {} : { manifestDigest: approval.manifestDigest }),
  };
}
