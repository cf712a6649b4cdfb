import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAegisAlertObject, type Alert } from '../src/core/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import type { AegisAlertStatus } from '../src/core/resources/aegis-alert.js';
import {
  startTtlSweeper,
  sweepExpiredAlerts,
  upstreamAlertTtlDefaults,
  type AegisAlertTtlStrategy,
} from '../src/controller/ingest/index.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

let env: IngestEnvironment;
beforeAll(async () => {
  env = await startIngestEnvironment();
}, 60_000);
afterAll(async () => {
  await env.stop();
});

const hour = 3_600_000;
const now = new Date('2026-11-20T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function makeAlert(
  fingerprint: string,
  status: Partial<AegisAlertStatus>,
  ttl: AegisAlertTtlStrategy = {},
): Promise<string> {
  const alert: Alert = {
    source: 'Default',
    type: 'TtlCase',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'node-0' },
    details: {},
    fingerprint,
  };
  const { object } = buildAegisAlertObject(alert, {
    namespace: alertNamespace,
    systemParameters: {},
    ttl,
    now: ago(0),
  });
  const created = await env.store.create(object);
  const name = created.metadata.name ?? '';
  await env.store.patchStatus(alertNamespace, name, { startTime: ago(10 * 24 * hour), count: 1, ...status });
  return name;
}

async function names(): Promise<string[]> {
  return (await env.store.list(alertNamespace)).map((item) => item.metadata.name ?? '');
}

describe('TTL sweep', () => {
  it('deletes finished alerts by their TTL measured from completion, not from start', async () => {
    const succeededLongAgo = await makeAlert(
      'ttl-1',
      { status: 'Firing', opsStatus: { alertOpsStatus: 'Succeeded', completionTime: ago(2 * hour) } },
      { secondsAfterSuccess: 3_600 },
    );
    // Started 10 days ago (upstream would delete it), but completed only 10 minutes ago.
    const succeededRecently = await makeAlert(
      'ttl-2',
      { status: 'Firing', opsStatus: { alertOpsStatus: 'Succeeded', completionTime: ago(hour / 6) } },
      { secondsAfterSuccess: 3_600 },
    );
    const failedWithinTtl = await makeAlert(
      'ttl-3',
      { status: 'Firing', opsStatus: { alertOpsStatus: 'Failed', completionTime: ago(2 * hour) } },
      { secondsAfterFailure: 3 * 3_600 },
    );
    const failedExpired = await makeAlert(
      'ttl-4',
      { status: 'Firing', opsStatus: { alertOpsStatus: 'Failed', completionTime: ago(4 * hour) } },
      { secondsAfterFailure: 3 * 3_600 },
    );
    const running = await makeAlert('ttl-5', { status: 'Firing', opsStatus: { alertOpsStatus: 'Running' } });
    // No ops, resolved two days ago: the configured default (1 day) applies.
    const resolvedNoOps = await makeAlert('ttl-6', { status: 'Resolved', resolvedAt: ago(48 * hour) });
    const resolvedRecently = await makeAlert('ttl-7', { status: 'Resolved', resolvedAt: ago(hour) });
    const firingNoOps = await makeAlert('ttl-8', { status: 'Firing' });

    const deleted = await sweepExpiredAlerts({
      store: env.store,
      namespace: alertNamespace,
      defaults: upstreamAlertTtlDefaults,
      now: () => now,
      logger: silentLogger,
    });
    expect(deleted.sort()).toEqual([succeededLongAgo, failedExpired, resolvedNoOps].sort());
    const left = await names();
    for (const kept of [succeededRecently, failedWithinTtl, running, resolvedRecently, firingNoOps]) {
      expect(left).toContain(kept);
    }
    for (const gone of deleted) expect(left).not.toContain(gone);
  });

  it('runs as a BullMQ job scheduler in every replica, sweeping once per interval', async () => {
    const expired = await makeAlert(
      'ttl-sched',
      { status: 'Resolved', resolvedAt: ago(2 * hour) },
      { secondsAfterNoOps: 60 },
    );
    const options = {
      redisUrl: env.redis.url,
      prefix: `ingest-ttl-${process.pid}`,
      store: env.store,
      namespace: alertNamespace,
      defaults: upstreamAlertTtlDefaults,
      now: () => now,
      logger: silentLogger,
      everyMs: 200,
    };
    const replicas = [await startTtlSweeper(options), await startTtlSweeper(options)];
    try {
      await eventually(
        async () => ((await names()).includes(expired) ? undefined : true),
        15_000,
        'expired alert deleted',
      );
    } finally {
      for (const replica of replicas) await replica.close();
    }
  });
});
