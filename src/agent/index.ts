/** The LLM agent: read-only tools, the agent loop, conversation history, the Slack port. */
export * from './tools/index.js';
export * from './conversation/index.js';
export * from './agent-loop/index.js';
export * from './slack/index.js';
export {
  createAgentService,
  type AgentService,
  type AgentServiceOptions,
  type AgentSettings,
} from './create-agent-service.js';
export * from './llm/index.js';
export * from './redaction/index.js';
export * from './alert-parse/index.js';
export * from './prompts/index.js';
export * from './diagnosis/index.js';
