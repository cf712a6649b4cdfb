import type { SettingDefinition } from './setting-definition.js';
import { optionalSetting, requiredSetting } from './setting-definition.js';
import { choiceValue, durationValue, integerValue, namespaceValue, redisUrlValue, textValue } from './value-kinds.js';

export const sandboxModes = ['auto', 'true', 'false'] as const;
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Where the process runs and what it talks to: its settings file, the HTTP server, the alert namespace, Redis,
 * cluster access (kubeconfig, sandbox), local state and the queue key prefix.
 */
export const runtimeSettings = {
  configFile: optionalSetting({
    env: 'AEGIS_CONFIG_FILE',
    value: textValue(),
    inFile: false,
    description:
      'YAML file with settings under the camelCase keys of this table; environment variables override it.',
  }),
  httpHost: requiredSetting({
    env: 'AEGIS_HTTP_HOST',
    value: textValue(),
    default: '0.0.0.0',
    description: 'Address the HTTP server (health, readiness, metrics, webhooks) listens on.',
  }),
  httpPort: requiredSetting({
    env: 'AEGIS_HTTP_PORT',
    value: integerValue(1, 65535),
    default: 8080,
    description: 'Port of the HTTP server.',
  }),
  namespace: requiredSetting({
    env: 'AEGIS_NAMESPACE',
    value: namespaceValue(),
    default: 'monitoring',
    description: 'Namespace where alerts are published as AegisAlert objects.',
  }),
  redisUrl: optionalSetting({
    env: 'REDIS_URL',
    value: redisUrlValue(),
    secret: true,
    description:
      'Redis for the queues, e.g. `redis://127.0.0.1:6379`. When unset, `aegis serve` starts a local `redis-server` (it must be on the PATH).',
  }),
  kubeconfig: optionalSetting({
    env: 'KUBECONFIG',
    value: textValue(),
    description:
      'Kubeconfig file(s), a colon-separated list as for kubectl. When unset, `~/.kube/config` is used if it exists.',
  }),
  sandbox: requiredSetting({
    env: 'AEGIS_SANDBOX',
    value: choiceValue(sandboxModes),
    default: 'auto',
    description:
      'Use the built-in sandbox API server: `true`, `false`, or `auto` (only when no kubeconfig and no in-cluster service account is found).',
  }),
  sandboxPort: requiredSetting({
    env: 'AEGIS_SANDBOX_PORT',
    value: integerValue(0, 65535),
    default: 0,
    description: 'Port of the sandbox API server on 127.0.0.1; 0 picks a free port.',
  }),
  sandboxNodes: requiredSetting({
    env: 'AEGIS_SANDBOX_NODES',
    value: integerValue(0, 1000),
    default: 3,
    description: 'Simulated nodes the sandbox starts with.',
  }),
  stateDir: requiredSetting({
    env: 'AEGIS_STATE_DIR',
    value: textValue(),
    default: '.aegis',
    description:
      'Directory for local state: the sandbox kubeconfig (`sandbox.kubeconfig`) and the files of a local Redis.',
  }),
  startupTimeoutMs: optionalSetting({
    env: 'AEGIS_STARTUP_TIMEOUT',
    value: durationValue(1_000, 86_400_000),
    description:
      'Give up and exit 1 when Redis or the Kubernetes API server is still unreachable after this long (e.g. `2m`). Unset: keep waiting, with `/healthz` up and `/readyz` saying what is missing.',
  }),
  shutdownTimeoutMs: requiredSetting({
    env: 'AEGIS_SHUTDOWN_TIMEOUT',
    value: durationValue(1_000, 600_000),
    default: 20_000,
    defaultText: '20s',
    description:
      'On SIGTERM/SIGINT, how long the graceful stop (HTTP drain, workers finishing their jobs, watches, local Redis) may take before the process exits anyway. Keep it below the pod\'s `terminationGracePeriodSeconds`.',
  }),
  queuePrefix: requiredSetting({
    env: 'AEGIS_QUEUE_PREFIX',
    value: textValue(),
    default: 'aegis',
    description:
      'Prefix of every Redis key Aegis writes (queues, locks, counters); lets several installations share one Redis.',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;

/**
 * The log level and the variables Kubernetes injects into a pod. Apart from runtimeSettings only because the
 * README table (the composition order in settings.ts) lists them last.
 */
export const processSettings = {
  logLevel: requiredSetting({
    env: 'LOG_LEVEL',
    value: choiceValue(logLevels),
    default: 'info',
    description: `Log level: ${logLevels.join(', ')}.`,
  }),
  kubernetesServiceHost: optionalSetting({
    env: 'KUBERNETES_SERVICE_HOST',
    value: textValue(),
    inFile: false,
    description:
      'Set by Kubernetes inside a pod; with the service account token it selects in-cluster access.',
  }),
  kubernetesServicePort: optionalSetting({
    env: 'KUBERNETES_SERVICE_PORT',
    value: integerValue(1, 65535),
    inFile: false,
    description: 'Set by Kubernetes inside a pod, together with `KUBERNETES_SERVICE_HOST`.',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;
