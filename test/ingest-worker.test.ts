import { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveryId, fingerprintLabelValue, type Alert } from '../src/core/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import {
  createIngestMetrics,
  createIngestQueue,
  startIngestWorker,
  type AegisAlert,
  type IngestQueue,
  type IngestWorker,
} from '../src/controller/ingest/index.js';
import {
  alertNamespace,
  countingStore,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

let env: IngestEnvironment;
let serial = 0;
const running: { queue: IngestQueue; worker: IngestWorker; reader: Queue }[] = [];

beforeAll(async () => {
  env = await startIngestEnvironment();
}, 60_000);
afterAll(async () => {
  await env.stop();
});
afterEach(async () => {
  for (const item of running.splice(0)) {
    await item.worker.close();
    await item.queue.close();
    await item.reader.close();
  }
});

function firing(fingerprint: string, overrides: Partial<Alert> = {}): Alert {
  return {
    source: 'Default',
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'node-1' },
    details: { node: 'node-1', severity: 'critical', description: 'disk full' },
    fingerprint,
    ...overrides,
  };
}

function setUp(options: { flushIntervalMs?: number; concurrency?: number } = {}) {
  serial += 1;
  const prefix = `ingest-worker-test-${process.pid}-${serial}`;
  const registry = new Registry();
  const counting = countingStore(env.store);
  const queue = createIngestQueue({
    redisUrl: env.redis.url,
    prefix,
    logger: silentLogger,
    dedupWindowSeconds: 600,
  });
  const worker = startIngestWorker({
    redisUrl: env.redis.url,
    prefix,
    logger: silentLogger,
    store: counting.store,
    namespace: alertNamespace,
    systemParameters: { cluster: 'test-cluster' },
    ttl: { secondsAfterSuccess: 86_400, secondsAfterFailure: 259_200, secondsAfterNoOps: 86_400 },
    dedupWindowSeconds: 600,
    concurrency: options.concurrency ?? 16,
    flushIntervalMs: options.flushIntervalMs ?? 250,
    metrics: createIngestMetrics(registry),
  });
  const reader = new Queue('aegis-ingest', { connection: { url: env.redis.url }, prefix });
  running.push({ queue, worker, reader });
  let sent = 0;
  const send = async (alerts: Alert[], ids?: string[]): Promise<void> => {
    await queue.accept(
      alerts.map((alert, index) => ({
        alert,
        deliveryId: ids?.[index] ?? deliveryId(alert, `n-${prefix}-${(sent += 1)}`),
      })),
    );
  };
  /**
   * Wait until everything sent was processed: nothing left in the intake stream nor in the queue (failed jobs
   * fail the test). `total` (deliveries sent so far) only names what is waited for: jobs hold several.
   */
  const drained = async (total: number): Promise<void> => {
    await eventually(
      async () => {
        if ((await reader.getJobCountByTypes('failed')) > 0) {
          const [job] = await reader.getFailed(0, 0);
          throw new Error(`ingest job failed: ${job?.failedReason ?? '?'}`);
        }
        return (await queue.depth()) === 0 ? true : undefined;
      },
      30_000,
      `${total} deliveries processed`,
    );
  };
  const metric = async (name: string): Promise<number> => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.reduce((sum, item) => sum + item.value, 0);
  };
  return { queue, worker, counting, send, drained, metric, reader };
}

async function alertsFor(fingerprint: string): Promise<AegisAlert[]> {
  return await env.store.listByFingerprint(alertNamespace, fingerprintLabelValue(fingerprint));
}

async function only(fingerprint: string): Promise<AegisAlert> {
  const alerts = await alertsFor(fingerprint);
  expect(alerts).toHaveLength(1);
  return alerts[0] as AegisAlert;
}

describe('ingest worker', () => {
  it('creates the AegisAlert of a new firing alert, with its initial status through /status', async () => {
    const { send, drained, metric } = setUp();
    const alert = firing('fp-create');
    await send([alert], ['alert-create-1']);
    await drained(1);
    const created = await only('fp-create');
    expect(created.metadata.name).toMatch(/^default-nodehasemergencyevent-/);
    expect(created.metadata.labels).toMatchObject({
      'alert-source-type': 'Default',
      'alert-type': 'NodeHasEmergencyEvent',
      'alert-status': 'Firing',
      fingerprint: 'fp-create',
      node: 'node-1',
      severity: 'critical',
    });
    expect(created.metadata.annotations).toMatchObject({
      cluster: 'test-cluster',
      'aegis.io/first-delivery': 'alert-create-1',
    });
    expect(created.spec).toMatchObject({
      source: 'Default',
      type: 'NodeHasEmergencyEvent',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'node-1', node: 'node-1' },
      ttlStrategy: { secondsAfterSuccess: 86_400, secondsAfterFailure: 259_200, secondsAfterNoOps: 86_400 },
    });
    expect(created.status).toMatchObject({ status: 'Firing', count: 1 });
    expect(created.status?.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.status?.lastSeen).toBe(created.status?.startTime);
    expect(await metric('aegis_ingest_alerts_created_total')).toBe(1);
  });

  it('raises the count by exactly one per distinct delivery; a redelivered id counts once', async () => {
    const { send, drained, metric } = setUp();
    const alert = firing('fp-repeat');
    await send([alert], ['alert-repeat-1']);
    await drained(1);
    await send([alert, alert, alert], ['alert-repeat-2', 'alert-repeat-3', 'alert-repeat-4']);
    await send([alert, alert], ['alert-repeat-2', 'alert-repeat-4']); // sender retries: same ids
    await drained(4);
    // The periodic flusher brings the count to the object on its own.
    const updated = await eventually(async () => {
      const current = await only('fp-repeat');
      return current.status?.count === 4 ? current : undefined;
    });
    expect(Date.parse(updated.status?.lastSeen ?? '')).toBeGreaterThanOrEqual(
      Date.parse(updated.status?.startTime ?? ''),
    );
    expect(await metric('aegis_ingest_alert_repeats_total')).toBe(3);
    expect(await metric('aegis_ingest_duplicate_deliveries_total')).toBe(2);
  });

  it('resolves the active alert with its exact final count, the label and resolvedAt', async () => {
    // The flusher never runs on its own here: the resolve itself must bring the count up.
    const { send, drained, counting } = setUp({ flushIntervalMs: 600_000 });
    const alert = firing('fp-resolve');
    await send([alert]);
    await drained(1);
    await send([alert, alert, alert, alert]);
    await drained(5);
    expect((await only('fp-resolve')).status?.count).toBe(1);
    await send([{ ...alert, status: 'Resolved' }]);
    await drained(6);
    const resolved = await only('fp-resolve');
    expect(resolved.status).toMatchObject({ status: 'Resolved', count: 5 });
    expect(resolved.status?.resolvedAt).toMatch(/Z$/);
    expect(resolved.metadata.labels?.['alert-status']).toBe('Resolved');
    expect(counting.counts.patchLabels).toBe(1);

    // Firing again after the resolve is a new alert.
    await send([alert]);
    await drained(7);
    const all = await alertsFor('fp-resolve');
    expect(all).toHaveLength(2);
    expect(all.filter((item) => item.status?.status === 'Firing')).toHaveLength(1);
  });

  it('counts a Resolved with nothing active in a metric, not as an error', async () => {
    const { send, drained, metric } = setUp();
    await send([firing('fp-nothing', { status: 'Resolved' })]);
    await drained(1);
    expect(await alertsFor('fp-nothing')).toHaveLength(0);
    expect(await metric('aegis_ingest_resolved_without_active_total')).toBe(1);
    expect(await metric('aegis_ingest_alerts_resolved_total')).toBe(0);
  });

  it('looks up the node of a Pod alert, and still creates the alert when the pod is gone', async () => {
    const { send, drained } = setUp();
    await env.clients.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'trainer-0' },
        spec: { nodeName: 'node-2', containers: [{ name: 'main', image: 'busybox' }] },
      },
    });
    const podAlert = (name: string, fingerprint: string): Alert =>
      firing(fingerprint, {
        type: 'PodCrashLooping',
        involvedObject: { kind: 'Pod', name, namespace: 'default' },
        details: { pod: name },
      });
    await send([podAlert('trainer-0', 'fp-pod'), podAlert('gone-0', 'fp-pod-gone')]);
    await drained(2);
    expect((await only('fp-pod')).spec.involvedObject).toEqual({
      kind: 'Pod',
      name: 'trainer-0',
      namespace: 'default',
      node: 'node-2',
    });
    expect((await only('fp-pod-gone')).spec.involvedObject).toEqual({
      kind: 'Pod',
      name: 'gone-0',
      namespace: 'default',
    });
  });

  it('absorbs a storm of repeats with an exact count and few API writes', async () => {
    const { send, drained, worker, counting, metric } = setUp({ concurrency: 32 });
    const alert = firing('fp-storm');
    const total = 2_000;
    const started = Date.now();
    for (let offset = 0; offset < total; offset += 200) {
      await send(Array.from({ length: Math.min(200, total - offset) }, () => alert));
    }
    await drained(total);
    const elapsedMs = Date.now() - started;
    await worker.flush();
    const stormAlert = await only('fp-storm');
    expect(stormAlert.status?.count).toBe(total);
    const writes = counting.writes();
    console.info(
      `storm: ${total} deliveries in ${elapsedMs} ms → 1 AegisAlert, count ${stormAlert.status?.count}, ` +
        `${writes} API writes (${JSON.stringify(counting.counts)}), ${await metric('aegis_ingest_count_flush_writes_total')} flush writes`,
    );
    expect(counting.counts.create).toBe(1);
    expect(writes).toBeLessThan(total / 20);
  });
});
