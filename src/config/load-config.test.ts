import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig, renderSettingsMarkdown, settings } from './index.js';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const files = (content: Record<string, string>) => (path: string) => {
  const text = content[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};

describe('loadConfig', () => {
  it('gives every default for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      configFile: undefined,
      httpHost: '0.0.0.0',
      httpPort: 8080,
      namespace: 'monitoring',
      redisUrl: undefined,
      kubeconfig: undefined,
      sandbox: 'auto',
      sandboxPort: 0,
      sandboxNodes: 3,
      stateDir: '.aegis',
      startupTimeoutMs: undefined,
      shutdownTimeoutMs: 20_000,
      logLevel: 'info',
      kubernetesServiceHost: undefined,
      kubernetesServicePort: undefined,
      queuePrefix: 'aegis',
      webhookTokens: undefined,
      webhookHmacSecret: undefined,
      webhookAuth: 'required',
      webhookHmacTimestamp: 'required',
      alertMaxDetails: 256,
      alertMaxDetailsSize: 65_536,
      webhookBodyLimit: 1_048_576,
      healthChecks: 'true',
      healthCheckNamespace: 'aegis-healthchecks',
      healthCheckNodeTimeoutMs: 300_000,
      healthCheckRoundTimeoutMs: 600_000,
      healthCheckHistory: 10,
      healthCheckNodeEvents: 'false',
      healthCheckAlerts: 'true',
      diagnosisConcurrency: 8,
      diagnosisTimeoutMs: 300_000,
      diagnosisTtlMs: 604_800_000,
      diagnosisLogKeywords: [
        'error',
        'fail',
        'exception',
        'traceback',
        'fatal',
        'panic',
        'killed',
        'oom',
        'nccl',
        'cuda',
        'xid',
      ],
      diagnosisLogFetchLines: 1_000,
      diagnosisLogMaxLines: 60,
      diagnosisCollector: 'false',
      diagnosisCollectorImage: 'ubuntu:22.04',
      diagnosisCollectorCommand: 'builtin',
      language: 'English',
      routePrefix: undefined,
      ingestConcurrency: 16,
      reconcileConcurrency: 16,
      dedupWindowMs: 3_600_000,
      countFlushIntervalMs: 250,
      systemParameters: {},
      alertTtlAfterSuccessMs: 86_400_000,
      alertTtlAfterFailureMs: 259_200_000,
      alertTtlAfterNoOpsMs: 86_400_000,
      alertTtlAfterUnmatchedMs: 86_400_000,
      ruleNamespaces: undefined,
      workflowServiceAccounts: ['aegis-workflow'],
      aegisUrl: undefined,
      approvalDefault: 'none',
      apiTokens: undefined,
      slackBotToken: undefined,
      slackSigningSecret: undefined,
      slackAppToken: undefined,
      slackApiUrl: undefined,
      slackChannel: undefined,
      slackRoutes: undefined,
      slackOperators: undefined,
      silenceMaxMs: 7 * 86_400_000,
      slackStormThreshold: 5,
      slackStormWindowMs: 60_000,
      openaiBaseUrl: undefined,
      openaiApiKey: undefined,
      llmModel: undefined,
      llmTimeoutMs: 60_000,
      llmMaxRetries: 2,
      llmConcurrency: 4,
      llmTurnMaxSteps: 8,
      llmTurnMaxTokens: 60_000,
      llmChannelDailyTokens: undefined,
      llmDailyTokens: undefined,
      redactPatterns: undefined,
      llmTracing: 'off',
      promptsDir: undefined,
    });
  });

  it('reads durations, sizes, lists and key=value maps, and says what is wrong with a bad one', () => {
    const config = loadConfig({
      AEGIS_DEDUP_WINDOW: '1h30m',
      AEGIS_WEBHOOK_BODY_LIMIT: '512KiB',
      AEGIS_WEBHOOK_TOKEN: 'new-token, old-token',
      AEGIS_SYSTEM_PARAMETERS: 'cluster=gpu-prod, region=eu-1',
      AEGIS_COUNT_FLUSH_INTERVAL: '100ms',
    });
    expect(config.dedupWindowMs).toBe(5_400_000);
    expect(config.webhookBodyLimit).toBe(524_288);
    expect(config.webhookTokens).toEqual(['new-token', 'old-token']);
    expect(config.systemParameters).toEqual({ cluster: 'gpu-prod', region: 'eu-1' });
    expect(config.countFlushIntervalMs).toBe(100);
    expect(() => loadConfig({ AEGIS_DEDUP_WINDOW: 'soon' })).toThrow(
      /AEGIS_DEDUP_WINDOW: expected a duration like 30s/,
    );
    expect(() => loadConfig({ AEGIS_SYSTEM_PARAMETERS: 'cluster' })).toThrow(
      /AEGIS_SYSTEM_PARAMETERS: expected key=value pairs/,
    );
    expect(() => loadConfig({ AEGIS_WEBHOOK_TOKEN: 'abc', AEGIS_WEBHOOK_BODY_LIMIT: '10GB' })).toThrow(
      /AEGIS_WEBHOOK_BODY_LIMIT: expected a size in bytes/,
    );
  });

  it('reads and converts environment variables, treating empty ones as unset', () => {
    const config = loadConfig({
      AEGIS_HTTP_PORT: '9090',
      AEGIS_HTTP_HOST: '127.0.0.1',
      AEGIS_NAMESPACE: 'ops',
      REDIS_URL: 'redis://127.0.0.1:6390',
      KUBECONFIG: '/a/config:/b/config',
      AEGIS_SANDBOX: 'TRUE',
      AEGIS_SANDBOX_PORT: '6443',
      AEGIS_SANDBOX_NODES: '5',
      AEGIS_STATE_DIR: '/var/lib/aegis',
      LOG_LEVEL: 'debug',
      KUBERNETES_SERVICE_HOST: '',
    });
    expect(config).toMatchObject({
      httpPort: 9090,
      httpHost: '127.0.0.1',
      namespace: 'ops',
      redisUrl: 'redis://127.0.0.1:6390',
      kubeconfig: '/a/config:/b/config',
      sandbox: 'true',
      sandboxPort: 6443,
      sandboxNodes: 5,
      stateDir: '/var/lib/aegis',
      logLevel: 'debug',
    });
    expect(config.kubernetesServiceHost).toBeUndefined();
  });

  it.each([
    ['AEGIS_HTTP_PORT', 'abc', 'AEGIS_HTTP_PORT: expected an integer from 1 to 65535, got "abc"'],
    ['AEGIS_HTTP_PORT', '0', 'AEGIS_HTTP_PORT: expected an integer from 1 to 65535, got "0"'],
    ['AEGIS_HTTP_PORT', '80.5', 'AEGIS_HTTP_PORT: expected an integer from 1 to 65535, got "80.5"'],
    ['AEGIS_SANDBOX_PORT', '70000', 'AEGIS_SANDBOX_PORT: expected an integer from 0 to 65535, got "70000"'],
    ['AEGIS_SANDBOX_NODES', '-1', 'AEGIS_SANDBOX_NODES: expected an integer from 0 to 1000, got "-1"'],
    ['AEGIS_SANDBOX', 'yes', 'AEGIS_SANDBOX: expected one of auto, true, false, got "yes"'],
    [
      'LOG_LEVEL',
      'verbose',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    ],
    [
      'AEGIS_NAMESPACE',
      'Ops_Team',
      `AEGIS_NAMESPACE: expected a Kubernetes namespace name (lowercase letters, digits and '-', at most 63 characters), got "Ops_Team"`,
    ],
    [
      'KUBERNETES_SERVICE_PORT',
      'https',
      'KUBERNETES_SERVICE_PORT: expected an integer from 1 to 65535, got "https"',
    ],
  ])('reports %s=%s', (name, value, message) => {
    expect(problemsOf(() => loadConfig({ [name]: value }))).toEqual([message]);
  });

  it('never echoes a secret setting in its message', () => {
    const [problem] = problemsOf(() => loadConfig({ REDIS_URL: 'http://user:hunter2@redis:6379' }));
    expect(problem).toBe(
      'REDIS_URL: expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379, got <redacted>',
    );
  });

  it('lists every problem at once in the message', () => {
    const run = () => loadConfig({ AEGIS_HTTP_PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(problemsOf(run)).toHaveLength(2);
    expect(run).toThrow(/Invalid configuration \(2 problems\):\n {2}AEGIS_HTTP_PORT: .*\n {2}LOG_LEVEL: /);
  });

  it('reads the YAML file and lets the environment override it', () => {
    const readFile = files({
      '/etc/aegis.yaml': 'httpPort: 9000\nnamespace: ops\nsandbox: false\nlogLevel: warn\n',
    });
    const config = loadConfig({ AEGIS_CONFIG_FILE: '/etc/aegis.yaml', LOG_LEVEL: 'debug' }, readFile);
    expect(config).toMatchObject({
      configFile: '/etc/aegis.yaml',
      httpPort: 9000,
      namespace: 'ops',
      sandbox: 'false',
      logLevel: 'debug',
    });
  });

  it('names the file and key of a bad file value', () => {
    const readFile = files({ '/etc/aegis.yaml': 'httpPort: "abc"\nsandboxNodes: [1]\n' });
    expect(problemsOf(() => loadConfig({ AEGIS_CONFIG_FILE: '/etc/aegis.yaml' }, readFile))).toEqual([
      '/etc/aegis.yaml: httpPort: expected an integer from 1 to 65535, got "abc"',
      '/etc/aegis.yaml: sandboxNodes: expected an integer from 0 to 1000, got [1]',
    ]);
  });

  it('refuses unknown and environment-only file keys by name', () => {
    const readFile = files({
      '/c.yaml': 'httpport: 1\nAEGIS_NAMESPACE: x\nbogus: 2\nconfigFile: other.yaml\n',
    });
    expect(problemsOf(() => loadConfig({ AEGIS_CONFIG_FILE: '/c.yaml' }, readFile))).toEqual([
      '/c.yaml: unknown key "httpport" (did you mean "httpPort"?)',
      '/c.yaml: unknown key "AEGIS_NAMESPACE" (did you mean "namespace"?)',
      '/c.yaml: unknown key "bogus"',
      '/c.yaml: "configFile" can only be set in the environment (AEGIS_CONFIG_FILE)',
    ]);
  });

  it('reports a missing file, bad YAML and a file that is not a mapping', () => {
    expect(problemsOf(() => loadConfig({ AEGIS_CONFIG_FILE: '/missing.yaml' }, files({})))).toEqual([
      `AEGIS_CONFIG_FILE: cannot read "/missing.yaml": ENOENT: no such file or directory, open '/missing.yaml'`,
    ]);
    const [yamlProblem] = problemsOf(() =>
      loadConfig({ AEGIS_CONFIG_FILE: '/bad.yaml' }, files({ '/bad.yaml': 'a: [1\n' })),
    );
    expect(yamlProblem).toMatch(/^\/bad\.yaml: not valid YAML: /);
    expect(
      problemsOf(() => loadConfig({ AEGIS_CONFIG_FILE: '/list.yaml' }, files({ '/list.yaml': '- 1\n' }))),
    ).toEqual(['/list.yaml: expected a mapping of settings (camelCase keys such as httpPort), got a list']);
  });

  it('accepts an empty file', () => {
    expect(loadConfig({ AEGIS_CONFIG_FILE: '/empty.yaml' }, files({ '/empty.yaml': '' })).httpPort).toBe(
      8080,
    );
  });
});

describe('renderSettingsMarkdown', () => {
  it('has one row per setting with its default', () => {
    const table = renderSettingsMarkdown();
    const rows = table.trimEnd().split('\n');
    expect(rows).toHaveLength(2 + Object.keys(settings).length);
    expect(rows).toContain('| `AEGIS_HTTP_PORT` | `httpPort` | `8080` | Port of the HTTP server. |');
    expect(table).toMatch(/^\| `AEGIS_CONFIG_FILE` \| — \| unset \| /m);
  });
});

describe('redactConfig', () => {
  it('hides secrets and leaves out unset values', () => {
    const shown = redactConfig(loadConfig({ REDIS_URL: 'redis://:pw@127.0.0.1:6379' }));
    expect(shown.redisUrl).toBe('<redacted>');
    expect(shown).not.toHaveProperty('kubeconfig');
    expect(shown.httpPort).toBe(8080);
  });
});

describe('replaceSettingsSection', () => {
  it('rewrites only the text between the markers', async () => {
    const { settingsSectionEnd, settingsSectionStart, replaceSettingsSection } = await import('./index.js');
    const readme = `# Aegis\n\n${settingsSectionStart}\nold table\n${settingsSectionEnd}\n\nMore.\n`;
    const updated = replaceSettingsSection(readme);
    expect(updated).toBe(
      `# Aegis\n\n${settingsSectionStart}\n${renderSettingsMarkdown()}${settingsSectionEnd}\n\nMore.\n`,
    );
    expect(replaceSettingsSection(updated ?? '')).toBe(updated);
    expect(replaceSettingsSection('# no markers')).toBeUndefined();
  });
});
