import {
  createAiAlertParser,
  createLlmClient,
  createRedactor,
  createRedisAlertParseCache,
  parseRedactPatterns,
  type LlmClient,
  type Redactor,
} from '../agent/index.js';
import type { AegisConfig } from '../config/index.js';
import { AegisError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { MetricsRegistry } from '../metrics/index.js';
import type { AlertParser } from '../webhooks/index.js';

export interface RunningLlm {
  /** Undefined when no LLM is configured: every LLM feature is off, the rest of Aegis works. */
  readonly llm: LlmClient | undefined;
  readonly redactor: Redactor;
  /** For `/ai/alert`: recognisers for common formats, then the LLM when there is one. */
  readonly alertParser: AlertParser;
  close(): Promise<void>;
}

/** The LLM client (when configured), the redactor every model input passes through, and the AI alert parser. */
export function startLlm(
  config: AegisConfig,
  dependencies: { logger: Logger; metrics: MetricsRegistry; redisUrl: string },
): RunningLlm {
  const redactor = createRedactor(
    config.redactPatterns === undefined ? {} : { extraPatterns: parseRedactPatterns(config.redactPatterns) },
  );
  let llm: LlmClient | undefined;
  if (config.openaiBaseUrl !== undefined) {
    if (config.llmModel === undefined) {
      throw new AegisError(
        'CONFIG_INVALID',
        'OPENAI_BASE_URL is set but AEGIS_LLM_MODEL is not: name the model to use',
      );
    }
    llm = createLlmClient({
      baseUrl: config.openaiBaseUrl,
      apiKey: config.openaiApiKey ?? 'unused',
      model: config.llmModel,
      timeoutMs: config.llmTimeoutMs,
      maxRetries: config.llmMaxRetries,
      concurrency: config.llmConcurrency,
      logger: dependencies.logger,
      metrics: dependencies.metrics,
      redactor,
      budgets: {
        turnMaxSteps: config.llmTurnMaxSteps,
        turnMaxTokens: config.llmTurnMaxTokens,
        ...(config.llmChannelDailyTokens === undefined
          ? {}
          : { channelDailyTokens: config.llmChannelDailyTokens }),
        ...(config.llmDailyTokens === undefined ? {} : { dailyTokens: config.llmDailyTokens }),
        redisUrl: dependencies.redisUrl,
        keyPrefix: `${config.queuePrefix}:`,
      },
    });
    dependencies.logger.info({ baseUrl: config.openaiBaseUrl, model: config.llmModel }, 'LLM configured');
  } else {
    dependencies.logger.info(
      'no LLM configured (OPENAI_BASE_URL): free-text answers and LLM alert parsing are off',
    );
  }
  const cache = createRedisAlertParseCache({
    redisUrl: dependencies.redisUrl,
    keyPrefix: `${config.queuePrefix}:alert-parse:`,
  });
  const alertParser = createAiAlertParser({
    llm,
    redactor,
    cache,
    logger: dependencies.logger,
    promptsDir: config.promptsDir,
  });
  return {
    llm,
    redactor,
    alertParser,
    async close() {
      await cache.close();
      await llm?.close();
    },
  };
}
