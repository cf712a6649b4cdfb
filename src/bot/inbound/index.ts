/**
 * The inbound half of the Slack bot: the Bolt app (Socket Mode or HTTP on the Aegis port), approval button
 * clicks and the reject modal, the `/aegis` slash command, App Home, and mentions/DMs/thread replies to the
 * agent port.
 */
export { startSlackBot, defaultSlackApiUrl, type SlackBot, type SlackBotOptions } from './bolt-app.js';
export { noChatOperators, type ChatRights } from './commands/chat-rights.js';
export { slackRoutePaths, parseSlackBody } from './fastify-receiver.js';
export {
  computeSlackSignature,
  verifySlackSignature,
  slackSignatureHeader,
  slackTimestampHeader,
  slackSignatureMaxAgeSeconds,
  type SignatureCheck,
} from './slack-signature.js';
export {
  createSlackGroupResolver,
  isSlackGroupId,
  type SlackGroupResolver,
  type UsergroupsClient,
} from './slack-group-resolver.js';
export type {
  AgentAnswer,
  AgentPort,
  AgentQuestion,
  ClusterCheckSummary,
  ComponentStatus,
  InboundHealthChecks,
  InboundDiagnoses,
  InboundAlerts,
  InboundApprovals,
  InboundOpsRequests,
  InboundRules,
  InboundServices,
  InboundTemplates,
  ObjectRef,
  StatusReport,
} from './inbound-services.js';
export {
  parseCommand,
  commandUsage,
  type AegisCommand,
  type AlertFilters,
} from './commands/parse-command.js';
export {
  approvalActionIds,
  approvalButtonValue,
  parseApprovalButtonValue,
  rejectModalCallbackId,
} from './render/approval-ids.js';
export { renderNodeCheckResult, type NodeCheckResultView } from './render/health-check-replies.js';
