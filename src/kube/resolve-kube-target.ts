import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { ConfigError } from '../config/index.js';
import type { AegisConfig } from '../config/index.js';

export const serviceAccountDirectory = '/var/run/secrets/kubernetes.io/serviceaccount';

export type KubeTarget =
  | { mode: 'kubeconfig'; paths: string[]; reason: string }
  | { mode: 'in-cluster'; server: string; tokenPath: string; caPath: string; reason: string }
  | { mode: 'sandbox'; reason: string };

export interface KubeTargetProbe {
  fileExists(path: string): boolean;
  homeDirectory(): string;
  workingDirectory(): string;
}

const realProbe: KubeTargetProbe = {
  fileExists: existsSync,
  homeDirectory: homedir,
  workingDirectory: () => process.cwd(),
};

type KubeSettings = Pick<
  AegisConfig,
  'sandbox' | 'kubeconfig' | 'stateDir' | 'kubernetesServiceHost' | 'kubernetesServicePort'
>;

/** Where `<stateDir>/sandbox.kubeconfig` lives, absolute. */
export function sandboxKubeconfigPath(stateDir: string, workingDirectory: string = process.cwd()): string {
  return resolve(workingDirectory, stateDir, 'sandbox.kubeconfig');
}

/**
 * Which Kubernetes API to talk to. AEGIS_SANDBOX=true always means the built-in sandbox; `false` and `auto`
 * look, in kubectl's order, at KUBECONFIG, then ~/.kube/config, then a pod's service account; `auto` falls
 * back to the sandbox when none exists, `false` is a configuration error. A KUBECONFIG that names only our
 * own sandbox kubeconfig (left in the shell from an earlier run) counts as "no kubeconfig" under `auto`.
 */
export function resolveKubeTarget(config: KubeSettings, probe: KubeTargetProbe = realProbe): KubeTarget {
  if (config.sandbox === 'true') return { mode: 'sandbox', reason: 'AEGIS_SANDBOX=true' };
  const ownSandboxFile = sandboxKubeconfigPath(config.stateDir, probe.workingDirectory());
  if (config.kubeconfig !== undefined) {
    const listed = config.kubeconfig.split(delimiter).filter((path) => path !== '');
    const onlySandbox = listed.every((path) => resolve(probe.workingDirectory(), path) === ownSandboxFile);
    if (!(config.sandbox === 'auto' && onlySandbox)) {
      const paths = listed.filter((path) => probe.fileExists(path));
      if (paths.length > 0) return { mode: 'kubeconfig', paths, reason: 'KUBECONFIG is set' };
      throw new ConfigError([`KUBECONFIG: none of the listed files exists: ${listed.join(', ')}`]);
    }
  } else {
    const homeConfig = join(probe.homeDirectory(), '.kube', 'config');
    if (probe.fileExists(homeConfig))
      return { mode: 'kubeconfig', paths: [homeConfig], reason: `${homeConfig} exists` };
  }
  const inCluster = inClusterTarget(config, probe);
  if (inCluster !== undefined) return inCluster;
  if (config.sandbox === 'auto') {
    return {
      mode: 'sandbox',
      reason: 'AEGIS_SANDBOX=auto and no kubeconfig or in-cluster service account was found',
    };
  }
  throw new ConfigError([
    'AEGIS_SANDBOX: is false, but no Kubernetes access was found (KUBECONFIG unset, no ~/.kube/config, not in a pod); ' +
      'set KUBECONFIG, or AEGIS_SANDBOX=auto to use the built-in sandbox',
  ]);
}

function inClusterTarget(config: KubeSettings, probe: KubeTargetProbe): KubeTarget | undefined {
  const host = config.kubernetesServiceHost;
  const port = config.kubernetesServicePort;
  const tokenPath = join(serviceAccountDirectory, 'token');
  if (host === undefined || port === undefined || !probe.fileExists(tokenPath)) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const reason = 'running in a pod with a service account';
  return { mode: 'in-cluster', server, tokenPath, caPath: join(serviceAccountDirectory, 'ca.crt'), reason };
}
