export {
  createLlmClient,
  type LlmCallOptions,
  type LlmClient,
  type LlmClientOptions,
  type LlmBudgetOptions,
  type LlmCompletion,
  type LlmCompletionRequest,
  type LlmMessage,
  type LlmResponseFormat,
  type LlmStatus,
  type LlmTool,
  type LlmToolCall,
} from './create-llm-client.js';
export type { GovernedChatModel } from './governed-chat-model.js';
export {
  LlmBudgetExceededError,
  type LlmBudgetLimits,
  type LlmBudgetName,
  type LlmTurn,
} from './llm-budgets.js';
export type { TokenUsage } from './call-governor.js';
export { estimateTokens } from './estimate-tokens.js';
export { rejectedStatus } from './llm-errors.js';
