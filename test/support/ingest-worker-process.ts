/**
 * A worker process for the multi-process ingest test: one ingest worker (with its count flusher) on the Redis
 * and sandbox given in the environment. Prints `ready` once started; on SIGTERM it closes (finishing its jobs
 * and flushing counts), prints its API write tally as JSON and exits.
 */
import { readFileSync } from 'node:fs';
import { silentLogger } from '../../src/core/logger.js';
import { startIngestWorker } from '../../src/controller/ingest/index.js';
import { createAegisAlertStore, createKubeClients } from '../../src/kube/index.js';
import { countingStore } from './counting-store.js';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const counting = countingStore(
  createAegisAlertStore(createKubeClients({ yaml: readFileSync(required('AEGIS_TEST_KUBECONFIG'), 'utf8') })),
);
const worker = startIngestWorker({
  redisUrl: required('AEGIS_TEST_REDIS_URL'),
  prefix: required('AEGIS_TEST_PREFIX'),
  logger: silentLogger,
  store: counting.store,
  namespace: required('AEGIS_TEST_NAMESPACE'),
  ttl: {},
  dedupWindowSeconds: 600,
  concurrency: Number(process.env['AEGIS_TEST_CONCURRENCY'] ?? '16'),
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  worker
    .close()
    .then(() => {
      process.stdout.write(`${JSON.stringify(counting.counts)}\n`, () => process.exit(0));
    })
    .catch((error: unknown) => {
      process.stderr.write(`close failed: ${String(error)}\n`, () => process.exit(1));
    });
});
process.stdout.write('ready\n');
