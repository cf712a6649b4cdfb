import { z } from 'zod';
import type { ValueKind } from './value-kinds.js';
import { choiceValue, integerValue, namespaceValue, redisUrlValue, textValue } from './value-kinds.js';

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
  input: SettingInput<Output> & { default: NoInfer<Output> },
): SettingDefinition<Output> {
  return {
    env: input.env,
    inFile: input.inFile ?? true,
    secret: input.secret ?? false,
    description: input.description,
    defaultText: String(input.default),
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
