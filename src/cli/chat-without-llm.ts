/**
 * What `aegis chat` says when no LLM is configured. Kept apart from chat-command.ts so that main.ts can answer
 * without loading langchain, client-node or ioredis (bench/cli.ts measures the start-up of each command).
 */
import type { AegisConfig } from '../config/index.js';

export const noLlmMessage =
  'aegis chat needs an LLM, and none is configured: set OPENAI_BASE_URL, OPENAI_API_KEY and AEGIS_LLM_MODEL (any OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, LiteLLM).\n';

/** Whether the LLM settings name an endpoint and a model (chat's exit code is 2 without them). */
export function chatLlmConfigured(config: Pick<AegisConfig, 'openaiBaseUrl' | 'llmModel'>): boolean {
  return config.openaiBaseUrl !== undefined && config.llmModel !== undefined;
}
