/**
 * Issue 10, item 5: a signed request is accepted once (a captured Firing replayed after the Resolved must not run
 * the SOP again), across replicas sharing Redis, while a request that was not accepted (503) may be retried; and
 * one alert cannot carry unbounded details (20,006 labels were accepted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRedisSignatureReplayGuard,
  type RedisSignatureReplayGuard,
} from '../src/controller/ingest/index.js';
import { AegisError } from '../src/core/errors.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import {
  registerWebhookRoutes,
  signatureHeaders,
  type AlertDelivery,
  type SignatureReplayGuard,
} from '../src/webhooks/index.js';

const secret = 'replay-test-secret';

interface Replica {
  url: string;
  delivered: AlertDelivery[];
  failNext: { value: boolean };
  close(): Promise<void>;
}

async function startReplica(replayGuard: SignatureReplayGuard): Promise<Replica> {
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const server: HttpServer = createHttpServer({ logger: silentLogger, metrics });
  const delivered: AlertDelivery[] = [];
  const failNext = { value: false };
  registerWebhookRoutes(server.app, {
    metrics,
    auth: { hmacSecrets: [secret] },
    replayGuard,
    acceptTimeoutMs: 2_000,
    intake: {
      accept: async (deliveries) => {
        if (failNext.value) {
          failNext.value = false;
          throw new AegisError('QUEUE_UNAVAILABLE', 'redis is down', { retryable: true });
        }
        delivered.push(...deliveries);
        await Promise.resolve();
      },
      depth: async () => await Promise.resolve(delivered.length),
    },
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { url, delivered, failNext, close: async () => await server.close() };
}

function alert(status: 'Firing' | 'Resolved'): string {
  return JSON.stringify({
    type: 'NodeHasEmergencyEvent',
    status,
    involvedObject: { kind: 'Node', name: 'dev1' },
    details: { node: 'dev1' },
    fingerprint: 'fp-dev1',
  });
}

async function post(
  replica: Replica,
  body: string,
  headers: Record<string, string>,
  path = '/default/alert',
) {
  const response = await fetch(`${replica.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('signed webhook requests are accepted once', () => {
  let redis: RedisProcess;
  let guards: RedisSignatureReplayGuard[];
  let first: Replica;
  let second: Replica;

  beforeAll(async () => {
    redis = await startRedisProcess();
    const prefix = `replay-${process.pid}`;
    guards = [0, 1].map(() =>
      createRedisSignatureReplayGuard({ redisUrl: redis.url, prefix, logger: silentLogger }),
    );
    first = await startReplica(guards[0] as RedisSignatureReplayGuard);
    second = await startReplica(guards[1] as RedisSignatureReplayGuard);
  }, 30_000);
  afterAll(async () => {
    await first.close();
    await second.close();
    for (const guard of guards) await guard.close();
    await redis.stop();
  });

  it('refuses a signed Firing replayed after the Resolved, on any replica', async () => {
    const firing = alert('Firing');
    const firingHeaders = signatureHeaders(secret, Buffer.from(firing));
    expect((await post(first, firing, firingHeaders)).status).toBe(202);
    const resolved = alert('Resolved');
    expect((await post(first, resolved, signatureHeaders(secret, Buffer.from(resolved)))).status).toBe(202);

    const replayHere = await post(first, firing, firingHeaders);
    expect(replayHere).toMatchObject({ status: 401 });
    expect(String(replayHere.body['error'])).toContain(
      'this signature was already used (a replayed request)',
    );
    expect((await post(second, firing, firingHeaders)).status).toBe(401);
    expect(first.delivered.map(({ alert: delivered }) => delivered.status)).toEqual(['Firing', 'Resolved']);
    expect(second.delivered).toEqual([]);
  });

  it('lets the sender retry a signed request that was answered 503', async () => {
    const body = JSON.stringify({
      type: 'GpuLost',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'dev2' },
      details: { node: 'dev2' },
      fingerprint: 'fp-dev2',
    });
    const headers = signatureHeaders(secret, Buffer.from(body));
    first.failNext.value = true;
    expect((await post(first, body, headers)).status).toBe(503);
    // The release happens as the 503 is sent; give it the moment it takes.
    let retried = 0;
    for (let attempt = 0; attempt < 50 && retried !== 202; attempt += 1) {
      retried = (await post(first, body, headers)).status;
      if (retried !== 202) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(retried).toBe(202);
    expect((await post(first, body, headers)).status).toBe(401);
  });
});

describe('one alert cannot carry unbounded details', () => {
  let replica: Replica;
  beforeAll(async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const server = createHttpServer({ logger: silentLogger, metrics });
    const delivered: AlertDelivery[] = [];
    registerWebhookRoutes(server.app, {
      metrics,
      intake: {
        accept: async (deliveries) => void delivered.push(...(await Promise.resolve(deliveries))),
        depth: async () => await Promise.resolve(0),
      },
    });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    replica = { url, delivered, failNext: { value: false }, close: async () => await server.close() };
  });
  afterAll(async () => await replica.close());

  it('refuses an Alertmanager alert with 20,006 labels (422 naming the alert and the limit), keeping the others', async () => {
    const labels: Record<string, string> = { alertname: 'Flood', node: 'dev1' };
    for (let index = 0; index < 20_004; index += 1) labels[`l${index}`] = 'v';
    const payload = JSON.stringify({
      version: '4',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Fine', node: 'dev1' },
          annotations: {},
          startsAt: '2026-01-01T00:00:00Z',
        },
        { status: 'firing', labels, annotations: {}, startsAt: '2026-01-01T00:00:00Z' },
      ],
    });
    const answer = await post(replica, payload, {}, '/alertmanager/alert');
    expect(answer.status).toBe(202);
    expect(answer.body['refused']).toEqual([
      {
        index: 1,
        path: 'details',
        reason:
          'alert 1 (type "Flood") has 20006 details (labels and annotations); at most 256 are accepted (AEGIS_ALERT_MAX_DETAILS)',
      },
    ]);
    expect(replica.delivered.map(({ alert: delivered }) => delivered.type)).toEqual(['Fine']);
  });

  it('refuses an alert whose details are too large, or whose type is too long, with 422 when it is alone', async () => {
    const big = await post(
      replica,
      JSON.stringify({
        type: 'Big',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'dev1' },
        details: { message: 'x'.repeat(70_000) },
        fingerprint: 'f',
      }),
      {},
    );
    expect(big.status).toBe(422);
    expect(JSON.stringify(big.body)).toContain(
      'has 70007 bytes of details; at most 65536 are accepted (AEGIS_ALERT_MAX_DETAILS_SIZE)',
    );
    const long = await post(
      replica,
      JSON.stringify({
        type: 'T'.repeat(300),
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'dev1' },
        details: { a: 'b' },
        fingerprint: 'f',
      }),
      {},
    );
    expect(long.status).toBe(422);
    expect(JSON.stringify(long.body)).toContain('is 300 characters long; at most 256 are accepted');
  });
});
