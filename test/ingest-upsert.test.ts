import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAegisAlertObject, fingerprintLabelValue, type Alert } from '../src/core/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import {
  createAlertUpserter,
  firstDeliveryAnnotation,
  ingestKeys,
  IngestState,
  intakeSequence,
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

describe('deliveries applied out of accepted order', () => {
  const resolvedOf = (alert: Alert): Alert => ({ ...alert, status: 'Resolved' });

  it('a Firing accepted before an applied Resolved counts on the resolved alert, never starts a new one', async () => {
    const { upserter, flush } = setUp();
    const alert = firing('order-1');
    // Accepted order: f1, f2, f3, resolved. Applied order: f1, f2, resolved, f3 (f3's job ran late).
    expect(await upserter.upsert(alert, 'o-f1', intakeSequence('1700000000000-0', 0))).toBe('created');
    expect(await upserter.upsert(alert, 'o-f2', intakeSequence('1700000000001-0', 0))).toBe('counted');
    expect(await upserter.upsert(resolvedOf(alert), 'o-r', intakeSequence('1700000000003-0', 0))).toBe('resolved');
    expect(await upserter.upsert(alert, 'o-f3', intakeSequence('1700000000002-0', 0))).toBe('counted');
    await flush();
    const alerts = await alertsFor('order-1');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status).toMatchObject({ status: 'Resolved', count: 3 });
    // A retry of the late delivery is still one delivery.
    expect(await upserter.upsert(alert, 'o-f3', intakeSequence('1700000000002-0', 0))).toBe('duplicate');
  });

  it('a Firing accepted after the Resolved starts a new alert, as before', async () => {
    const { upserter } = setUp();
    const alert = firing('order-2');
    expect(await upserter.upsert(alert, 'p-f1', intakeSequence('1700000000000-0', 0))).toBe('created');
    expect(await upserter.upsert(resolvedOf(alert), 'p-r', intakeSequence('1700000000001-0', 0))).toBe('resolved');
    expect(await upserter.upsert(alert, 'p-f2', intakeSequence('1700000000002-0', 0))).toBe('created');
    const statuses = (await alertsFor('order-2')).map((item) => item.status?.status).sort();
    expect(statuses).toEqual(['Firing', 'Resolved']);
  });

  it('orders deliveries of one stream entry by their index', () => {
    expect(intakeSequence('1700000000000-1', 2) < intakeSequence('1700000000000-1', 10)).toBe(true);
    expect(intakeSequence('1700000000000-9', 0) < intakeSequence('1700000000000-10', 0)).toBe(true);
    expect(intakeSequence('999999999999-0', 0) < intakeSequence('1700000000000-0', 0)).toBe(true);
  });
});
