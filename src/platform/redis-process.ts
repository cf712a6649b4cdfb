import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AegisError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { findFreePort } from './free-port.js';
import { pingRedis, redisProcessId } from './redis-ping.js';

export interface RedisProcessOptions {
  /** Working directory of the server; a fresh temporary directory (removed by `stop()`) when omitted. */
  dir?: string;
  /** A fixed port; a free loopback port when omitted. */
  port?: number;
  /** The server binary, looked up on the PATH (default `redis-server`). */
  binary?: string;
  /** How long to wait for the first PONG (default 10 s). */
  startTimeoutMs?: number;
  logger?: Logger;
}

export interface RedisProcess {
  /** e.g. redis://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stop the server (SIGTERM, then SIGKILL after 5 s) and wait until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const host = '127.0.0.1';
const outputKept = 4_000;

/**
 * Start a private `redis-server` on loopback with nothing persisted, and resolve once it answers PING. Used by
 * `aegis serve` when REDIS_URL is unset, and by tests (each suite its own server).
 */
export async function startRedisProcess(options: RedisProcessOptions = {}): Promise<RedisProcess> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'aegis-redis-')));
  await mkdir(dir, { recursive: true });
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await findFreePort(host));
    try {
      return await startOnce({ ...options, dir, port, ownDir });
    } catch (error) {
      const portTaken = error instanceof AegisError && error.code === 'REDIS_PORT_IN_USE';
      if (!portTaken || attempt >= attempts) {
        if (ownDir) await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

interface StartOnceOptions extends RedisProcessOptions {
  dir: string;
  port: number;
  ownDir: boolean;
}

async function startOnce(options: StartOnceOptions): Promise<RedisProcess> {
  const binary = options.binary ?? 'redis-server';
  const logger = (options.logger ?? silentLogger).child({ component: 'redis-server', port: options.port });
  const args = ['--bind', host, '--port', String(options.port), '--save', '', '--appendonly', 'no'];
  args.push('--maxmemory-policy', 'noeviction', '--dir', options.dir);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-outputKept);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await spawned(child, binary);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await terminate(child, exited);
    if (options.ownDir) await rm(options.dir, { recursive: true, force: true });
  };
  try {
    await waitForPong(child, options.port, options.startTimeoutMs ?? 10_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  const pid = child.pid ?? -1;
  logger.info({ pid, dir: options.dir }, 'started local redis-server');
  return { url: `redis://${host}:${options.port}`, port: options.port, pid, stop };
}

async function spawned(child: ChildProcess, binary: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new AegisError(
            'REDIS_SERVER_MISSING',
            `${binary} was not found on the PATH; install it with: apt-get install -y redis-server (or set REDIS_URL to an existing Redis)`,
            { cause: error },
          ),
        );
      } else {
        reject(
          new AegisError('REDIS_START_FAILED', `cannot start ${binary}: ${error.message}`, { cause: error }),
        );
      }
    });
  });
}

async function waitForPong(
  child: ChildProcess,
  port: number,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = output().trim();
      const code = /address already in use/i.test(text) ? 'REDIS_PORT_IN_USE' : 'REDIS_START_FAILED';
      throw new AegisError(
        code,
        `redis-server exited during start (${child.exitCode ?? child.signalCode}): ${text}`,
      );
    }
    try {
      await pingRedis(host, port, 500);
      // A server that was already on this port answers too; only our own child counts.
      if ((await redisProcessId(host, port, 500)) === child.pid) return;
      lastError = new Error(`another redis-server already answers on port ${port}`);
      await sleep(50);
    } catch (error) {
      lastError = error;
      await sleep(50);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new AegisError(
    'REDIS_START_FAILED',
    `redis-server did not answer PING within ${timeoutMs} ms: ${reason}`,
  );
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
