import { z } from 'zod';
import type { ValueKind } from './value-kinds.js';
import {
  byteSizeValue,
  choiceValue,
  durationValue,
  integerValue,
  jsonListValue,
  keyValueMapValue,
  listValue,
  namespaceValue,
  redisUrlValue,
  textValue,
} from './value-kinds.js';

/**
 * Every setting Aegis reads, in one table. The key is the camelCase name used in the YAML file
 * (AEGIS_CONFIG_FILE); `env` is the environment variable, which overrides the file. To add a setting, add a
 * row here: the zod schema, the typed `AegisConfig`, the error messages and the README table follow from it.
 */
export interface SettingDefinition<Output> {
  readonly env: string;
  /** False for settings only the environment can give (the file's own path, values Kubernetes injects). */
  readonly inFile: boolean;
  /** Never echoed in error messages or logs. */
  readonly secret: boolean;
  readonly description: string;
  /** How the default reads in documentation; undefined means "unset". */
  readonly defaultText: string | undefined;
  readonly schema: z.ZodType<Output, unknown>;
}

interface SettingInput<Output> {
  env: string;
  value: ValueKind<Output>;
  description: string;
  inFile?: boolean;
  secret?: boolean;
}

function required<Output>(
  input: SettingInput<Output> & { default: NoInfer<Output>; defaultText?: string },
): SettingDefinition<Output> {
  return {
    env: input.env,
    inFile: input.inFile ?? true,
    secret: input.secret ?? false,
    description: input.description,
    defaultText: input.defaultText ?? String(input.default),
    schema: input.value.default(input.default as z.util.NoUndefined<Output>),
  };
}

function optional<Output>(input: SettingInput<Output>): SettingDefinition<Output | undefined> {
  return {
    env: input.env,
    inFile: input.inFile ?? true,
    secret: input.secret ?? false,
    description: input.description,
    defaultText: undefined,
    schema: input.value.optional(),
  };
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const sandboxModes = ['auto', 'true', 'false'] as const;
export const approvalDefaults = ['none', 'required'] as const;

export const settings = {
  configFile: optional({
    env: 'AEGIS_CONFIG_FILE',
    value: textValue(),
    inFile: false,
    description:
      'YAML file with settings under the camelCase keys of this table; environment variables override it.',
  }),
  httpHost: required({
    env: 'AEGIS_HTTP_HOST',
    value: textValue(),
    default: '0.0.0.0',
    description: 'Address the HTTP server (health, readiness, metrics, webhooks) listens on.',
  }),
  httpPort: required({
    env: 'AEGIS_HTTP_PORT',
    value: integerValue(1, 65535),
    default: 8080,
    description: 'Port of the HTTP server.',
  }),
  namespace: required({
    env: 'AEGIS_NAMESPACE',
    value: namespaceValue(),
    default: 'monitoring',
    description: 'Namespace where alerts are published as AegisAlert objects.',
  }),
  redisUrl: optional({
    env: 'REDIS_URL',
    value: redisUrlValue(),
    secret: true,
    description:
      'Redis for the queues, e.g. `redis://127.0.0.1:6379`. When unset, `aegis serve` starts a local `redis-server` (it must be on the PATH).',
  }),
  kubeconfig: optional({
    env: 'KUBECONFIG',
    value: textValue(),
    description:
      'Kubeconfig file(s), a colon-separated list as for kubectl. When unset, `~/.kube/config` is used if it exists.',
  }),
  sandbox: required({
    env: 'AEGIS_SANDBOX',
    value: choiceValue(sandboxModes),
    default: 'auto',
    description:
      'Use the built-in sandbox API server: `true`, `false`, or `auto` (only when no kubeconfig and no in-cluster service account is found).',
  }),
  sandboxPort: required({
    env: 'AEGIS_SANDBOX_PORT',
    value: integerValue(0, 65535),
    default: 0,
    description: 'Port of the sandbox API server on 127.0.0.1; 0 picks a free port.',
  }),
  sandboxNodes: required({
    env: 'AEGIS_SANDBOX_NODES',
    value: integerValue(0, 1000),
    default: 3,
    description: 'Simulated nodes the sandbox starts with.',
  }),
  stateDir: required({
    env: 'AEGIS_STATE_DIR',
    value: textValue(),
    default: '.aegis',
    description:
      'Directory for local state: the sandbox kubeconfig (`sandbox.kubeconfig`) and the files of a local Redis.',
  }),
  queuePrefix: required({
    env: 'AEGIS_QUEUE_PREFIX',
    value: textValue(),
    default: 'aegis',
    description:
      'Prefix of every Redis key Aegis writes (queues, locks, counters); lets several installations share one Redis.',
  }),
  webhookTokens: optional({
    env: 'AEGIS_WEBHOOK_TOKEN',
    value: listValue(),
    secret: true,
    description:
      'Bearer token(s) the alert webhooks require (`Authorization: Bearer <token>`); several, comma-separated, for rotation. Unset: no token check.',
  }),
  webhookHmacSecret: optional({
    env: 'AEGIS_WEBHOOK_HMAC_SECRET',
    value: textValue(),
    secret: true,
    description:
      'Secret for `X-Aegis-Signature: sha256=<hex HMAC of the body>` on the alert webhooks. With a token too, either one is enough.',
  }),
  webhookBodyLimit: required({
    env: 'AEGIS_WEBHOOK_BODY_LIMIT',
    value: byteSizeValue(1_024, 64 * 1_048_576),
    default: 1_048_576,
    defaultText: '1MiB',
    description: 'Largest webhook body accepted, in bytes (`1MiB`, `512KiB` also work); larger ones get 413.',
  }),
  routePrefix: optional({
    env: 'AEGIS_ROUTE_PREFIX',
    value: textValue(),
    description: "Path prefix for the webhook routes (upstream's `--web.route-prefix`), e.g. `/aegis`.",
  }),
  ingestConcurrency: required({
    env: 'AEGIS_INGEST_CONCURRENCY',
    value: integerValue(1, 256),
    default: 16,
    description: 'Alerts each process turns into AegisAlert objects at the same time.',
  }),
  dedupWindowMs: required({
    env: 'AEGIS_DEDUP_WINDOW',
    value: durationValue(1_000, 7 * 86_400_000),
    default: 3_600_000,
    defaultText: '1h',
    description:
      'How long a delivery is remembered, so that a sender retrying the same alert (same fingerprint, status and start time) creates one job.',
  }),
  reconcileConcurrency: required({
    env: 'AEGIS_RECONCILE_CONCURRENCY',
    value: integerValue(1, 256),
    default: 4,
    description:
      'Alerts each process reconciles at once (match, render, create the Workflow, follow it); every key is still reconciled by one worker at a time.',
  }),
  countFlushIntervalMs: required({
    env: 'AEGIS_COUNT_FLUSH_INTERVAL',
    value: durationValue(10, 60_000),
    default: 250,
    defaultText: '250ms',
    description:
      'How often repeat counts of firing alerts are written to their AegisAlert (repeats are counted in Redis meanwhile).',
  }),
  systemParameters: required({
    env: 'AEGIS_SYSTEM_PARAMETERS',
    value: keyValueMapValue(),
    default: {},
    defaultText: '(none)',
    description:
      'key=value pairs added to every AegisAlert as annotations and to every template as variables, e.g. `cluster=gpu-prod`.',
  }),
  alertTtlAfterSuccessMs: required({
    env: 'AEGIS_ALERT_TTL_AFTER_SUCCESS',
    value: durationValue(0, 365 * 86_400_000),
    default: 86_400_000,
    defaultText: '1d',
    description:
      'Default `spec.ttlStrategy.secondsAfterSuccess`: an alert is deleted this long after its workflow succeeded.',
  }),
  alertTtlAfterFailureMs: required({
    env: 'AEGIS_ALERT_TTL_AFTER_FAILURE',
    value: durationValue(0, 365 * 86_400_000),
    default: 259_200_000,
    defaultText: '3d',
    description:
      'Default `spec.ttlStrategy.secondsAfterFailure`: deletion this long after its workflow failed.',
  }),
  alertTtlAfterNoOpsMs: required({
    env: 'AEGIS_ALERT_TTL_AFTER_NOOPS',
    value: durationValue(0, 365 * 86_400_000),
    default: 86_400_000,
    defaultText: '1d',
    description:
      'Default `spec.ttlStrategy.secondsAfterNoOps`: deletion this long after an alert that ran nothing was resolved.',
  }),
  aegisUrl: optional({
    env: 'AEGIS_URL',
    value: textValue(),
    description:
      'Where the `aegis` CLI reaches a running Aegis (`aegis alert send`); default `http://127.0.0.1:8080`.',
  }),
  approvalDefault: required({
    env: 'AEGIS_APPROVAL_DEFAULT',
    value: choiceValue(approvalDefaults),
    default: 'none',
    description:
      'Whether a rule without an `approval` block waits for a human: `none` (run at once, as upstream) or `required`.',
  }),
  apiTokens: optional({
    env: 'AEGIS_API_TOKEN',
    value: listValue(),
    secret: true,
    description:
      'Bearer token(s) for the Aegis API (`/api/v1/...`: approvals, ops requests) used by the CLI; unset: the API is off.',
  }),
  slackBotToken: optional({
    env: 'SLACK_BOT_TOKEN',
    value: textValue(),
    secret: true,
    description:
      'Slack bot token (`xoxb-...`). Without it (and the signing secret) Aegis runs without the Slack bot.',
  }),
  slackSigningSecret: optional({
    env: 'SLACK_SIGNING_SECRET',
    value: textValue(),
    secret: true,
    description: 'Slack signing secret: every request from Slack is verified with it (HTTP mode).',
  }),
  slackAppToken: optional({
    env: 'SLACK_APP_TOKEN',
    value: textValue(),
    secret: true,
    description:
      'Slack app-level token (`xapp-...`): when set, the bot uses Socket Mode and needs no public URL.',
  }),
  slackApiUrl: optional({
    env: 'SLACK_API_URL',
    value: textValue(),
    description:
      "Base URL of the Slack Web API, default Slack's (`https://slack.com/api/`); point it at a proxy or a test server.",
  }),
  slackChannel: optional({
    env: 'AEGIS_SLACK_CHANNEL',
    value: textValue(),
    description: 'Default channel (id or name) for alert threads.',
  }),
  slackRoutes: optional({
    env: 'AEGIS_SLACK_ROUTES',
    value: jsonListValue(),
    description:
      'Channel routing, first match wins: a JSON list such as `[{"channel":"C0GPU","type":"Gpu.*"},{"channel":"C0ONCALL","severity":["critical"]},{"channel":"C0ML","namespace":"ml"}]`.',
  }),
  slackStormThreshold: required({
    env: 'AEGIS_SLACK_STORM_THRESHOLD',
    value: integerValue(1, 10_000),
    default: 5,
    description:
      'More alerts than this of one type within the storm window are grouped under one Slack message.',
  }),
  slackStormWindowMs: required({
    env: 'AEGIS_SLACK_STORM_WINDOW',
    value: durationValue(1_000, 86_400_000),
    default: 60_000,
    defaultText: '60s',
    description: 'The storm window (see AEGIS_SLACK_STORM_THRESHOLD).',
  }),
  openaiBaseUrl: optional({
    env: 'OPENAI_BASE_URL',
    value: textValue(),
    description:
      'Base URL of an OpenAI-compatible API (OpenAI, vLLM, Ollama, LiteLLM…), e.g. `http://llm:8000/v1`. Unset: every LLM feature is off; the rest of Aegis works.',
  }),
  openaiApiKey: optional({
    env: 'OPENAI_API_KEY',
    value: textValue(),
    secret: true,
    description: 'API key for OPENAI_BASE_URL (any non-empty value for servers that need none).',
  }),
  llmModel: optional({
    env: 'AEGIS_LLM_MODEL',
    value: textValue(),
    description: 'Model name, e.g. `gpt-4o-mini` or `qwen2.5-72b-instruct`; required with OPENAI_BASE_URL.',
  }),
  llmTimeoutMs: required({
    env: 'AEGIS_LLM_TIMEOUT',
    value: durationValue(1_000, 600_000),
    default: 60_000,
    defaultText: '60s',
    description: 'Timeout of one model call.',
  }),
  llmMaxRetries: required({
    env: 'AEGIS_LLM_MAX_RETRIES',
    value: integerValue(0, 10),
    default: 2,
    description: 'Retries of a failed model call (429, 5xx, timeouts).',
  }),
  llmConcurrency: required({
    env: 'AEGIS_LLM_CONCURRENCY',
    value: integerValue(1, 256),
    default: 4,
    description: 'Model calls in flight at once per process.',
  }),
  llmTurnMaxSteps: required({
    env: 'AEGIS_LLM_TURN_MAX_STEPS',
    value: integerValue(1, 100),
    default: 8,
    description: 'Model calls (tool-use steps) one question may take before the agent stops and says so.',
  }),
  llmTurnMaxTokens: required({
    env: 'AEGIS_LLM_TURN_MAX_TOKENS',
    value: integerValue(1_000, 10_000_000),
    default: 60_000,
    description: 'Tokens one question may spend.',
  }),
  llmChannelDailyTokens: optional({
    env: 'AEGIS_LLM_CHANNEL_DAILY_TOKENS',
    value: integerValue(1_000, 1_000_000_000),
    description: 'Tokens one Slack channel may spend per UTC day; unset: no per-channel limit.',
  }),
  llmDailyTokens: optional({
    env: 'AEGIS_LLM_DAILY_TOKENS',
    value: integerValue(1_000, 10_000_000_000),
    description: 'Tokens Aegis may spend per UTC day in all; unset: no global limit.',
  }),
  redactPatterns: optional({
    env: 'AEGIS_REDACT_PATTERNS',
    value: textValue(),
    description:
      'Extra patterns masked in everything sent to the LLM: one regular expression per line, or a JSON list.',
  }),
  promptsDir: optional({
    env: 'AEGIS_PROMPTS_DIR',
    value: textValue(),
    description:
      'Directory whose `agent.md` / `alert-parse.md` override the built-in prompts (mount a ConfigMap there).',
  }),
  logLevel: required({
    env: 'LOG_LEVEL',
    value: choiceValue(logLevels),
    default: 'info',
    description: `Log level: ${logLevels.join(', ')}.`,
  }),
  kubernetesServiceHost: optional({
    env: 'KUBERNETES_SERVICE_HOST',
    value: textValue(),
    inFile: false,
    description:
      'Set by Kubernetes inside a pod; with the service account token it selects in-cluster access.',
  }),
  kubernetesServicePort: optional({
    env: 'KUBERNETES_SERVICE_PORT',
    value: integerValue(1, 65535),
    inFile: false,
    description: 'Set by Kubernetes inside a pod, together with `KUBERNETES_SERVICE_HOST`.',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;

export type SettingKey = keyof typeof settings;

type ConfigShape = { [Key in SettingKey]: (typeof settings)[Key]['schema'] };

function buildSchema(): z.ZodObject<ConfigShape> {
  const shape = Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, setting.schema]));
  return z.object(shape as ConfigShape);
}

/** The one schema for all settings; its input is the merged (file, then environment) raw values. */
export const configSchema = buildSchema();

export type AegisConfig = z.output<typeof configSchema>;

export const settingKeys = Object.keys(settings) as SettingKey[];
