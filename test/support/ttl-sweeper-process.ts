/**
 * One "replica" for the two-process HA test: the TTL sweeper exactly as `aegis serve` starts it, on the Redis
 * and sandbox given in the environment, logging JSON lines to stdout. The store counts the sweeps it serves
 * (one list per sweep). Prints `ready` once started; on SIGTERM it closes and prints `{"sweeps":N}`.
 */
import { readFileSync } from 'node:fs';
import { startTtlSweeper, upstreamAlertTtlDefaults } from '../../src/controller/ingest/index.js';
import type { AlertStore } from '../../src/core/ports/index.js';
import { createAegisAlertStore, createKubeClients } from '../../src/kube/index.js';
import { createLogger } from '../../src/logging/index.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const inner = createAegisAlertStore(
  createKubeClients({ yaml: readFileSync(required('AEGIS_TEST_KUBECONFIG'), 'utf8') }),
);
let sweeps = 0;
const store: AlertStore = Object.assign(Object.create(inner) as AlertStore, {
  list: async (namespace: string) => {
    sweeps += 1;
    return await inner.list(namespace);
  },
});
const sweeper = await startTtlSweeper({
  redisUrl: required('AEGIS_TEST_REDIS_URL'),
  prefix: required('AEGIS_TEST_PREFIX'),
  store,
  namespace: required('AEGIS_TEST_NAMESPACE'),
  defaults: upstreamAlertTtlDefaults,
  now: () => new Date(),
  everyMs: Number(required('AEGIS_TEST_EVERY_MS')),
  logger: createLogger({ level: 'info' }),
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  sweeper
    .close()
    .then(() => process.stdout.write(`${JSON.stringify({ sweeps })}\n`, () => process.exit(0)))
    .catch((error: unknown) =>
      process.stderr.write(`close failed: ${String(error)}\n`, () => process.exit(1)),
    );
});
process.stdout.write('ready\n');
