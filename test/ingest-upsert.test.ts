import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAegisAlertObject, fingerprintLabelValue, type Alert } from '../src/core/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import {
  createAlertUpserter,
  firstDeliveryAnnotation,
  ingestKeys,
  IngestState,
  noopIngestMetrics,
  startCountFlusher,
  type AegisAlert,
} from '../src/controller/ingest/index.js';
import {
  alertNamespace,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

let env: IngestEnvironment;
let redis: Redis;
let serial = 0;

beforeAll(async () => {
  env = await startIngestEnvironment();
  redis = new Redis(env.redis.url);
}, 60_000);
afterAll(async () => {
  await redis.quit();
  await env.stop();
});

function firing(fingerprint: string): Alert {
  return {
    source: 'Default',
    type: 'NodeNotReady',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'node-0' },
    details: { node: 'node-0' },
    fingerprint,
  };
}

function setUp() {
  serial += 1;
  const state = new IngestState(redis, ingestKeys(`ingest-upsert-${process.pid}-${serial}`, 'aegis-ingest'), {
    seenTtlSeconds: 600,
  });
  const upserter = createAlertUpserter({
    store: env.store,
    state,
    namespace: alertNamespace,
    systemParameters: {},
    ttl: {},
    now: () => new Date(),
    metrics: noopIngestMetrics,
    logger: silentLogger,
  });
  const flush = async (): Promise<void> => {
    const flusher = startCountFlusher({
      state,
      store: env.store,
      namespace: alertNamespace,
      intervalMs: 60_000,
      metrics: noopIngestMetrics,
      logger: silentLogger,
    });
    await flusher.stop();
    await flusher.flushOnce({ force: true });
  };
  return { state, upserter, flush };
}

async function alertsFor(fingerprint: string): Promise<AegisAlert[]> {
  return await env.store.listByFingerprint(alertNamespace, fingerprintLabelValue(fingerprint));
}

describe('upsert idempotency', () => {
  it('never counts one delivery twice', async () => {
    const { upserter, flush } = setUp();
    const alert = firing('idem-1');
    expect(await upserter.upsert(alert, 'd1')).toBe('created');
    expect(await upserter.upsert(alert, 'd1')).toBe('duplicate');
    expect(await upserter.upsert(alert, 'd2')).toBe('counted');
    expect(await upserter.upsert(alert, 'd2')).toBe('duplicate');
    await flush();
    const [only, ...others] = await alertsFor('idem-1');
    expect(others).toHaveLength(0);
    expect(only?.status?.count).toBe(2);
  });

  it('completes a create whose job died after the API call, without a second alert', async () => {
    const { upserter, flush } = setUp();
    const alert = firing('idem-2');
    // What a crashed first attempt of delivery d1 left behind: the object, no status, nothing in Redis.
    const { object } = buildAegisAlertObject(alert, {
      namespace: alertNamespace,
      systemParameters: {},
      ttl: {},
      now: new Date().toISOString(),
    });
    object.metadata.annotations[firstDeliveryAnnotation] = 'd1';
    await env.store.create(object);
    expect(await upserter.upsert(alert, 'd1')).toBe('created');
    expect(await upserter.upsert(alert, 'd2')).toBe('counted');
    await flush();
    const alerts = await alertsFor('idem-2');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status).toMatchObject({ status: 'Firing', count: 2 });
  });

  it('counts on an alert whose creator died, repairing its status, and the creator retry keeps the count', async () => {
    const { upserter, flush } = setUp();
    const alert = firing('idem-3');
    const { object } = buildAegisAlertObject(alert, {
      namespace: alertNamespace,
      systemParameters: {},
      ttl: {},
      now: new Date().toISOString(),
    });
    object.metadata.annotations[firstDeliveryAnnotation] = 'd1';
    await env.store.create(object);
    expect(await upserter.upsert(alert, 'd2')).toBe('counted');
    // The creator's retry: its delivery is already in the count.
    expect(await upserter.upsert(alert, 'd1')).toBe('duplicate');
    await flush();
    const alerts = await alertsFor('idem-3');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status).toMatchObject({ status: 'Firing', count: 2 });
  });

  it('creates one alert when many first deliveries race in one process', async () => {
    const { upserter, flush } = setUp();
    const alert = firing('idem-4');
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => await upserter.upsert(alert, `race-${index}`)),
    );
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'counted')).toHaveLength(39);
    await flush();
    const alerts = await alertsFor('idem-4');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status?.count).toBe(40);
  });

  it('starts a new alert when the active one finished its ops', async () => {
    const { upserter, state } = setUp();
    const alert = firing('idem-5');
    await upserter.upsert(alert, 'd1');
    const [first] = await alertsFor('idem-5');
    const name = first?.metadata.name ?? '';
    await env.store.patchStatus(alertNamespace, name, {
      opsStatus: { alertOpsStatus: 'Succeeded', completionTime: new Date().toISOString() },
    });
    await state.forgetActive(fingerprintLabelValue('idem-5')); // as if the short cache had expired
    expect(await upserter.upsert(alert, 'd2')).toBe('created');
    expect(await alertsFor('idem-5')).toHaveLength(2);
  });
});
