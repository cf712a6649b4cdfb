import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export type IngestChildMode = 'baseline' | 'aegis' | 'sandbox';

export interface IngestChild {
  readonly url: string;
  readonly pid: number | undefined;
  /** Start the child's CPU count afresh (SIGUSR2), e.g. after a warm-up. */
  markCpu(): void;
  /** SIGTERM, wait for the exit, and return the RESULT the child printed (empty when none). */
  stop(): Promise<Record<string, unknown>>;
}

/**
 * Start `ingest-child.ts` in its own Node process with `env` added, and wait for the URL it prints. With
 * `cpuProfileDir`, the child runs under `--cpu-prof` and writes its profile there when it exits.
 */
export async function startIngestChild(
  mode: IngestChildMode,
  env: Record<string, string>,
  cpuProfileDir?: string,
): Promise<IngestChild> {
  const script = fileURLToPath(new URL('./ingest-child.ts', import.meta.url));
  const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', script, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} process did not start within 60 s`)), 60_000);
    const check = (): void => {
      const match = /URL (\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${mode} process exited with ${String(code)}`));
    });
  });
  return {
    url,
    pid: child.pid,
    markCpu() {
      child.kill('SIGUSR2');
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        await exited;
        clearTimeout(timer);
      }
      const match = /RESULT (.*)/.exec(output);
      return match?.[1] === undefined ? {} : (JSON.parse(match[1]) as Record<string, unknown>);
    },
  };
}
