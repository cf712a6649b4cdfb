import { Command, InvalidArgumentError } from 'commander';

export interface SandboxFlags {
  port?: number;
  nodes?: number;
  kubeconfigOut?: string;
}

/** What each command does; main.ts supplies them, so parsing the command line stays free of side effects. */
export interface CommandHandlers {
  serve(): Promise<void>;
  sandbox(flags: SandboxFlags): Promise<void>;
  version(): Promise<void>;
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

/** The `aegis` command line. Call `parseAsync(argv)` on the result. */
export function createProgram(handlers: CommandHandlers, output: ProgramOutput): Command {
  const program = new Command('aegis')
    .description(
      'Chat-ops for Kubernetes operations: alerts become AegisAlert objects, rules run SOP workflows.',
    )
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr })
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description(
      'Run Aegis: the HTTP server (/healthz, /readyz, /metrics); starts the sandbox and a local Redis when needed',
    )
    .action(async () => await handlers.serve());

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
    .action(async (flags: SandboxFlags) => await handlers.sandbox(flags));

  program
    .command('version')
    .description('Print the Aegis version')
    .action(async () => await handlers.version());

  return program;
}
