/**
 * One process of the ingest benchmark, so the load generator, the server under test and the API server each
 * get a core. Prints `URL <base url>` once ready; on SIGTERM it closes cleanly and prints `RESULT <json>`.
 *
 * - `baseline`: a bare Fastify server whose routes push every alert of the body into Redis with one command
 *   (LPUSH of all alerts of the body) and answer 202: the ceiling for "durably accepted".
 * - `aegis`: the Aegis webhook routes on the BullMQ ingest queue; with AEGIS_BENCH_KUBECONFIG also the ingest
 *   worker, writing AegisAlerts through a store that counts its API writes (the RESULT).
 * - `sandbox`: the sandbox API server, its kubeconfig written to AEGIS_BENCH_KUBECONFIG_OUT.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import type { LogFields, Logger, LogMethod } from '../../src/core/logger.js';
import { Redis } from 'ioredis';
import { createAegisAlertStore, createKubeClients } from '../../src/kube/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { startAegisIngestServer } from '../../test/support/aegis-ingest-server.js';
import { countingStore } from '../../test/support/counting-store.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

type Stop = () => Promise<Record<string, unknown>>;

async function startBaseline(): Promise<{ url: string; stop: Stop }> {
  const redis = new Redis(required('AEGIS_BENCH_REDIS_URL'), { maxRetriesPerRequest: 1 });
  const key = `${required('AEGIS_BENCH_PREFIX')}:alerts`;
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  const push = async (alerts: unknown[]): Promise<number> => {
    if (alerts.length === 0) return 0;
    await redis.lpush(key, ...alerts.map((alert) => JSON.stringify(alert)));
    return alerts.length;
  };
  app.post('/default/alert', async (request, reply) => {
    const body = request.body;
    const accepted = await push(Array.isArray(body) ? body : [body]);
    return await reply.code(202).send({ accepted });
  });
  app.post('/alertmanager/alert', async (request, reply) => {
    const body = request.body as { alerts?: unknown[] } | null;
    const accepted = await push(body?.alerts ?? []);
    return await reply.code(202).send({ accepted });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      redis.disconnect();
      return {};
    },
  };
}

async function startAegis(): Promise<{ url: string; stop: Stop }> {
  const kubeconfig = process.env['AEGIS_BENCH_KUBECONFIG'];
  const counting =
    kubeconfig === undefined || kubeconfig === ''
      ? undefined
      : countingStore(createAegisAlertStore(createKubeClients({ yaml: readFileSync(kubeconfig, 'utf8') })));
  // Warnings and errors (a retried delivery, a failed API call) go to stderr, which the benchmark shows.
  const report =
    (level: string): LogMethod =>
    (fields: LogFields | string, message?: string) =>
      process.stderr.write(`aegis ${level}: ${message ?? ''} ${JSON.stringify(fields)}\n`);
  const logger: Logger = {
    error: report('error'),
    warn: report('warn'),
    info: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  const server = await startAegisIngestServer({
    logger,
    redisUrl: required('AEGIS_BENCH_REDIS_URL'),
    prefix: required('AEGIS_BENCH_PREFIX'),
    namespace: required('AEGIS_BENCH_NAMESPACE'),
    ...(counting === undefined ? {} : { store: counting.store }),
  });
  // CPU from ready (or the last SIGUSR2) to stop: what the load cost this process (less noisy than latency on a shared machine).
  let cpuAtReady = process.cpuUsage();
  // SIGUSR2 (after a warm-up): count from now.
  process.on('SIGUSR2', () => {
    cpuAtReady = process.cpuUsage();
  });
  return {
    url: server.url,
    async stop() {
      await server.close();
      const cpu = process.cpuUsage(cpuAtReady);
      const cpuMilliseconds = Math.round((cpu.user + cpu.system) / 1000);
      return counting === undefined
        ? { cpuMilliseconds }
        : { ...counting.counts, writes: counting.writes(), cpuMilliseconds };
    },
  };
}

async function startSandboxChild(): Promise<{ url: string; stop: Stop }> {
  const sandbox = await startSandbox({
    nodes: 0,
    simulate: false,
    kubeconfigOut: required('AEGIS_BENCH_KUBECONFIG_OUT'),
  });
  return {
    url: sandbox.url,
    async stop() {
      await sandbox.close();
      return {};
    },
  };
}

const mode = process.argv[2] ?? 'aegis';
const started =
  mode === 'baseline'
    ? await startBaseline()
    : mode === 'sandbox'
      ? await startSandboxChild()
      : await startAegis();
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  started
    .stop()
    .then((result) => process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0)))
    .catch((error: unknown) =>
      process.stderr.write(`stop failed: ${String(error)}\n`, () => process.exit(1)),
    );
});
process.stdout.write(`URL ${started.url}\n`);
