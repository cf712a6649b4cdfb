import { realpathSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { packageVersion } from './cli/package-version.js';
import { createProgram } from './cli/program.js';
import { isConfigError, loadConfigFromProcess, redactConfig } from './config/index.js';
import { isAegisError } from './core/errors.js';
import { createLogger } from './logging/index.js';

/**
 * Composition root. Reads the configuration once, builds the logger, and hands both to the command that runs.
 * Nothing happens on import; `bin/aegis.js` and `npm start` call `main()`.
 */
export interface MainOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: MainOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/**
 * The command implementations, each loaded when its command runs and only then: building the command line (and
 * `aegis version` or `--help`) loads none of them, and `aegis alert send` loads neither client-node, BullMQ,
 * Bolt nor langchain. The composition root reaches into cli/ file by file on purpose: importing cli/index.ts
 * would load every command's dependencies (bench/cli.ts measures the start-up of each command).
 */
const commandModules = {
  serve: async () => await import('./cli/start-serve.js'),
  serveCheck: async () => await import('./cli/serve-dependencies.js'),
  sandbox: async () => await import('./cli/start-standalone-sandbox.js'),
  alertSend: async () => await import('./cli/alert-send.js'),
  approval: async () => await import('./cli/approval-commands.js'),
  template: async () => await import('./cli/template-commands.js'),
  chat: async () => await import('./cli/chat-command.js'),
  chatWithoutLlm: async () => await import('./cli/chat-without-llm.js'),
  rule: async () => await import('./cli/rule-commands.js'),
  ruleLint: async () => await import('./cli/rule-lint.js'),
  check: async () => await import('./cli/check-commands.js'),
  diagnose: async () => await import('./cli/diagnose-command.js'),
  /** platform/index.ts loads ioredis (its Redis helpers): only the long-running commands need its signal handling. */
  platform: async () => await import('./platform/index.js'),
};

/** Run the `aegis` command line; resolves with the exit code (long-running commands exit via signals). */
export async function main(argv: readonly string[], output: MainOutput = processOutput): Promise<number> {
  /** A command that ends with a code of its own (`aegis chat` without an LLM: 2). */
  let exitCode = 0;
  const program = createProgram(
    {
      serve: async (flags) => {
        const config = loadConfigFromProcess();
        if (flags.check === true) {
          exitCode = await (await commandModules.serveCheck()).checkServe(config, output.stdout);
          return;
        }
        const logger = createLogger({ level: config.logLevel });
        logger.info({ config: redactConfig(config) }, 'starting aegis serve');
        const { startServe } = await commandModules.serve();
        const { shutdownOnSignal } = await commandModules.platform();
        const started: { serve?: Promise<{ close(): Promise<void> }> } = {};
        const shutdown = shutdownOnSignal({
          logger,
          timeoutMs: config.shutdownTimeoutMs,
          // A signal during start-up aborts it (startServe then stops what it started); after, stop everything.
          close: async () => await (await started.serve?.catch(() => undefined))?.close(),
        });
        started.serve = startServe(config, { logger, print: output.stdout, signal: shutdown.requested });
        try {
          await started.serve;
        } catch (error) {
          if (shutdown.requested.aborted) return await runUntilExit();
          shutdown.dispose();
          throw error;
        }
        await runUntilExit();
      },
      sandbox: async (flags) => {
        const config = loadConfigFromProcess();
        const logger = createLogger({ level: config.logLevel });
        const { startStandaloneSandbox } = await commandModules.sandbox();
        const { shutdownOnSignal } = await commandModules.platform();
        const running = await startStandaloneSandbox(config, flags, { logger, print: output.stdout });
        shutdownOnSignal({ logger, timeoutMs: config.shutdownTimeoutMs, close: () => running.close() });
        await runUntilExit();
      },
      version: async () => output.stdout(`aegis ${await packageVersion()}\n`),
      alertSend: async (flags) => {
        const { alertSendDefaultsFrom, sendAlert } = await commandModules.alertSend();
        const defaults = alertSendDefaultsFrom(loadConfigFromProcess());
        await sendAlert(flags, defaults, { print: output.stdout });
      },
      approval: async (decision, alert, flags) => {
        const config = loadConfigFromProcess();
        const { approvalDefaultsFrom, runApprovalCommand } = await commandModules.approval();
        await runApprovalCommand(decision, alert, flags, approvalDefaultsFrom(config), {
          print: output.stdout,
        });
      },
      templateRender: async (options) => {
        const config = loadConfigFromProcess();
        const { renderTemplateCommand } = await commandModules.template();
        await renderTemplateCommand(options, config, { print: output.stdout });
      },
      chat: async (flags) => {
        const config = loadConfigFromProcess();
        const { chatLlmConfigured, noLlmMessage } = await commandModules.chatWithoutLlm();
        if (!chatLlmConfigured(config)) {
          // Said without loading the agent (langchain), client-node or ioredis: nothing to talk to.
          output.stdout(noLlmMessage);
          exitCode = 2;
          return;
        }
        const logger = createLogger({ level: config.logLevel });
        const { chatAgentSettingsFrom, chatLlmFrom, startChat } = await commandModules.chat();
        exitCode = await startChat(flags, config, {
          llm: chatLlmFrom(config, logger),
          settings: chatAgentSettingsFrom(config),
          terminal: { input: process.stdin, write: output.stdout },
          logger,
        });
      },
      ruleLint: async (files) =>
        await (await commandModules.ruleLint()).lintRuleFiles(files, { print: output.stdout }),
      ruleCreate: async (file, options) => {
        const { kube, defaultNamespace } = await ruleTarget(options.kubeconfig);
        await (
          await commandModules.rule()
        ).createRulesFromFile(file, { ...options, defaultNamespace }, kube, { print: output.stdout });
      },
      ruleCreateFromScript: async (name, flags) => {
        const commands = await commandModules.rule();
        if (flags.dryRun === true) {
          const defaultNamespace = loadConfigFromProcess().namespace;
          return await commands.createRuleFromScript(name, { ...flags, defaultNamespace }, undefined, {
            print: output.stdout,
          });
        }
        const { kube, defaultNamespace } = await ruleTarget(flags.kubeconfig);
        await commands.createRuleFromScript(name, { ...flags, defaultNamespace }, kube, {
          print: output.stdout,
        });
      },
      ruleGet: async (name, options) => {
        const { kube, defaultNamespace } = await ruleTarget(options.kubeconfig);
        await (
          await commandModules.rule()
        ).getRules(name, { ...options, defaultNamespace }, kube, { print: output.stdout });
      },
      checkNode: async (node, options) => {
        const { clients, defaultNamespace } = await checkTarget(options.kubeconfig);
        exitCode = await (
          await commandModules.check()
        ).checkNode(node, { ...options, defaultNamespace }, clients, { print: output.stdout });
      },
      checkList: async (options) => {
        const { clients, defaultNamespace } = await checkTarget(options.kubeconfig);
        await (
          await commandModules.check()
        ).listChecks({ ...options, defaultNamespace }, clients, { print: output.stdout });
      },
      diagnose: async (kind, name, options) => {
        const config = loadConfigFromProcess();
        const { connectCliKubernetes } = await commandModules.rule();
        const module = await commandModules.diagnose();
        const store = module.diagnosisClientFrom(connectCliKubernetes(config, options.kubeconfig));
        exitCode = await module.diagnose(
          kind,
          name,
          { ...options, defaultNamespace: config.namespace, requestedBy: `cli-${userInfo().username}` },
          store,
          { print: output.stdout },
        );
      },
      ruleDelete: async (name, options) => {
        const { kube, defaultNamespace } = await ruleTarget(options.kubeconfig);
        await (
          await commandModules.rule()
        ).deleteRule(name, { ...options, defaultNamespace }, kube, { print: output.stdout });
      },
    },
    { writeOut: output.stdout, writeErr: output.stderr },
    await packageVersion(),
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, output);
  }
}

/** The cluster and default namespace of the `aegis check` commands. */
async function checkTarget(kubeconfig: string | undefined) {
  const config = loadConfigFromProcess();
  const { connectCliKubernetes } = await commandModules.rule();
  const { checkClientsFrom } = await commandModules.check();
  return {
    clients: checkClientsFrom(connectCliKubernetes(config, kubeconfig)),
    defaultNamespace: config.healthCheckNamespace,
  };
}

/** The cluster and default namespace of the `aegis rule` commands. */
async function ruleTarget(kubeconfig: string | undefined) {
  const config = loadConfigFromProcess();
  const { connectCliKubernetes, ruleKubeFrom } = await commandModules.rule();
  const clients = connectCliKubernetes(config, kubeconfig);
  return { kube: ruleKubeFrom(clients), defaultNamespace: config.namespace };
}

/** Exit codes: 2 for configuration and usage errors and a taken port (message only), 1 for anything else. */
function reportFailure(error: unknown, output: MainOutput): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (isConfigError(error)) {
    output.stderr(`${error.message}\n`);
    return 2;
  }
  if (isAegisError(error)) {
    output.stderr(`aegis: ${error.message}\n`);
    // A taken port is a setting to change (AEGIS_HTTP_PORT), like any configuration error.
    return error.code === 'HTTP_PORT_IN_USE' ? 2 : 1;
  }
  output.stderr(
    `aegis: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}

/** A long-running command never returns: the shutdown handler ends the process (exit 0 after a clean stop). */
async function runUntilExit(): Promise<never> {
  return await new Promise<never>(() => undefined);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
