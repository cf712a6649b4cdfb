import type { SettingDefinition } from './setting-definition.js';
import { optionalSetting, requiredSetting } from './setting-definition.js';
import { choiceValue, durationValue, integerValue, textValue } from './value-kinds.js';

/** The LLM: endpoint and model, call limits, token budgets, redaction patterns and prompt overrides. */
export const llmSettings = {
  openaiBaseUrl: optionalSetting({
    env: 'OPENAI_BASE_URL',
    value: textValue(),
    description:
      'Base URL of an OpenAI-compatible API (OpenAI, vLLM, Ollama, LiteLLM…), e.g. `http://llm:8000/v1`. Unset: every LLM feature is off; the rest of Aegis works.',
  }),
  openaiApiKey: optionalSetting({
    env: 'OPENAI_API_KEY',
    value: textValue(),
    secret: true,
    description: 'API key for OPENAI_BASE_URL (any non-empty value for servers that need none).',
  }),
  llmModel: optionalSetting({
    env: 'AEGIS_LLM_MODEL',
    value: textValue(),
    description: 'Model name, e.g. `gpt-4o-mini` or `qwen2.5-72b-instruct`; required with OPENAI_BASE_URL.',
  }),
  llmTimeoutMs: requiredSetting({
    env: 'AEGIS_LLM_TIMEOUT',
    value: durationValue(1_000, 600_000),
    default: 60_000,
    defaultText: '60s',
    description: 'Timeout of one model call.',
  }),
  llmMaxRetries: requiredSetting({
    env: 'AEGIS_LLM_MAX_RETRIES',
    value: integerValue(0, 10),
    default: 2,
    description: 'Retries of a failed model call (429, 5xx, timeouts).',
  }),
  llmConcurrency: requiredSetting({
    env: 'AEGIS_LLM_CONCURRENCY',
    value: integerValue(1, 256),
    default: 4,
    description: 'Model calls in flight at once per process.',
  }),
  llmTurnMaxSteps: requiredSetting({
    env: 'AEGIS_LLM_TURN_MAX_STEPS',
    value: integerValue(1, 100),
    default: 8,
    description: 'Model calls (tool-use steps) one question may take before the agent stops and says so.',
  }),
  llmTurnMaxTokens: requiredSetting({
    env: 'AEGIS_LLM_TURN_MAX_TOKENS',
    value: integerValue(1_000, 10_000_000),
    default: 60_000,
    description: 'Tokens one question may spend.',
  }),
  llmChannelDailyTokens: optionalSetting({
    env: 'AEGIS_LLM_CHANNEL_DAILY_TOKENS',
    value: integerValue(1_000, 1_000_000_000),
    description: 'Tokens one Slack channel may spend per UTC day; unset: no per-channel limit.',
  }),
  llmDailyTokens: optionalSetting({
    env: 'AEGIS_LLM_DAILY_TOKENS',
    value: integerValue(1_000, 10_000_000_000),
    description: 'Tokens Aegis may spend per UTC day in all; unset: no global limit.',
  }),
  redactPatterns: optionalSetting({
    env: 'AEGIS_REDACT_PATTERNS',
    value: textValue(),
    description:
      'Extra patterns masked in everything sent to the LLM: one regular expression per line, or a JSON list.',
  }),
  llmTracing: requiredSetting({
    env: 'AEGIS_LLM_TRACING',
    value: choiceValue(['off', 'langsmith'] as const),
    default: 'off',
    description:
      'Send agent traces (prompts, tool outputs) to LangSmith: `langsmith` lets LangChain follow LANGSMITH_TRACING / LANGCHAIN_TRACING_V2 and LANGSMITH_API_KEY; `off` turns those variables off for Aegis whatever they say.',
  }),
  promptsDir: optionalSetting({
    env: 'AEGIS_PROMPTS_DIR',
    value: textValue(),
    description:
      'Directory whose `agent.md` / `alert-parse.md` override the built-in prompts (mount a ConfigMap there).',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;
