import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisProcess, type RedisProcess } from '../../src/platform/index.js';

export interface OpsProcesses {
  /** The Aegis HTTP server (webhook routes), in its own process (the first replica's). */
  readonly url: string;
  /** Every replica's HTTP server (one unless `replicas` was given). */
  readonly urls: readonly string[];
  /** The sandbox API server, in another process. */
  readonly kubeUrl: string;
  /** The process ids of the Aegis replicas (for /proc/<pid>/status). */
  readonly aegisPids: readonly number[];
  /** API requests the sandbox has served so far, by verb and resource (see ops-sandbox-child.ts). */
  apiCounts(): Promise<Record<string, number>>;
  /** CPU time (user + system) the Aegis processes have used so far, in ms; undefined where /proc is missing. */
  aegisCpuMs(): Promise<number | undefined>;
  /** Stop Aegis first (it drains against a live API server), then the sandbox. */
  stop(): Promise<void>;
}

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  /** Wait for the next stdout line matching `pattern` after this call. */
  next(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

function startChild(
  what: string,
  script: string,
  options: { nodeArgs?: string[]; args?: string[]; env?: NodeJS.ProcessEnv },
): Promise<Child> {
  const argv = [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.args ?? [])];
  const child: ChildProcess = spawn(process.execPath, argv, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: options.env ?? process.env,
  });
  let output = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const wake of [...waiters]) wake();
  });
  const next = (pattern: RegExp, timeoutMs: number, from = output.length): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(output.slice(from));
        if (match === null) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${what}: no ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      child.once('exit', (code) => {
        waiters.delete(check);
        clearTimeout(timer);
        reject(new Error(`${what} exited with ${String(code)}`));
      });
      check();
    });
  return next(/URL (\S+)\n/, 90_000, 0).then((match) => ({
    process: child,
    url: match[1] ?? '',
    next: (pattern, timeoutMs) => next(pattern, timeoutMs),
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  }));
}

/**
 * Start the sandbox API server (`ops-sandbox-child.ts`, writing a kubeconfig) and `aegis serve` against it through
 * KUBECONFIG (`ops-serve-child.ts`), each in its own Node process. With `cpuProfileDir`, the Aegis process runs
 * under `--cpu-prof` and writes its profile there when it exits.
 */
export async function startOpsProcesses(
  cpuProfileDir?: string,
  options: { readonly replicas?: number } = {},
): Promise<OpsProcesses> {
  const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
  const dir = await mkdtemp(join(tmpdir(), 'aegis-bench-ops-kube-'));
  const kubeconfig = join(dir, 'sandbox.kubeconfig');
  const replicas = options.replicas ?? 1;
  const sandbox = await startChild('sandbox', here('./ops-sandbox-child.ts'), { args: [kubeconfig] });
  // Several replicas share one Redis (as in a Deployment); a single one starts its own, as `aegis serve` does.
  let redis: RedisProcess | undefined;
  const children: Child[] = [];
  try {
    if (replicas > 1) redis = await startRedisProcess({ dir: join(dir, 'redis') });
    const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
    for (let index = 0; index < replicas; index += 1) {
      children.push(
        await startChild(`aegis serve ${index + 1}`, here('./ops-serve-child.ts'), {
          nodeArgs: profile,
          env: {
            ...process.env,
            KUBECONFIG: kubeconfig,
            ...(redis === undefined ? {} : { REDIS_URL: redis.url }),
          },
        }),
      );
    }
  } catch (error) {
    for (const child of children) await child.stop();
    await redis?.stop();
    await sandbox.stop();
    throw error;
  }
  const aegis = children[0];
  if (aegis === undefined) throw new Error('no replica started');
  return {
    url: aegis.url,
    urls: children.map((child) => child.url),
    kubeUrl: sandbox.url,
    aegisPids: children.map((child) => child.process.pid ?? 0),
    async apiCounts() {
      const reply = sandbox.next(/COUNTS (\{.*\})\n/, 10_000);
      sandbox.process.stdin?.write('counts\n');
      return JSON.parse((await reply)[1] ?? '{}') as Record<string, number>;
    },
    async aegisCpuMs() {
      try {
        let total = 0;
        for (const child of children) {
          const stat = await readFile(`/proc/${String(child.process.pid)}/stat`, 'utf8');
          // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
        }
        return total;
      } catch {
        return undefined;
      }
    },
    async stop() {
      await Promise.all(children.map((child) => child.stop()));
      await redis?.stop();
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
