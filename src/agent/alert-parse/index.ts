export { createAiAlertParser, noLlmMessage, type AiAlertParserOptions } from './create-ai-alert-parser.js';
export {
  contentHash,
  createMemoryAlertParseCache,
  createRedisAlertParseCache,
  type AlertParseCache,
} from './alert-parse-cache.js';
export { llmAlertsJsonSchema, llmAlertsSchema } from './llm-alert-schema.js';
export { recognisePayload } from './recognisers/recognise-payload.js';
