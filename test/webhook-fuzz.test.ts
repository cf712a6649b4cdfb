import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { registerWebhookRoutes, type AlertDelivery, type AlertIntake } from '../src/webhooks/index.js';

/** A recording fake of the AlertIntake port (the queue is not what is fuzzed here). */
function recordingIntake(): AlertIntake & { deliveries: AlertDelivery[] } {
  const deliveries: AlertDelivery[] = [];
  return {
    deliveries,
    accept: async (batch) => void deliveries.push(...(await Promise.resolve(batch))),
    depth: async () => await Promise.resolve(deliveries.length),
  };
}

interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** node:http, so bodies can be any bytes and the Content-Type can be left out or be anything printable. */
async function rawPost(
  url: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  chunked: boolean,
): Promise<RawAnswer> {
  return await new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('error', reject);
    if (chunked) {
      request.write(body.subarray(0, Math.floor(body.length / 2)));
      request.end(body.subarray(Math.floor(body.length / 2)));
    } else {
      request.end(body);
    }
  });
}

const paths = ['/alertmanager/alert', '/default/alert', '/alert', '/ai/alert'];

const contentTypes = fc.oneof(
  fc.constantFrom('application/json', 'application/json', 'text/plain'),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-16',
    'application/vnd.alert+json',
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    '*/*',
    ';',
    'application/',
    'application/json;;;charset=',
  ),
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
  fc.constant(undefined),
);

const alertKeys = fc.constantFrom(
  'type',
  'Type',
  'status',
  'STATUS',
  'involvedObject',
  'involvedobject',
  'kind',
  'Kind',
  'name',
  'namespace',
  'node',
  'details',
  'fingerprint',
  'startsAt',
  'alerts',
  'labels',
  'annotations',
  'alertname',
  'pod',
  'instance',
  '__proto__',
  'constructor',
);

/** JSON values shaped around the alert formats, so the fuzzing reaches past the first checks. */
const alertish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'Firing',
      'Resolved',
      'firing',
      'resolved',
      'Pod',
      'Node',
      '',
      'x',
      '0001-01-01T00:00:00Z',
    ),
    fc.jsonValue({ maxDepth: 1 }),
    tie('object'),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
  object: fc.dictionary(alertKeys, tie('value'), { maxKeys: 8 }),
})).value;

const nonEmpty = fc.string({ minLength: 1, maxLength: 20 });

/** Valid custom alerts with random values: these should mostly be accepted. */
const validCustom = fc.record({
  type: nonEmpty,
  status: fc.constantFrom('Firing', 'Resolved', 'firing'),
  involvedObject: fc.record({ kind: fc.constantFrom('Node', 'Cluster', 'GPU'), name: nonEmpty }),
  details: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
  fingerprint: nonEmpty,
});

/** Valid Alertmanager alerts with random label values. */
const validAlertmanager = fc.record({
  status: fc.constantFrom('firing', 'resolved'),
  labels: fc.record({ alertname: nonEmpty, node: nonEmpty, severity: fc.string({ maxLength: 8 }) }),
  annotations: fc.dictionary(fc.constantFrom('description', 'summary'), fc.string({ maxLength: 30 })),
  startsAt: fc.constantFrom('2024-01-01T00:00:00Z', '0001-01-01T00:00:00Z', 'not a time'),
  fingerprint: fc.stringMatching(/^[0-9a-f]{16}$/),
});

const bodies = fc.oneof(
  validCustom.map((alert) => Buffer.from(JSON.stringify(alert))),
  fc
    .array(fc.oneof(validCustom, alertish), { maxLength: 5 })
    .map((list) => Buffer.from(JSON.stringify(list))),
  fc
    .array(validAlertmanager, { maxLength: 5 })
    .map((alerts) => Buffer.from(JSON.stringify({ version: '4', status: 'firing', alerts }))),
  fc
    .integer({ min: 4_000, max: 9_000 })
    .map((size) => Buffer.from(JSON.stringify({ blob: 'x'.repeat(size) }))),
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
  alertish.map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  alertish.map((value) => Buffer.from(JSON.stringify({ alerts: [value, value] }))),
  fc.string({ unit: 'binary' }).map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  alertish.map((value) => Buffer.from((JSON.stringify(value) ?? '').slice(0, -1))),
);

describe('webhook routes under random and malformed input', () => {
  const servers: HttpServer[] = [];
  /** One server without authentication (the fuzzing reaches the parsers), one with token and HMAC. */
  const urls: string[] = [];

  beforeAll(async () => {
    for (const auth of [{}, { bearerTokens: ['token'], hmacSecrets: ['secret'] }]) {
      const metrics = createMetricsRegistry({ defaultMetrics: false });
      const server = createHttpServer({ logger: silentLogger, metrics });
      registerWebhookRoutes(server.app, { intake: recordingIntake(), metrics, bodyLimitBytes: 4_096, auth });
      servers.push(server);
      urls.push(await server.listen({ host: '127.0.0.1', port: 0 }));
    }
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('never answers 5xx, always answers JSON, and keeps running', async () => {
    const unhandled: unknown[] = [];
    const statuses = new Set<number>();
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...urls),
          fc.constantFrom(...paths),
          bodies,
          contentTypes,
          fc.constantFrom<Record<string, string>>(
            { authorization: 'Bearer token' },
            {},
            { authorization: 'Bearer wrong' },
            { 'x-aegis-signature': 'sha256=00' },
            { 'x-aegis-signature': `sha256=${'ab'.repeat(32)}`, 'x-aegis-timestamp': '12' },
          ),
          fc.boolean(),
          async (url, path, body, contentType, auth, chunked) => {
            const headers: Record<string, string> = { ...auth };
            if (contentType !== undefined) headers['content-type'] = contentType;
            const answer = await rawPost(url, path, body, headers, chunked);
            statuses.add(answer.status);
            expect(answer.status, answer.body).toBeGreaterThanOrEqual(200);
            expect(answer.status, answer.body).toBeLessThan(500);
            expect(answer.contentType).toMatch(/^application\/json/);
            const parsed = JSON.parse(answer.body) as Record<string, unknown>;
            if (answer.status === 202) expect(Array.isArray(parsed['accepted'])).toBe(true);
            else expect(typeof parsed['error']).toBe('string');
          },
        ),
        { numRuns: 800 },
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    // The generators reach every outcome, not just the first check.
    for (const status of [202, 400, 401, 413, 415, 422]) expect(statuses).toContain(status);
    for (const url of urls) expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 120_000);
});
