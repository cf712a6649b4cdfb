/**
 * Approvals: who may decide a run, how decisions are recorded in `status.approval`, and the check the alert
 * reconciler makes before an approved run starts. Pure: no Kubernetes, no I/O.
 */
export {
  approvalDefaultValues,
  approvalPolicyOf,
  approvalRequired,
  kubeTime,
  newPendingApproval,
  opsRequestApprovalPolicy,
  type ApprovalDefault,
  type ApprovalPolicy,
  type PendingApprovalInput,
  type RuleApprovalInput,
} from './approval-policy.js';
export { addDuration, parseDurationMs } from './approval-timeout.js';
export {
  approvingUsers,
  decide,
  type ApprovalRefusalCode,
  type DecideResult,
  type DecisionRequest,
} from './decide-approval.js';
export {
  approvalRecordOf,
  parseApprovalRecord,
  serialiseApprovalRecord,
  type ApprovalRecord,
} from './approval-record.js';
export { approvalIsValid, type ApprovalValidity } from './approval-validity.js';
export {
  buildOpsRequestObject,
  opsRequestAlertType,
  opsRequestProblems,
  type OpsRequestInput,
  type OpsRequestObject,
} from './ops-request.js';
