import { request as httpRequest } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/core/alerts/index.js';
import { AegisError } from '../src/core/errors.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import {
  noParserMessage,
  registerWebhookRoutes,
  type AlertIntake,
  type AcceptedBody,
  type AlertParser,
  type ErrorBody,
  type WebhookRoutesOptions,
} from '../src/webhooks/index.js';

/** Either answer body: the 202 one or an error. */
type Answer = AcceptedBody & ErrorBody;

/** The AlertIntake port on a real BullMQ queue: one job per delivery id, failing fast when Redis is away. */
function bullmqIntake(
  redisUrl: string,
  prefix: string,
): AlertIntake & { queue: Queue; close(): Promise<void> } {
  const connection = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: () => 200,
  });
  connection.on('error', () => undefined);
  const queue = new Queue('ingest', { connection, prefix });
  queue.on('error', () => undefined);
  return {
    queue,
    async accept(deliveries) {
      try {
        await queue.addBulk(
          deliveries.map((delivery) => ({
            name: 'alert',
            data: delivery.alert,
            opts: { jobId: delivery.deliveryId },
          })),
        );
      } catch (error) {
        throw new AegisError('QUEUE_UNAVAILABLE', 'the ingest queue cannot take alerts', {
          retryable: true,
          cause: error,
        });
      }
    },
    depth: async () => await queue.getJobCountByTypes('wait', 'active', 'delayed'),
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

async function startWebhookServer(
  options: Omit<WebhookRoutesOptions, 'metrics'>,
): Promise<{ server: HttpServer; url: string }> {
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const server = createHttpServer({ logger: silentLogger, metrics });
  registerWebhookRoutes(server.app, { ...options, metrics });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, url };
}

async function post(
  url: string,
  body: string,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Answer }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

const alertmanagerPayload = {
  version: '4',
  status: 'firing',
  receiver: 'aegis',
  groupLabels: { alertname: 'NodeDown' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'NodeDown', node: 'node-1', severity: 'critical' },
      annotations: { description: 'node-1 is down' },
      startsAt: '2024-05-01T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: 'aaaabbbbccccdddd',
    },
    {
      status: 'firing',
      labels: { alertname: 'PodCrash', kind: 'Pod', pod: 'web-0', namespace: 'prod' },
      annotations: {},
      startsAt: '2024-05-01T10:00:00Z',
      fingerprint: 'eeeeffff00001111',
    },
  ],
};

const customAlert = {
  type: 'NodeHasEmergencyEvent',
  status: 'Firing',
  involvedObject: { Kind: 'Node', Name: 'node-7' },
  details: { reason: 'GpuFallenOff' },
  fingerprint: 'fp-node-7-gpu',
};

describe('webhook routes over HTTP, with a BullMQ queue on real Redis', () => {
  let redis: RedisProcess;
  let intake: ReturnType<typeof bullmqIntake>;
  let server: HttpServer;
  let url: string;

  beforeAll(async () => {
    redis = await startRedisProcess();
    intake = bullmqIntake(redis.url, `test-routes-${process.pid}`);
    ({ server, url } = await startWebhookServer({ intake, bodyLimitBytes: 64 * 1024 }));
  });

  afterAll(async () => {
    await server?.close();
    await intake?.close();
    await redis?.stop();
  });

  it('202: queues every Alertmanager alert, with a deterministic job id per delivery', async () => {
    const answer = await post(`${url}/alertmanager/alert`, JSON.stringify(alertmanagerPayload));
    expect(answer.status).toBe(202);
    expect(answer.body.refused).toEqual([]);
    expect(answer.body.accepted).toHaveLength(2);
    expect(answer.body.accepted[0]).toMatchObject({
      index: 0,
      fingerprint: 'aaaabbbbccccdddd',
      type: 'NodeDown',
      status: 'Firing',
    });
    for (const accepted of answer.body.accepted) {
      const job = await intake.queue.getJob(accepted.deliveryId);
      expect(job?.data).toMatchObject({ fingerprint: accepted.fingerprint, source: 'Alertmanager' });
    }
    // Alertmanager retries the same notification: the same job ids, no new jobs.
    const before = await intake.queue.count();
    const again = await post(`${url}/alertmanager/alert`, JSON.stringify(alertmanagerPayload));
    expect(again.status).toBe(202);
    expect(again.body.accepted.map((a) => a.deliveryId)).toEqual(
      answer.body.accepted.map((a) => a.deliveryId),
    );
    expect(await intake.queue.count()).toBe(before);
  });

  it('202 with refusals: one bad alert in a batch does not drop the others', async () => {
    const payload = {
      ...alertmanagerPayload,
      alerts: [
        alertmanagerPayload.alerts[0],
        { status: 'firing', labels: { severity: 'x' }, annotations: {} },
      ],
    };
    const answer = await post(
      `${url}/alertmanager/alert`,
      JSON.stringify(payload),
      'application/json; charset=utf-8',
    );
    expect(answer.status).toBe(202);
    expect(answer.body.accepted.map((a) => a.index)).toEqual([0]);
    expect(answer.body.refused).toEqual([
      { index: 1, path: expect.stringContaining('alerts[1]'), reason: expect.any(String) },
    ]);
  });

  it('202 on /default/alert and its alias /alert, one alert or an array, any application/*+json', async () => {
    const one = await post(`${url}/default/alert`, JSON.stringify(customAlert));
    expect(one.status).toBe(202);
    expect(one.body.accepted).toEqual([
      {
        index: 0,
        fingerprint: 'fp-node-7-gpu',
        type: 'NodeHasEmergencyEvent',
        status: 'Firing',
        deliveryId: expect.stringMatching(/^alert-[0-9a-f]{64}$/),
      },
    ]);
    const job = await intake.queue.getJob(one.body.accepted[0]!.deliveryId);
    expect(job?.data.involvedObject).toMatchObject({ kind: 'Node', name: 'node-7' });
    const many = await post(
      `${url}/alert`,
      JSON.stringify([customAlert, { ...customAlert, status: 'Resolved' }]),
      'application/vnd.aegis+json',
    );
    expect(many.status).toBe(202);
    expect(many.body.accepted.map((a) => a.status)).toEqual(['Firing', 'Resolved']);
  });

  it('422 when every alert is refused, with the field paths and reasons', async () => {
    const answer = await post(
      `${url}/default/alert`,
      JSON.stringify({ type: 'X', status: 'Burning', involvedObject: { kind: 'Node', name: 'n' } }),
    );
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatch(/refused/);
    expect(answer.body.details).toEqual([{ index: 0, path: 'status', reason: expect.any(String) }]);
    const pod = await post(
      `${url}/default/alert`,
      JSON.stringify([{ ...customAlert, involvedObject: { kind: 'Pod', name: 'web-0' } }]),
    );
    expect(pod.status).toBe(422);
    expect(pod.body.details![0]!.path).toMatch(/^\[0\]\.involvedObject/);
  });

  it('400 for a body that is not JSON, empty, or of the wrong shape', async () => {
    expect((await post(`${url}/default/alert`, '{"type": ')).body).toEqual({
      error: 'the body is not valid JSON',
    });
    expect((await post(`${url}/default/alert`, '{"type": ')).status).toBe(400);
    expect((await post(`${url}/alertmanager/alert`, '')).status).toBe(400);
    const wrongShape = await post(`${url}/alertmanager/alert`, JSON.stringify({ version: '4' }));
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.details).toEqual([{ index: 0, path: 'alerts', reason: 'is required' }]);
    expect((await post(`${url}/default/alert`, '"just a string"')).status).toBe(400);
    expect((await post(`${url}/default/alert`, '[]')).status).toBe(400);
  });

  it('415 for a content type the route does not take', async () => {
    const xml = await post(`${url}/default/alert`, '<alert/>', 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.body.error).toContain('application/json');
    expect((await post(`${url}/alertmanager/alert`, 'x', 'text/plain')).status).toBe(415);
    expect(
      (await post(`${url}/default/alert`, JSON.stringify(customAlert), 'application/json; charset=latin1'))
        .status,
    ).toBe(415);
    expect((await post(`${url}/default/alert`, JSON.stringify(customAlert), 'not a media type')).status).toBe(
      415,
    );
    // No Content-Type at all (fetch would add text/plain for a string body).
    const none = await postRaw(`${url}/default/alert`, JSON.stringify(customAlert), {});
    expect(none.status).toBe(415);
    expect(JSON.parse(none.body).error).toMatch(/Content-Type header is required/);
  });

  it('413 over the body limit, saying the limit', async () => {
    const big = JSON.stringify({ ...customAlert, details: { blob: 'x'.repeat(70 * 1024) } });
    const answer = await postRaw(`${url}/default/alert`, big);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the body is larger than the limit of 64 KiB' });
  });

  it('405 for other methods on the webhook paths', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${url}/alertmanager/alert`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toEqual({ error: expect.stringContaining('POST') });
    }
  });

  it('/ai/alert: known shapes go to their parsers (source AI); others get 422 without an LLM', async () => {
    const am = await post(`${url}/ai/alert`, JSON.stringify(alertmanagerPayload), 'text/plain');
    expect(am.status).toBe(202);
    const job = await intake.queue.getJob(am.body.accepted[0]!.deliveryId);
    expect(job?.data.source).toBe('AI');
    const custom = await post(`${url}/ai/alert`, JSON.stringify(customAlert));
    expect(custom.status).toBe(202);
    const text = await post(`${url}/ai/alert`, 'disk full on node-3', 'text/plain');
    expect(text).toMatchObject({ status: 422, body: { error: noParserMessage } });
    const unknownJson = await post(`${url}/ai/alert`, JSON.stringify({ title: 'disk full' }));
    expect(unknownJson.status).toBe(422);
    expect((await post(`${url}/ai/alert`, 'x', 'application/xml')).status).toBe(415);
  });

  it('serves the webhook metrics on /metrics', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/aegis_webhook_alerts_received_total\{source="alertmanager"\} \d+/);
    expect(text).toMatch(/aegis_webhook_alerts_accepted_total\{source="default"\} \d+/);
    expect(text).toMatch(/aegis_webhook_alerts_refused_total\{source="default",reason="validation"\} 2/);
    expect(text).toMatch(/aegis_webhook_alerts_refused_total\{source="default",reason="too_large"\} 1/);
    expect(text).toMatch(/aegis_webhook_alerts_refused_total\{source="ai",reason="unparseable"\} 2/);
    expect(text).toMatch(/aegis_webhook_requests_total\{route="\/alertmanager\/alert",code="405"\} 3/);
    expect(text).toMatch(/aegis_webhook_accept_seconds_bucket\{le="0.25",source="alertmanager"\} \d+/);
    expect(text).toMatch(/aegis_webhook_queue_depth \d+/);
  });
});

/** A POST through node:http that tolerates the server closing the connection after an early answer. */
async function postRaw(
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; body: string }> {
  return await new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('webhook routes when the queue is unavailable, with a prefix, with an alert parser', () => {
  let redis: RedisProcess;
  let intake: ReturnType<typeof bullmqIntake>;
  let server: HttpServer;
  let url: string;
  const seen: { raw: string; contentType: string }[] = [];
  const parser: AlertParser = {
    parse: async (raw, contentType) => {
      await Promise.resolve();
      seen.push({ raw, contentType });
      if (raw.includes('garbage'))
        throw new AegisError('ALERT_UNREADABLE', 'no alert found', { userMessage: 'no alert in this text' });
      if (raw.includes('llm down')) throw new AegisError('LLM_UNAVAILABLE', 'llm down', { retryable: true });
      const alert: Alert = {
        source: 'whatever',
        type: 'DiskFull',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'node-3' },
        details: { text: raw },
        fingerprint: 'fp-disk',
      };
      return [alert];
    },
  };

  beforeAll(async () => {
    redis = await startRedisProcess();
    intake = bullmqIntake(redis.url, `test-down-${process.pid}`);
    ({ server, url } = await startWebhookServer({
      intake,
      routePrefix: '/aegis/',
      alertParser: parser,
      retryAfterSeconds: 7,
      acceptTimeoutMs: 1_000,
    }));
  });

  afterAll(async () => {
    await server?.close();
    await intake?.close();
    await redis?.stop();
  });

  it('serves the routes under the prefix only', async () => {
    expect((await post(`${url}/aegis/default/alert`, JSON.stringify(customAlert))).status).toBe(202);
    expect((await post(`${url}/default/alert`, JSON.stringify(customAlert))).status).toBe(404);
  });

  it('hands unknown payloads to the AlertParser', async () => {
    const answer = await post(`${url}/aegis/ai/alert`, 'disk full on node-3', 'text/plain; charset=utf-8');
    expect(answer.status).toBe(202);
    expect(seen.at(-1)).toEqual({ raw: 'disk full on node-3', contentType: 'text/plain; charset=utf-8' });
    expect((await intake.queue.getJob(answer.body.accepted[0]!.deliveryId))?.data.source).toBe('AI');
    const garbage = await post(`${url}/aegis/ai/alert`, 'garbage', 'text/plain');
    expect(garbage).toMatchObject({
      status: 422,
      body: { error: expect.stringContaining('no alert in this text') },
    });
    const down = await post(`${url}/aegis/ai/alert`, 'llm down', 'text/plain');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('7');
  });

  it('503 with Retry-After when Redis is gone; nothing acknowledged', async () => {
    await redis.stop();
    const answer = await post(`${url}/aegis/alertmanager/alert`, JSON.stringify(alertmanagerPayload));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.body.error).toMatch(/queue is unavailable/);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /aegis_webhook_alerts_refused_total\{source="alertmanager",reason="queue_unavailable"\} 2/,
    );
  });
});
