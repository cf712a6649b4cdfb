export {
  describeProposals,
  stopMessage,
  type AgentCitation,
  type AgentReply,
  type AgentStopReason,
  type AgentUsage,
  type AskAgentInput,
} from './agent-reply.js';
export {
  agentDefaults,
  createAskAgent,
  type AgentLimits,
  type AgentModelSource,
  type AgentRedactor,
  type AskAgent,
  type AskAgentDependencies,
} from './create-ask-agent.js';
export { renderSystemPrompt, type TurnSetting } from './render-system-prompt.js';
