export {
  markdownToMrkdwn,
  placeholderMessage,
  renderAgentAnswer,
  type AgentSlackMessage,
} from './render-agent-answer.js';
export {
  createSlackAgentPort,
  slackConversationId,
  type ApprovalThreadPort,
  type AgentSlackClient,
  type SlackAgentPort,
  type SlackAgentPortOptions,
  type SlackAgentQuestion,
} from './slack-agent-port.js';
