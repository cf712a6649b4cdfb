import { Command, InvalidArgumentError, Option } from 'commander';
import type { ChatCommandHandlers } from './chat-command.js';
import type { CheckCommandHandlers } from './check-commands.js';
import type { DiagnoseCommandHandlers } from './diagnose-command.js';
import {
  addChatCommand,
  addCheckCommands,
  addDiagnoseCommand,
  addRuleCommands,
  addTemplateCommands,
} from './command-registrations.js';
import type { RuleCommandHandlers } from './rule-commands.js';
import type { TemplateCommandHandlers } from './template-commands.js';

export interface ServeFlags {
  /** Check the port, Redis and the API server once, print what is wrong, exit 0 or 1. */
  check?: boolean;
}

export interface SandboxFlags {
  port?: number;
  nodes?: number;
  kubeconfigOut?: string;
  /** `true` (flag alone) or a plan file: enables fault injection and its admin routes. */
  faults?: string | true;
}

export const alertSendRoutes = ['default', 'alertmanager', 'ai'] as const;
export type AlertSendRoute = (typeof alertSendRoutes)[number];

export interface AlertSendFlags {
  url?: string;
  route?: AlertSendRoute;
  file?: string;
  type?: string;
  status?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  node?: string;
  detail?: string[];
  fingerprint?: string;
  token?: string;
  hmacSecret?: string;
}

export interface ApprovalFlags {
  as: string;
  reason?: string;
  namespace?: string;
  url?: string;
  token?: string;
}

/** What each command does; main.ts supplies them, so parsing the command line stays free of side effects. */
export interface CommandHandlers
  extends
    TemplateCommandHandlers,
    RuleCommandHandlers,
    ChatCommandHandlers,
    CheckCommandHandlers,
    DiagnoseCommandHandlers {
  serve(flags: ServeFlags): Promise<void>;
  sandbox(flags: SandboxFlags): Promise<void>;
  version(): Promise<void>;
  alertSend(flags: AlertSendFlags): Promise<void>;
  approval(decision: 'approve' | 'reject', alert: string, flags: ApprovalFlags): Promise<void>;
}

export interface ProgramOutput {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
}

function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    }
    return parsed;
  };
}

/**
 * The `aegis` command line. Call `parseAsync(argv)` on the result. With `version` given, `aegis --version`
 * (and `-V`) prints it as `aegis version` does.
 */
export function createProgram(handlers: CommandHandlers, output: ProgramOutput, version?: string): Command {
  const program = new Command('aegis')
    .description(
      'Chat-ops for Kubernetes operations: alerts become AegisAlert objects, rules run SOP workflows.',
    )
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr })
    .showHelpAfterError()
    .exitOverride();
  if (version !== undefined) program.version(`aegis ${version}`, '-V, --version', 'print the Aegis version');

  program
    .command('serve')
    .description(
      'Run Aegis: the HTTP server (/healthz, /readyz, /metrics); starts the sandbox and a local Redis when needed',
    )
    .option(
      '--check',
      'check once that the HTTP port is free and Redis and the Kubernetes API server answer, then exit (0: all good, 1: not)',
    )
    .action(async (flags: ServeFlags) => await handlers.serve(flags));

  program
    .command('sandbox')
    .description('Run the sandbox Kubernetes API server on its own, until interrupted')
    .option(
      '--port <port>',
      'port on 127.0.0.1 (default: AEGIS_SANDBOX_PORT, 0 = a free port)',
      integerOption(0, 65535),
    )
    .option('--nodes <count>', 'simulated nodes (default: AEGIS_SANDBOX_NODES)', integerOption(0, 1000))
    .option(
      '--kubeconfig-out <file>',
      'where to write the kubeconfig (default: <AEGIS_STATE_DIR>/sandbox.kubeconfig)',
    )
    .option(
      '--faults [plan-file]',
      'enable fault injection (errors, latency, watch faults, pauses) and its /_sandbox/ admin routes; a JSON or YAML plan file applies at start (docs/sandbox.md)',
    )
    .action(async (flags: SandboxFlags) => await handlers.sandbox(flags));

  const alert = program.command('alert').description('Work with alerts');
  alert
    .command('send')
    .description(
      'Post a test alert to a running Aegis, from a file (any format) or from flags (custom format), and print the answer',
    )
    .option(
      '--url <url>',
      'Aegis base URL, with any route prefix (default: AEGIS_URL, else http://127.0.0.1:8080)',
    )
    .addOption(
      new Option(
        '--route <route>',
        'webhook route (default: guessed from --file; default for flags)',
      ).choices(alertSendRoutes),
    )
    .option(
      '--file <file>',
      'payload to post as is: Alertmanager webhook JSON, custom alert JSON, or any text',
    )
    .option('--type <type>', 'alert type, e.g. NodeHasEmergencyEvent (required without --file)')
    .option('--status <status>', 'Firing or Resolved', 'Firing')
    .option('--kind <kind>', 'kind of the involved object: Node, Pod, Cluster, ...', 'Node')
    .option('--name <name>', 'name of the involved object (required without --file)')
    .option('--namespace <namespace>', 'namespace of the involved object (required for a Pod)')
    .option('--node <node>', 'node of the involved object')
    .option('--detail <key=value>', 'a detail (repeatable)', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option(
      '--fingerprint <fingerprint>',
      'fingerprint (default: derived from type, kind, namespace and name)',
    )
    .option('--token <token>', 'bearer token (default: AEGIS_WEBHOOK_TOKEN)')
    .option(
      '--hmac-secret <secret>',
      'sign the body with this HMAC secret (default: AEGIS_WEBHOOK_HMAC_SECRET)',
    )
    .action(async (flags: AlertSendFlags) => await handlers.alertSend(flags));

  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(`${decision} <alert>`)
      .description(
        `${decision === 'approve' ? 'Approve' : 'Reject'} the run an AegisAlert waits for, through the Aegis server's API (AEGIS_URL, token AEGIS_API_TOKEN)`,
      )
      .requiredOption(
        '--as <id>',
        'who decides: a chat user id (e.g. U0123ABCD); must be the identity your token is bound to',
      )
      .option('--reason <reason>', 'why, recorded in the approval history')
      .option('-n, --namespace <namespace>', 'namespace of the alert (default: AEGIS_NAMESPACE)')
      .option('--url <url>', 'the Aegis server (default: AEGIS_URL, else http://127.0.0.1:8080)')
      .option('--token <token>', 'bearer token of the Aegis API (default: AEGIS_API_TOKEN)')
      .action(async (alert: string, flags: ApprovalFlags) => await handlers.approval(decision, alert, flags));
  }

  addTemplateCommands(program, handlers);
  addRuleCommands(program, handlers);
  addChatCommand(program, handlers);
  addCheckCommands(program, handlers);
  addDiagnoseCommand(program, handlers);

  program
    .command('version')
    .description('Print the Aegis version')
    .action(async () => await handlers.version());

  return program;
}
