import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { AegisError } from '../core/errors.js';
import type { AegisConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import { createKubeClients, sandboxKubeconfigPath } from '../kube/index.js';
import { kubectlInstructions } from './kubectl-instructions.js';
import type { SandboxFlags } from './program.js';
import { installAegisCrds } from './start-serve.js';

export interface RunningSandbox {
  readonly url: string;
  readonly kubeconfigPath: string;
  close(): Promise<void>;
}

/** `aegis sandbox`: the sandbox API server alone, with the Aegis CRDs installed, and how to reach it. */
export async function startStandaloneSandbox(
  config: AegisConfig,
  flags: SandboxFlags,
  dependencies: { logger: Logger; print: (text: string) => void; crdDirectory?: string },
): Promise<RunningSandbox> {
  const kubeconfigPath =
    flags.kubeconfigOut === undefined ? sandboxKubeconfigPath(config.stateDir) : resolve(flags.kubeconfigOut);
  // Loaded on demand: production (kubeconfig / in-cluster) never needs the sandbox's code.
  const { startSandbox, parseFaultPlan } = await import('../sandbox/index.js');
  const faults = await readFaultPlan(flags.faults, parseFaultPlan);
  const sandbox = await startSandbox({
    ...(faults === undefined ? {} : { faults }),
    port: flags.port ?? config.sandboxPort,
    nodes: flags.nodes ?? config.sandboxNodes,
    kubeconfigOut: kubeconfigPath,
  });
  try {
    await installAegisCrds(createKubeClients({ yaml: sandbox.kubeconfig }), dependencies);
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  dependencies.logger.info({ url: sandbox.url, kubeconfig: kubeconfigPath }, 'sandbox API server running');
  if (faults !== undefined)
    dependencies.logger.warn(
      { admin: `${sandbox.url}/_sandbox/faults` },
      'fault injection is enabled: this sandbox answers with injected errors and delays when told to',
    );
  dependencies.print(`${kubectlInstructions(sandbox.url, kubeconfigPath)}Stop it with Ctrl-C.\n`);
  return { url: sandbox.url, kubeconfigPath, close: () => sandbox.close() };
}

/** `--faults` alone enables an empty plan; `--faults FILE` reads a JSON or YAML plan and checks it before start. */
async function readFaultPlan(
  flag: string | true | undefined,
  parse: (input: unknown) => unknown,
): Promise<true | Record<string, unknown> | undefined> {
  if (flag === undefined) return undefined;
  if (flag === true) return true;
  let text: string;
  try {
    text = await readFile(flag, 'utf8');
  } catch (error) {
    throw new AegisError('FAULT_PLAN_UNREADABLE', `--faults ${flag}: ${(error as Error).message}`);
  }
  let plan: unknown;
  try {
    plan = YAML.parse(text);
  } catch (error) {
    throw new AegisError(
      'FAULT_PLAN_INVALID',
      `--faults ${flag}: not JSON or YAML: ${(error as Error).message}`,
    );
  }
  try {
    parse(plan);
  } catch (error) {
    throw new AegisError('FAULT_PLAN_INVALID', `--faults ${flag}: ${(error as Error).message}`);
  }
  return (plan ?? {}) as Record<string, unknown>;
}
