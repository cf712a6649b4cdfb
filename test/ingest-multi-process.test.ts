import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintLabelValue, type Alert } from '../src/core/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createIngestQueue } from '../src/controller/ingest/index.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const entry = fileURLToPath(new URL('./support/ingest-worker-process.ts', import.meta.url));

let env: IngestEnvironment;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = await startIngestEnvironment();
  dir = await mkdtemp(join(tmpdir(), 'aegis-ingest-mp-'));
}, 60_000);
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await env.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  ready: Promise<void>;
  /** Resolves to the process's API call tally after SIGTERM. */
  stop(): Promise<Record<string, number>>;
}

function startWorkerProcess(environment: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let errors = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`worker process exited: ${errors}`);
      return Promise.resolve(output.includes('ready\n') ? true : undefined);
    },
    60_000,
    'worker process ready',
  ).then(() => undefined);
  return {
    child,
    ready,
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      const code = await exited;
      clearTimeout(timer);
      expect(code, errors).toBe(0);
      const last = output.trim().split('\n').at(-1) ?? '{}';
      return JSON.parse(last) as Record<string, number>;
    },
  };
}

describe('ingest across two worker processes', () => {
  it('keeps exactly one active AegisAlert per fingerprint and an exact count', async () => {
    const prefix = `ingest-mp-${process.pid}`;
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, env.sandbox.kubeconfig);
    const fingerprints = Array.from({ length: 8 }, (_, index) => `fp-mp-${index}`);
    const perFingerprint = 60;
    const alert = (fingerprint: string): Alert => ({
      source: 'Alertmanager',
      type: 'GpuXidError',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'node-0' },
      details: { node: 'node-0' },
      fingerprint,
    });
    const environment = {
      AEGIS_TEST_REDIS_URL: env.redis.url,
      AEGIS_TEST_PREFIX: prefix,
      AEGIS_TEST_KUBECONFIG: kubeconfigPath,
      AEGIS_TEST_NAMESPACE: alertNamespace,
      AEGIS_TEST_CONCURRENCY: '16',
    };
    const started = Date.now();
    const workers = [startWorkerProcess(environment), startWorkerProcess(environment)];
    await Promise.all(workers.map((worker) => worker.ready));
    const readyMs = Date.now() - started;
    // Both processes are idle on the queue: the bulk wakes them together on the same fingerprints.
    const queue = createIngestQueue({
      redisUrl: env.redis.url,
      prefix,
      logger: silentLogger,
      dedupWindowSeconds: 600,
    });
    const deliveries = [];
    for (let round = 0; round < perFingerprint; round += 1) {
      for (const fingerprint of fingerprints)
        deliveries.push({ alert: alert(fingerprint), deliveryId: `d-${fingerprint}-${round}` });
    }
    // Requests of 10 deliveries (Alertmanager posts groups), then redeliveries.
    for (let start = 0; start < deliveries.length; start += 10) {
      await queue.accept(deliveries.slice(start, start + 10));
    }
    await queue.accept(deliveries.slice(0, 50)); // redeliveries: applied once
    const reader = new Queue('aegis-ingest', { connection: { url: env.redis.url }, prefix });
    try {
      await eventually(
        async () => ((await queue.depth()) === 0 ? true : undefined),
        60_000,
        'every delivery processed',
      );
      expect(await reader.getJobCountByTypes('failed')).toBe(0);
    } finally {
      await reader.close();
      await queue.close();
    }
    const drainedMs = Date.now() - started;
    const tallies = await Promise.all(workers.map((worker) => worker.stop()));
    console.info(
      `two processes: ready after ${readyMs} ms, ${deliveries.length} deliveries done after ${drainedMs} ms, ` +
        `stopped after ${Date.now() - started} ms; API calls ${JSON.stringify(tallies)}`,
    );
    const processed = await Promise.all(
      fingerprints.map(
        async (fingerprint) =>
          await env.store.listByFingerprint(alertNamespace, fingerprintLabelValue(fingerprint)),
      ),
    );
    for (const alerts of processed) {
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.status).toMatchObject({ status: 'Firing', count: perFingerprint });
    }
    // Both processes did part of the work.
    expect(tallies.every((tally) => (tally['reads'] ?? 0) > 0)).toBe(true);
    expect(tallies.reduce((sum, tally) => sum + (tally['create'] ?? 0), 0)).toBe(fingerprints.length);
  }, 180_000);
});
