/**
 * `aegis serve` as a process, run from the compiled dist/ the way users and the image run it: start-up while
 * Redis or the API server is missing, a taken port, and stopping on SIGTERM/SIGINT (through `npm start` too)
 * without orphans or error lines. dist/ is built first when stale (CI's setup.sh has built it already).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startRedisProcess, type RedisProcess } from '../src/platform/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const devDependencies = Object.keys(
  (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies,
);
let dir: string;
const children: ChildProcess[] = [];
const redisServers: RedisProcess[] = [];

beforeAll(async () => {
  const build = spawnSync(process.execPath, ['scripts/ensure-build.js'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building dist/ failed: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'aegis-serve-process-'));
  // Fails the run if the compiled code ever resolves a dev dependency (tsx, typescript, vitest, ...).
  await writeFile(
    join(dir, 'no-dev-dependencies.mjs'),
    `const dev = ${JSON.stringify(devDependencies)};
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const found = dev.find((name) => result.url.includes('/node_modules/' + name + '/'));
  if (found !== undefined) throw new Error('dev dependency loaded at run time: ' + found + ' (' + specifier + ')');
  return result;
}
`,
  );
  await writeFile(
    join(dir, 'guard.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${join(dir, 'no-dev-dependencies.mjs')}`)});\n`,
  );
}, 180_000);

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const redis of redisServers) await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  /** stdout and stderr so far, as lines. */
  lines(): string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], environment: Record<string, string>): Served {
  const child = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      NODE_OPTIONS: `--import ${join(dir, 'guard.mjs')}`,
      AEGIS_STATE_DIR: join(dir, `state-${children.length}`),
      LOG_LEVEL: 'info',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines: () => output.split('\n').filter((line) => line !== ''), exited };
}

const serve = (environment: Record<string, string>, args: string[] = []): Served =>
  run(process.execPath, ['bin/aegis.js', 'serve', ...args], environment);

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  served?: Served,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (served !== undefined && served.child.exitCode !== null)
      throw new Error(`process exited while waiting for ${what}:\n${served.lines().join('\n')}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** JSON log lines at error level (pino 50) or above. */
const errorLines = (lines: string[]): string[] => lines.filter((line) => /"level":(5\d|60)/.test(line));

/** Every process below `pid`, from /proc (children's children too). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (id: number): void => {
    for (const child of parents.get(id) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('aegis serve start-up while a dependency is missing', () => {
  it('answers /healthz, says in /readyz that REDIS_URL is unreachable, logs it once, and starts when Redis comes', async () => {
    const redisPort = await findFreePort();
    const httpPort = await findFreePort();
    const served = serve({
      AEGIS_SANDBOX: 'true',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      AEGIS_HTTP_PORT: String(httpPort),
    });
    const base = `http://127.0.0.1:${httpPort}`;
    expect((await until('healthz', async () => await getJson(`${base}/healthz`), served)).status).toBe(200);
    const readiness = await until(
      'readyz names REDIS_URL',
      async () => {
        const answer = await getJson(`${base}/readyz`);
        return JSON.stringify(answer.body).includes('REDIS_URL') ? answer : undefined;
      },
      served,
    );
    expect(readiness.status).toBe(503);
    expect(JSON.stringify(readiness.body)).toContain(
      `Redis at redis://127.0.0.1:${redisPort} (REDIS_URL) is unreachable`,
    );
    // A webhook is refused (503) rather than accepted and lost while nothing can take it.
    expect((await fetch(`${base}/alert`, { method: 'POST', body: '{}' })).status).toBe(503);
    // Probes retry at 1, 2, 4 s: after three failed probes the error has still been logged only once.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const redisErrors = errorLines(served.lines()).filter((line) => line.includes('REDIS_URL'));
    expect(redisErrors).toHaveLength(1);
    // Redis appears: the process starts its controllers and becomes ready without a restart.
    redisServers.push(await startRedisProcess({ dir: join(dir, 'late-redis'), port: redisPort }));
    const ready = await until(
      'ready',
      async () => {
        const answer = await getJson(`${base}/readyz`);
        return answer.status === 200 ? answer : undefined;
      },
      served,
      60_000,
    );
    expect(ready.body['status']).toBe('ok');
    expect(served.lines().some((line) => line.includes('redis is reachable now'))).toBe(true);
    served.child.kill('SIGTERM');
    expect(await served.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('serve --check and AEGIS_STARTUP_TIMEOUT exit 1 naming REDIS_URL and the kubeconfig server', async () => {
    const deadPort = await findFreePort();
    const kubeconfig = join(dir, 'down.kubeconfig');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: down, cluster: {server: "https://127.0.0.1:${deadPort}"}}]\nusers: [{name: me, user: {token: x}}]\ncontexts: [{name: down, context: {cluster: down, user: me}}]\ncurrent-context: down\n`,
    );
    const environment = {
      AEGIS_WEBHOOK_TOKEN: 'serve-process-test-token',
      KUBECONFIG: kubeconfig,
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
      AEGIS_HTTP_PORT: String(await findFreePort()),
    };
    const check = serve(environment, ['--check']);
    expect((await check.exited).code).toBe(1);
    const checkOutput = check.lines().join('\n');
    expect(checkOutput).toContain(`FAIL Redis at redis://127.0.0.1:${deadPort} (REDIS_URL) is unreachable`);
    expect(checkOutput).toContain(
      `FAIL Kubernetes API server https://127.0.0.1:${deadPort} from the kubeconfig ${kubeconfig}`,
    );
    expect(checkOutput).toMatch(/ok {3}AEGIS_HTTP_PORT=\d+ on 0\.0\.0\.0: free/);

    const timedOut = serve({ ...environment, AEGIS_STARTUP_TIMEOUT: '2s' });
    expect((await timedOut.exited).code).toBe(1);
    const last = timedOut.lines().filter((line) => line.startsWith('aegis: '));
    expect(last).toHaveLength(1);
    expect(last[0]).toContain('gave up after AEGIS_STARTUP_TIMEOUT (2 s)');
    expect(last[0]).toContain(`https://127.0.0.1:${deadPort}`);
    expect(last[0]).toContain('REDIS_URL');
  }, 60_000);

  it('a taken port: one line naming AEGIS_HTTP_PORT, exit 2, nothing else started', async () => {
    const holder = serve({ AEGIS_SANDBOX: 'true', AEGIS_HTTP_PORT: String(await findFreePort()) });
    const port = await until(
      'first server listening',
      () => {
        const line = holder.lines().find((text) => text.includes('HTTP server listening'));
        return Promise.resolve(line === undefined ? undefined : Number(/"port":(\d+)/.exec(line)?.[1]));
      },
      holder,
    );
    const second = serve({ AEGIS_SANDBOX: 'true', AEGIS_HTTP_PORT: String(port) });
    expect((await second.exited).code).toBe(2);
    const notLogs = second.lines().filter((line) => !line.startsWith('{'));
    expect(notLogs).toEqual([
      `aegis: AEGIS_HTTP_PORT=${port}: port ${port} on 0.0.0.0 is already in use (another Aegis?); stop that process or set AEGIS_HTTP_PORT to a free port`,
    ]);
    expect(second.lines().join('\n')).not.toContain('sandbox API server running');
    holder.child.kill('SIGTERM');
    expect((await holder.exited).code).toBe(0);
  }, 90_000);
});

describe('stopping', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to npm start stops everything in order, exit 0, no orphans, no error lines`, async () => {
      const httpPort = await findFreePort();
      const served = run('npm', ['start', '--silent'], {
        AEGIS_SANDBOX: 'true',
        AEGIS_HTTP_PORT: String(httpPort),
      });
      await until(
        'ready',
        async () => {
          const answer = await getJson(`http://127.0.0.1:${httpPort}/readyz`);
          return answer.status === 200 ? true : undefined;
        },
        served,
        90_000,
      );
      const tree = descendants(served.child.pid ?? -1);
      const commands = tree.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      expect(commands.some((command) => command.includes('dist/main.js serve'))).toBe(true);
      expect(commands.some((command) => command.startsWith('redis-server'))).toBe(true);
      expect(commands.some((command) => /tsx|typescript/.test(command))).toBe(false);
      served.child.kill(signal);
      expect(await served.exited).toEqual({ code: 0, signal: null });
      expect(tree.filter(alive)).toEqual([]);
      expect(errorLines(served.lines())).toEqual([]);
      const stops = served.lines().filter((line) => line.includes('"msg":"stopped '));
      const order = stops.map((line) => /"msg":"stopped ([^"]+)"/.exec(line)?.[1]);
      expect(order[0]).toBe('HTTP server');
      expect(order.indexOf('alert ingest')).toBeLessThan(order.indexOf('local redis-server'));
      expect(order.indexOf('ops controllers')).toBeLessThan(order.indexOf('sandbox API server'));
      await expect(fetch(`http://127.0.0.1:${httpPort}/healthz`)).rejects.toThrow();
    }, 150_000);
  }

  it('a second signal forces the exit, and the local redis-server still goes', async () => {
    const httpPort = await findFreePort();
    const served = serve({ AEGIS_SANDBOX: 'true', AEGIS_HTTP_PORT: String(httpPort) });
    await until(
      'ready',
      async () => {
        const answer = await getJson(`http://127.0.0.1:${httpPort}/readyz`);
        return answer.status === 200 ? true : undefined;
      },
      served,
      90_000,
    );
    const tree = descendants(served.child.pid ?? -1);
    // A request still in flight (its body never finishes) holds the graceful stop at the HTTP drain.
    const socket = connect(httpPort, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /alert HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    socket.on('error', () => undefined);
    served.child.kill('SIGTERM');
    await until('graceful stop begun', () =>
      Promise.resolve(served.lines().some((line) => line.includes('stopping gracefully')) ? true : undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(served.child.exitCode).toBeNull();
    served.child.kill('SIGTERM');
    expect((await served.exited).code).toBe(143);
    expect(served.lines().some((line) => line.includes('second SIGTERM: exiting now'))).toBe(true);
    await until('children gone', () => Promise.resolve(tree.filter(alive).length === 0 ? true : undefined));
  }, 120_000);
});
