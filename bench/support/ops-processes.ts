import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface OpsServeChild {
  /** The Aegis HTTP server (webhook routes). */
  readonly url: string;
  /** The sandbox API server inside the same child. */
  readonly kubeUrl: string;
  stop(): Promise<void>;
}

/** Start `ops-serve-child.ts` in its own Node process (optionally under `--cpu-prof`) and wait for its URLs. */
export async function startOpsServeChild(cpuProfileDir?: string): Promise<OpsServeChild> {
  const script = fileURLToPath(new URL('./ops-serve-child.ts', import.meta.url));
  const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const urls = await new Promise<{ url: string; kubeUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('aegis serve did not start within 90 s')), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /URL (\S+) KUBE (\S+)/.exec(output);
      if (match?.[1] !== undefined && match[2] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1], kubeUrl: match[2] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`aegis serve exited with ${String(code)}`));
    });
  });
  return {
    ...urls,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
