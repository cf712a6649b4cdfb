/**
 * Inputs for fuzzing the webhook routes, shared by test/webhook-fuzz.test.ts (a few hundred cases in CI) and
 * bench/fuzz.ts (10,000 cases per route): bodies shaped around the alert formats (valid, nearly valid,
 * truncated, binary, oversized), any Content-Type, any authentication header, sent whole or in two chunks.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { AlertDelivery, AlertIntake } from '../../src/webhooks/index.js';

export interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** node:http, so bodies can be any bytes and the Content-Type can be left out or be anything printable. */
export async function rawPost(
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

/** Every webhook route that takes an alert body. */
export const webhookPaths = ['/alertmanager/alert', '/default/alert', '/alert', '/ai/alert'];

/** Mostly JSON (so most cases reach the parsers), then odd and random types, and none at all. */
export const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  fc.constantFrom('application/json', 'text/plain'),
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

export const webhookBodies = fc.oneof(
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

/** Authentication headers: the right token, none, a wrong token, malformed and stale signatures. */
export const authHeaders = fc.constantFrom<Record<string, string>>(
  { authorization: 'Bearer token' },
  {},
  { authorization: 'Bearer wrong' },
  { 'x-aegis-signature': 'sha256=00' },
  { 'x-aegis-signature': `sha256=${'ab'.repeat(32)}`, 'x-aegis-timestamp': '12' },
);

/** A recording fake of the AlertIntake port (the queue is not what is fuzzed here). */
export function recordingIntake(): AlertIntake & { deliveries: AlertDelivery[] } {
  const deliveries: AlertDelivery[] = [];
  return {
    deliveries,
    accept: async (batch) => void deliveries.push(...(await Promise.resolve(batch))),
    depth: async () => await Promise.resolve(deliveries.length),
  };
}
