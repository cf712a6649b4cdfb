/**
 * The AlertParser of `POST /ai/alert` (src/webhooks/alert-parser.ts), for payloads the route does not
 * recognise itself (it handles Alertmanager and the custom format):
 * 1. the deterministic recognisers (Grafana, Kubernetes events, Datadog, Zabbix, generic labels/annotations);
 * 2. else, when an LLM client is configured, the model with structured output: the payload is REDACTED, put
 *    into `prompts/alert-parse.md` (`{{raw}}`) and sent with `response_format: json_schema` (strict); an
 *    endpoint that rejects json_schema is asked again with `json_object` and the schema in the prompt (and
 *    not offered json_schema again). The answer is validated with the same zod schema; results are cached
 *    by content hash;
 * 3. else 422 "no parser recognised this payload and no LLM is configured".
 * Errors follow the port: non-retryable AegisError → 422 with its user message; retryable (model unavailable,
 * timeout, budget store down) → 503.
 */
import type { Alert } from '../../core/alerts/index.js';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { AlertParser } from '../../core/ports/index.js';
import type { LlmClient, LlmMessage } from '../llm/index.js';
import { rejectedStatus } from '../llm/index.js';
import { loadPrompt, renderPrompt } from '../prompts/index.js';
import type { Redactor } from '../redaction/index.js';
import type { AlertParseCache } from './alert-parse-cache.js';
import { contentHash, createMemoryAlertParseCache } from './alert-parse-cache.js';
import { llmAlertsJsonSchema } from './llm-alert-schema.js';
import { readModelAnswer } from './read-model-answer.js';
import { recognisePayload } from './recognisers/recognise-payload.js';

export const noLlmMessage = 'no parser recognised this payload and no LLM is configured';

export interface AiAlertParserOptions {
  /** Without one, only the deterministic formats are read. */
  llm?: LlmClient | undefined;
  redactor: Redactor;
  /** Default: an in-memory LRU (1 h). Use createRedisAlertParseCache to share it between replicas. */
  cache?: AlertParseCache | undefined;
  logger?: Logger | undefined;
  /** AEGIS_PROMPTS_DIR. */
  promptsDir?: string | undefined;
  /** Longest payload sent to the model, in characters (default 32 000); longer ones are cut. */
  maxPayloadChars?: number | undefined;
}

function tryJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function createAiAlertParser(options: AiAlertParserOptions): AlertParser {
  const logger = (options.logger ?? silentLogger).child({ component: 'ai-alert-parser' });
  const cache = options.cache ?? createMemoryAlertParseCache();
  const maxChars = options.maxPayloadChars ?? 32_000;
  let jsonSchemaSupported = true;

  const askModel = async (llm: LlmClient, raw: string): Promise<Alert[]> => {
    // Cut BEFORE redacting (a little past the budget, so a secret at the edge is still recognised whole, then
    // to the budget): the text scanned is bounded whatever the sender posts.
    const scanned = raw.length > maxChars ? raw.slice(0, maxChars + 256) : raw;
    const redacted = options.redactor.redact(scanned);
    const payload =
      raw.length > maxChars
        ? `${redacted.slice(0, maxChars)}\n[... cut at ${maxChars} characters]`
        : redacted;
    const template = await loadPrompt('alert-parse', { overrideDir: options.promptsDir });
    const prompt = renderPrompt(template, { raw: payload });
    const schema = llmAlertsJsonSchema();
    const ask = async (mode: 'json_schema' | 'json_object'): Promise<string> => {
      const messages: LlmMessage[] =
        mode === 'json_schema'
          ? [{ role: 'user', content: prompt }]
          : [
              {
                role: 'system',
                content: `Answer with one JSON object that matches this JSON schema:\n${JSON.stringify(schema)}`,
              },
              { role: 'user', content: prompt },
            ];
      const completion = await llm.complete({
        messages,
        responseFormat:
          mode === 'json_schema'
            ? { type: 'json_schema', name: 'aegis_alerts', schema, strict: true }
            : { type: 'json_object' },
        temperature: 0,
        purpose: 'alert-parse',
      });
      return completion.content;
    };
    let answer: string;
    if (jsonSchemaSupported) {
      try {
        answer = await ask('json_schema');
      } catch (error) {
        const status = rejectedStatus(error);
        if (status !== 400 && status !== 404 && status !== 422) throw error;
        jsonSchemaSupported = false;
        logger.warn(
          { status },
          'the LLM endpoint rejected response_format json_schema; using json_object from now on',
        );
        answer = await ask('json_object');
      }
    } else {
      answer = await ask('json_object');
    }
    return readModelAnswer(answer);
  };

  return {
    async parse(raw) {
      const json = tryJson(raw);
      if (json !== undefined) {
        const recognised = recognisePayload(json);
        if (recognised?.notice !== undefined) {
          logger.warn({ format: recognised.format }, recognised.notice);
          throw new AegisError('ALERT_PARSE_NOTICE', recognised.notice, { userMessage: recognised.notice });
        }
        if (recognised !== undefined) {
          const alerts: Alert[] = [];
          const refused: string[] = [];
          for (const result of recognised.results) {
            if ('alert' in result) alerts.push(result.alert);
            else refused.push(`${result.path} ${result.reason}`);
          }
          if (refused.length > 0)
            logger.info({ format: recognised.format, refused }, 'alerts refused in a recognised payload');
          if (alerts.length === 0) {
            throw new AegisError(
              'ALERT_PARSE_INVALID',
              `${recognised.format} payload without a readable alert`,
              {
                userMessage: `this looks like a ${recognised.format} payload, but no alert in it is readable: ${refused[0] ?? 'it is empty'}`,
              },
            );
          }
          return alerts;
        }
      }
      const llm = options.llm;
      if (llm === undefined)
        throw new AegisError('ALERT_PARSE_NO_LLM', noLlmMessage, { userMessage: noLlmMessage });
      const key = contentHash(raw);
      const cached = await cache.get(key);
      if (cached !== undefined) {
        logger.debug({ key }, 'alert parse cache hit');
        return cached;
      }
      const alerts = await askModel(llm, raw);
      await cache.set(key, alerts);
      logger.info(
        { alerts: alerts.length, types: alerts.map((alert) => alert.type) },
        'alert payload parsed by the LLM',
      );
      return alerts;
    },
  };
}
