/**
 * Who may approve a run, how many must, for how long, and whether the requester may approve it: the rule's
 * `spec.approval` with its defaults filled in, or the fixed policy of an operator's ops request.
 */
import { defaultApprovalTimeout, type AlertApproval, type RuleApproval } from '../resources/index.js';
import { addDuration } from './approval-timeout.js';

/** `AEGIS_APPROVAL_DEFAULT`: whether a rule without an `approval` block waits for approval. */
export const approvalDefaultValues = ['none', 'required'] as const;
export type ApprovalDefault = (typeof approvalDefaultValues)[number];

export interface ApprovalPolicy {
  /** Chat user ids and group ids allowed to decide; empty means anyone. */
  readonly approvers: readonly string[];
  /** Distinct approvers needed (at least 1). */
  readonly minApprovals: number;
  /** Go duration, e.g. `30m`. */
  readonly timeout: string;
  readonly allowSelfApproval: boolean;
}

/** The input shape of a rule's approval block (defaults may be missing when read without zod). */
export type RuleApprovalInput = Partial<
  Pick<RuleApproval, 'required' | 'approvers' | 'minApprovals' | 'timeout' | 'allowSelfApproval'>
>;

/**
 * An ops request (an operator asked for a run) always waits for one approval by anyone other than the
 * requester, for the default timeout.
 */
export const opsRequestApprovalPolicy: ApprovalPolicy = Object.freeze({
  approvers: Object.freeze([]),
  minApprovals: 1,
  timeout: defaultApprovalTimeout,
  allowSelfApproval: false,
});

/**
 * Whether a run by this rule waits for approval: the rule's block decides when present (`required` defaults to
 * true there); without it, the global default (`AEGIS_APPROVAL_DEFAULT`).
 */
export function approvalRequired(
  rule: RuleApprovalInput | undefined,
  globalDefault: ApprovalDefault,
): boolean {
  if (rule !== undefined) return rule.required ?? true;
  return globalDefault === 'required';
}

/** The rule's approval block with defaults (a rule without one, under `required` default: anyone, 1, 30m). */
export function approvalPolicyOf(rule: RuleApprovalInput | undefined): ApprovalPolicy {
  return {
    approvers: [...(rule?.approvers ?? [])],
    minApprovals: Math.max(1, rule?.minApprovals ?? 1),
    timeout: rule?.timeout ?? defaultApprovalTimeout,
    allowSelfApproval: rule?.allowSelfApproval ?? false,
  };
}

export interface PendingApprovalInput {
  policy: ApprovalPolicy;
  /** When approval is requested. */
  now: Date;
  /** The rendered Workflow (YAML) and its digest (`renderOpsTemplate(...).digest`). */
  renderedManifest: string;
  manifestDigest: string;
  rule?: { namespace?: string; name: string };
  template?: { namespace?: string; name: string };
  /** Who caused the run (an ops request's `requestedBy`); unset for alerts from monitoring. */
  requestedBy?: string;
}

/**
 * `status.approval` for a run that now waits: state Pending, expiring after the policy's timeout, with the
 * policy recorded as it was when requested (what the approvers are shown and what `decide` enforces).
 */
export function newPendingApproval(input: PendingApprovalInput): AlertApproval {
  return {
    state: 'Pending',
    requestedAt: kubeTime(input.now),
    expiresAt: kubeTime(addDuration(input.now, input.policy.timeout)),
    ...(input.rule === undefined ? {} : { rule: { ...input.rule } }),
    ...(input.template === undefined ? {} : { template: { ...input.template } }),
    renderedManifest: input.renderedManifest,
    manifestDigest: input.manifestDigest,
    approvers: [...input.policy.approvers],
    minApprovals: input.policy.minApprovals,
    allowSelfApproval: input.policy.allowSelfApproval,
    ...(input.requestedBy === undefined ? {} : { requestedBy: input.requestedBy }),
    history: [],
  };
}

/** A time as metav1.Time writes it: RFC 3339, seconds precision, UTC. */
export function kubeTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
