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
export { escapeMrkdwn, formatDuration, inlineCode, personReference, shortText, slackDate } from './mrkdwn.js';
export { renderAlertRoot, type AlertRootContext } from './render-alert-root.js';
export { renderApprovalDecided, renderApprovalRequest, renderExpired } from './render-approval.js';
export {
  groupDisplayState,
  renderStormDigest,
  renderStormGroup,
  stormDigestPageSize,
  type StormGroupSummary,
  type StormMember,
} from './render-storm-group.js';
export { renderThreadEvent, type ThreadEvent } from './render-thread-event.js';
export {
  approvalBlockId,
  approveActionId,
  rejectActionId,
  sectionTextLimit,
  type SlackMessage,
} from './slack-message.js';
