import { resolve } from 'node:path';
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
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({
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
  dependencies.print(`${kubectlInstructions(sandbox.url, kubeconfigPath)}Stop it with Ctrl-C.\n`);
  return { url: sandbox.url, kubeconfigPath, close: () => sandbox.close() };
}
