/**
 * Shared set-up for the sandbox conformance suite: one sandbox API server per test file, reached through the
 * real @kubernetes/client-node (and the real kubectl, when installed) exactly as a user would reach it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PatchStrategy, setHeaderOptions, type ConfigurationOptions } from '@kubernetes/client-node';
import { createKubeClients, type KubeClients } from '../../src/kube/index.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';

export interface SandboxFixture {
  sandbox: SandboxHandle;
  clients: KubeClients;
  dir: string;
  kubeconfigPath: string;
  /** Raw HTTP against the sandbox, for what client-node cannot express. */
  http(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startFixture(
  options: { nodes?: number; simulate?: boolean; watchHistory?: number } = {},
): Promise<SandboxFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'aegis-conformance-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sandbox = await startSandbox({
    nodes: options.nodes ?? 3,
    kubeconfigOut: kubeconfigPath,
    simulate: options.simulate ?? true,
    ...(options.watchHistory === undefined ? {} : { watchHistory: options.watchHistory }),
  });
  const clients = createKubeClients({ yaml: sandbox.kubeconfig });
  return {
    sandbox,
    clients,
    dir,
    kubeconfigPath,
    http: (path, init) => fetch(`${sandbox.url}${path}`, init),
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const mergePatch: ConfigurationOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const strategicPatch: ConfigurationOptions = setHeaderOptions(
  'Content-Type',
  PatchStrategy.StrategicMergePatch,
);
export const jsonPatch: ConfigurationOptions = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

/** The HTTP status of a rejected client-node call, and the Kubernetes Status it carried. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: number; body?: unknown };
    const status = typeof e.body === 'string' ? (JSON.parse(e.body) as Record<string, unknown>) : {};
    return { code: e.code ?? -1, status };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

let kubectlPresent: boolean | undefined;

export async function hasKubectl(): Promise<boolean> {
  if (kubectlPresent !== undefined) return kubectlPresent;
  try {
    await promisify(execFile)('kubectl', ['version', '--client'], { timeout: 20_000 });
    kubectlPresent = true;
  } catch {
    kubectlPresent = false;
  }
  return kubectlPresent;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real kubectl against the fixture's kubeconfig (its own cache dir, so tests never share discovery). */
export async function kubectl(
  fixture: SandboxFixture,
  args: string[],
  input?: string,
): Promise<KubectlResult> {
  return await new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      [`--kubeconfig=${fixture.kubeconfigPath}`, `--cache-dir=${join(fixture.dir, 'cache')}`, ...args],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function writeManifest(fixture: SandboxFixture, name: string, text: string): Promise<string> {
  const path = join(fixture.dir, name);
  await writeFile(path, text);
  return path;
}

/** Wait (bounded) until `check` returns a value that is not undefined. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
