/**
 * HA: what must happen once per cluster stays once with several replicas. Two processes run the TTL sweeper
 * exactly as `aegis serve` starts it (a BullMQ job scheduler every replica upserts), on one Redis and one API
 * server: the sweeps are not doubled, the scheduler exists once, and each expired alert is deleted by exactly
 * one of them with no failed sweep. (Health-check schedules use the same upsert-by-id scheduler.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAegisAlertObject, type Alert } from '../src/core/alerts/index.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const entry = fileURLToPath(new URL('./support/ttl-sweeper-process.ts', import.meta.url));
const everyMs = 250;
let env: IngestEnvironment;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = await startIngestEnvironment();
  dir = await mkdtemp(join(tmpdir(), 'aegis-ha-'));
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await env.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Replica {
  output(): string;
  ready: Promise<void>;
  stop(): Promise<{ sweeps: number }>;
}

function startReplica(environment: Record<string, string>): Replica {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let errors = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`replica exited: ${errors}`);
      return Promise.resolve(output.includes('ready\n') ? true : undefined);
    },
    60_000,
    'replica ready',
  ).then(() => undefined);
  return {
    output: () => output,
    ready,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      const last = output.trim().split('\n').at(-1) ?? '{}';
      return JSON.parse(last) as { sweeps: number };
    },
  };
}

async function expiredAlert(fingerprint: string): Promise<string> {
  const alert: Alert = {
    source: 'Default',
    type: 'HaTtlCase',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'node-0' },
    details: {},
    fingerprint,
  };
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { object } = buildAegisAlertObject(alert, {
    namespace: alertNamespace,
    systemParameters: {},
    ttl: { secondsAfterSuccess: 60 },
    now,
  });
  const created = await env.store.create(object);
  const name = created.metadata.name ?? '';
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await env.store.patchStatus(alertNamespace, name, {
    startTime: hourAgo,
    count: 1,
    status: 'Firing',
    opsStatus: { alertOpsStatus: 'Succeeded', completionTime: hourAgo },
  });
  return name;
}

describe('two replicas', () => {
  it('share one TTL sweep schedule: not doubled, each expired alert deleted once, no failed sweep', async () => {
    const prefix = 'ha-ttl';
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, env.sandbox.kubeconfig);
    const expired = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => expiredAlert(`ha-${id}`)));
    const environment = {
      AEGIS_TEST_KUBECONFIG: kubeconfig,
      AEGIS_TEST_REDIS_URL: env.redis.url,
      AEGIS_TEST_PREFIX: prefix,
      AEGIS_TEST_NAMESPACE: alertNamespace,
      AEGIS_TEST_EVERY_MS: String(everyMs),
    };
    const replicas = [startReplica(environment), startReplica(environment)];
    await Promise.all(replicas.map((replica) => replica.ready));
    const started = Date.now();
    await eventually(
      async () => {
        const left = (await env.store.list(alertNamespace)).filter((item) =>
          expired.includes(item.metadata.name ?? ''),
        );
        return left.length === 0 ? true : undefined;
      },
      30_000,
      'expired alerts deleted',
    );
    // Let several more intervals pass with both replicas up.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const queue = new Queue('aegis-alert-ttl', { connection: { url: env.redis.url }, prefix });
    const schedulers = await queue.getJobSchedulers();
    await queue.close();
    const results = [];
    for (const replica of replicas) results.push(await replica.stop());
    const elapsed = Date.now() - started;
    const sweeps = results.reduce((sum, result) => sum + result.sweeps, 0);

    expect(schedulers.map((scheduler) => scheduler.key)).toEqual(['alert-ttl-sweep']);
    // One sweep per interval across both replicas (a scheduler per replica would double it). Slack for the
    // intervals around start and stop.
    expect(sweeps).toBeGreaterThan(0);
    expect(sweeps).toBeLessThanOrEqual(Math.ceil(elapsed / everyMs) + 4);
    const deletions = replicas.flatMap((replica) =>
      replica
        .output()
        .split('\n')
        .filter((line) => line.includes('deleted expired AegisAlert')),
    );
    expect(deletions.map((line) => /"alert":"([^"]+)"/.exec(line)?.[1]).sort()).toEqual([...expired].sort());
    for (const replica of replicas) expect(replica.output()).not.toContain('ttl sweep failed');
  }, 90_000);
});
