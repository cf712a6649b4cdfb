/**
 * The failure modes of batched ingest: a job retried after some of its deliveries were applied, and an intake
 * mover that died after reading entries (and maybe after adding their jobs) but before acknowledging them.
 * Either way every delivery is applied exactly once: one AegisAlert per fingerprint, exact counts.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintLabelValue, type Alert } from '../src/core/alerts/index.js';
import { AegisError } from '../src/core/errors.js';
import { silentLogger } from '../src/core/logger.js';
import {
  createIngestMetrics,
  createIngestQueue,
  ingestKeys,
  startIngestWorker,
  type AegisAlert,
  type AlertStore,
  type IngestQueue,
  type IngestWorker,
} from '../src/controller/ingest/index.js';
import { batchJobs } from '../src/controller/ingest/intake-mover.js';
import { ensureIntakeGroup, intakeGroup, parseEntries } from '../src/controller/ingest/intake-stream.js';
import {
  alertNamespace,
  countingStore,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

let env: IngestEnvironment;
let serial = 0;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  env = await startIngestEnvironment();
}, 60_000);
afterAll(async () => {
  await env.stop();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function firing(fingerprint: string): Alert {
  return {
    source: 'Alertmanager',
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'node-1' },
    details: { node: 'node-1' },
    fingerprint,
  };
}

function setUp(store: AlertStore, options: { claimIdleMs?: number; startWorker?: boolean } = {}) {
  serial += 1;
  const prefix = `ingest-intake-test-${process.pid}-${serial}`;
  const registry = new Registry();
  const queue: IngestQueue = createIngestQueue({
    redisUrl: env.redis.url,
    prefix,
    logger: silentLogger,
    dedupWindowSeconds: 600,
  });
  closers.push(() => queue.close());
  const reader = new Queue('aegis-ingest', { connection: { url: env.redis.url }, prefix });
  closers.push(() => reader.close());
  const startWorker = (): IngestWorker => {
    const worker = startIngestWorker({
      redisUrl: env.redis.url,
      prefix,
      logger: silentLogger,
      store,
      namespace: alertNamespace,
      ttl: {},
      dedupWindowSeconds: 600,
      backoffMs: 50,
      ...(options.claimIdleMs === undefined ? {} : { intakeClaimIdleMs: options.claimIdleMs }),
      metrics: createIngestMetrics(registry),
    });
    closers.push(() => worker.close());
    return worker;
  };
  const drained = async (): Promise<void> => {
    await eventually(
      async () => {
        if ((await reader.getJobCountByTypes('failed')) > 0) {
          const [job] = await reader.getFailed(0, 0);
          throw new Error(`ingest job failed: ${job?.failedReason ?? '?'}`);
        }
        return (await queue.depth()) === 0 ? true : undefined;
      },
      30_000,
      'everything processed',
    );
  };
  const metric = async (name: string): Promise<number> => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.reduce((sum, item) => sum + item.value, 0);
  };
  return { prefix, queue, reader, startWorker, drained, metric };
}

async function alertsFor(fingerprint: string): Promise<AegisAlert[]> {
  return await env.store.listByFingerprint(alertNamespace, fingerprintLabelValue(fingerprint));
}

/** The one AegisAlert of the fingerprint, once its count (flushed) is `count`. */
async function countOf(fingerprint: string, count: number): Promise<AegisAlert> {
  return await eventually(async () => {
    const alerts = await alertsFor(fingerprint);
    expect(alerts).toHaveLength(1);
    return alerts[0]?.status?.count === count ? alerts[0] : undefined;
  }, 15_000);
}

describe('batched ingest jobs', () => {
  it('retries a job after some of its deliveries were applied without counting or creating twice', async () => {
    const counting = countingStore(env.store);
    const tag = `${process.pid}-${serial + 1}`;
    const [a, b, c] = [`fp-retry-a-${tag}`, `fp-retry-b-${tag}`, `fp-retry-c-${tag}`];
    let failures = 0;
    // B: the API server creates the object but the answer is lost (the worst moment to fail). C: the first
    // status write fails. Both are retryable; A goes through on the first attempt.
    const flaky: AlertStore = {
      ...counting.store,
      async create(object) {
        const created = await counting.store.create(object);
        if (object.metadata.labels['fingerprint'] === fingerprintLabelValue(b) && failures < 1) {
          failures += 1;
          throw new AegisError('KUBE_API_ERROR', 'connection reset after create', { retryable: true });
        }
        return created;
      },
      async patchStatus(namespace, name, status, preconditions) {
        if (name.length > 0 && failures === 1 && status.status === 'Firing') {
          const current = await counting.store.get(namespace, name);
          if (current?.metadata.labels?.['fingerprint'] === fingerprintLabelValue(c)) {
            failures += 1;
            throw new AegisError('KUBE_API_ERROR', 'status write timed out', { retryable: true });
          }
        }
        return await counting.store.patchStatus(namespace, name, status, preconditions);
      },
    };
    const { queue, reader, startWorker, drained, metric } = setUp(flaky);
    // One request, so one job: A three times, B twice, C twice.
    const deliveries = [
      ...[1, 2, 3].map((n) => ({ alert: firing(a), deliveryId: `d-a-${tag}-${n}` })),
      ...[1, 2].map((n) => ({ alert: firing(b), deliveryId: `d-b-${tag}-${n}` })),
      ...[1, 2].map((n) => ({ alert: firing(c), deliveryId: `d-c-${tag}-${n}` })),
    ];
    await queue.accept(deliveries);
    const worker = startWorker();
    await drained();
    await worker.flush();
    expect(failures).toBe(2);
    expect((await countOf(a, 3)).status?.status).toBe('Firing');
    await countOf(b, 2);
    await countOf(c, 2);
    // B's object was created once although its create "failed"; A's deliveries were not applied again.
    expect(counting.counts.create).toBe(3);
    expect(await metric('aegis_ingest_alert_repeats_total')).toBe(4);
    expect(await metric('aegis_ingest_duplicate_deliveries_total')).toBeGreaterThanOrEqual(3);
    const [job] = await reader.getCompleted(0, 0);
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
  });

  it('re-moves entries of a mover that died before acknowledging them, and applies them once', async () => {
    const counting = countingStore(env.store);
    const tag = `${process.pid}-${serial + 1}`;
    const [a, b] = [`fp-mover-a-${tag}`, `fp-mover-b-${tag}`];
    const { prefix, queue, startWorker, drained, metric } = setUp(counting.store, { claimIdleMs: 300 });
    await queue.accept([
      { alert: firing(a), deliveryId: `m-a-${tag}-1` },
      { alert: firing(a), deliveryId: `m-a-${tag}-2` },
    ]);
    await queue.accept([{ alert: firing(a), deliveryId: `m-a-${tag}-3` }]);
    await queue.accept([{ alert: firing(b), deliveryId: `m-b-${tag}-1` }]);

    // A mover reads the three entries, adds the jobs of the first two, and dies before XACK.
    const streamKey = ingestKeys(prefix, 'aegis-ingest').intake;
    const redis = new Redis(env.redis.url);
    closers.push(() => Promise.resolve(redis.disconnect()));
    await ensureIntakeGroup(redis, streamKey);
    const reply = (await redis.xreadgroup(
      'GROUP',
      intakeGroup,
      'crashed-mover',
      'COUNT',
      10,
      'STREAMS',
      streamKey,
      '>',
    )) as [string, unknown][] | null;
    const entries = parseEntries(reply?.[0]?.[1]);
    expect(entries).toHaveLength(3);
    const moved = entries.slice(0, 2).flatMap((entry) => entry.deliveries ?? []);
    const crashedQueue = new Queue('aegis-ingest', { connection: { url: env.redis.url }, prefix });
    closers.push(() => crashedQueue.close());
    await crashedQueue.addBulk(batchJobs(moved, 100));
    expect(await redis.xlen(streamKey)).toBe(3);

    // A live worker: processes the jobs already added, takes the idle entries over and moves them again.
    startWorker();
    await eventually(async () => ((await redis.xlen(streamKey)) === 0 ? true : undefined), 15_000);
    await drained();
    await countOf(a, 3);
    await countOf(b, 1);
    expect(counting.counts.create).toBe(2);
    expect(await metric('aegis_ingest_alert_repeats_total')).toBe(2);
    // The three deliveries of A came twice (the crashed mover's job, then the re-move): applied once.
    expect(await metric('aegis_ingest_duplicate_deliveries_total')).toBe(3);
    const pending = (await redis.xpending(streamKey, intakeGroup)) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});
