/** Block Kit renderers: pure functions from plain data to Slack message JSON. */
export {
  alertDisplayState,
  alertReference,
  involvedObjectLabel,
  stateColors,
  stateLabels,
  type AlertDisplayState,
  type AlertLike,
} from './alert-state.js';
export { alertCardFrom, type AlertCard, type AlertCardContext, type OpsFacts } from './alert-card.js';
export { detailLinks, rankedDetails, safeUrl, type CardLink, type DetailField } from './alert-details.js';
export {
  approvalCardFrom,
  type ApprovalCard,
  type ApprovalCardState,
  type ApprovalDecisionView,
} from './approval-card.js';
export {
  escapeMrkdwn,
  formatDuration,
  inlineCode,
  personReference,
  shortText,
  slackDate,
  slackLink,
} from './mrkdwn.js';
export { opsStateLine } from './ops-state-line.js';
export {
  cardDetailFields,
  objectLabel,
  renderAlertCard,
  renderAlertRoot,
  type AlertRootContext,
} from './render-alert-root.js';
export { approverMention, renderApproval, renderApprovalCard } from './render-approval.js';
export { renderMoreDetails } from './render-details-reply.js';
export { renderManifestModal } from './render-manifest-modal.js';
export {
  groupDisplayState,
  renderStormDigest,
  renderStormGroup,
  stormDigestPageSize,
  type StormGroupSummary,
  type StormMember,
} from './render-storm-group.js';
export { renderThreadEvent, type ThreadEvent, type WorkflowStepView } from './render-thread-event.js';
export { cutMrkdwn, fitMessage, slackLimits, slackLimitViolations, blockViolations } from './slack-limits.js';
export {
  approvalBlockId,
  approveActionId,
  rejectActionId,
  sectionTextLimit,
  viewManifestActionId,
  type SlackMessage,
} from './slack-message.js';
export { commandText, workflowScript, type ScriptStep } from './workflow-script.js';
export { renderDiagnosis, type DiagnosisView } from './render-diagnosis.js';
