import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import {
  computeSignature,
  registerWebhookRoutes,
  signatureHeaders,
  type AlertDelivery,
  type AlertIntake,
  type WebhookAuthOptions,
} from '../src/webhooks/index.js';

/** A recording fake of the AlertIntake port: the queue is irrelevant to authentication. */
function recordingIntake(): AlertIntake & { deliveries: AlertDelivery[] } {
  const deliveries: AlertDelivery[] = [];
  return {
    deliveries,
    accept: async (batch) => void deliveries.push(...(await Promise.resolve(batch))),
    depth: async () => await Promise.resolve(deliveries.length),
  };
}

const body = JSON.stringify({
  type: 'NodeNotReady',
  status: 'Firing',
  involvedObject: { kind: 'Node', name: 'node-1' },
  details: { reason: 'KubeletDown' },
  fingerprint: 'fp-1',
});
const bodyBytes = Buffer.from(body);
const nowSeconds = 1_700_000_000;

interface Server {
  url: string;
  server: HttpServer;
  intake: ReturnType<typeof recordingIntake>;
}

async function start(auth: WebhookAuthOptions): Promise<Server> {
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const server = createHttpServer({ logger: silentLogger, metrics });
  const intake = recordingIntake();
  registerWebhookRoutes(server.app, { intake, metrics, auth, now: () => nowSeconds * 1000 });
  return { url: await server.listen({ host: '127.0.0.1', port: 0 }), server, intake };
}

async function send(
  target: Server,
  headers: Record<string, string>,
  payload: string = body,
): Promise<{ status: number; error: string | undefined; challenge: string | null; text: string }> {
  const response = await fetch(`${target.url}/default/alert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  const text = await response.text();
  const parsed = JSON.parse(text) as { error?: string };
  return {
    status: response.status,
    error: parsed.error,
    challenge: response.headers.get('www-authenticate'),
    text,
  };
}

describe('webhook authentication: bearer tokens', () => {
  let target: Server;
  beforeAll(async () => {
    target = await start({ bearerTokens: ['old-token-123', 'new-token-456'] });
  });
  afterAll(async () => await target.server.close());

  it('accepts each token of the rotation list', async () => {
    expect((await send(target, { authorization: 'Bearer old-token-123' })).status).toBe(202);
    expect((await send(target, { authorization: 'bearer new-token-456' })).status).toBe(202);
  });

  it('401 with WWW-Authenticate without a token, with a wrong one, or another scheme; the token is not echoed', async () => {
    const missing = await send(target, {});
    expect(missing).toMatchObject({ status: 401, challenge: 'Bearer realm="aegis-webhooks"' });
    expect(missing.error).toMatch(/authentication required/);
    const wrong = await send(target, { authorization: 'Bearer new-token-45' });
    expect(wrong).toMatchObject({ status: 401, error: 'the bearer token is not valid' });
    expect(wrong.text).not.toContain('new-token-45');
    const basic = await send(target, { authorization: 'Basic b2xkLXRva2VuLTEyMw==' });
    expect(basic).toMatchObject({
      status: 401,
      error: 'the Authorization header must use the Bearer scheme',
    });
    expect(basic.text).not.toContain('b2xk');
  });

  it('refuses before reading the body (401 even for a body over the limit)', async () => {
    const answer = await send(target, { authorization: 'Bearer nope' }, 'x'.repeat(2 * 1_048_576));
    expect(answer.status).toBe(401);
  });

  it('counts refusals for auth in the metrics', async () => {
    const text = await (await fetch(`${target.url}/metrics`)).text();
    expect(text).toMatch(/aegis_webhook_alerts_refused_total\{source="default",reason="auth"\} [1-9]/);
    expect(text).toMatch(/aegis_webhook_requests_total\{route="\/default\/alert",code="401"\} [1-9]/);
  });
});

describe('webhook authentication: HMAC signatures', () => {
  let target: Server;
  beforeAll(async () => {
    target = await start({ hmacSecrets: ['s3cret-a', 's3cret-b'] });
  });
  afterAll(async () => await target.server.close());

  it('accepts a signature with a timestamp (sha256 of "<timestamp>.<body>")', async () => {
    const headers = signatureHeaders('s3cret-a', bodyBytes, nowSeconds);
    expect(headers['X-Aegis-Signature']).toBe(
      computeSignature('s3cret-a', Buffer.from(`${nowSeconds}.${body}`)),
    );
    expect((await send(target, headers)).status).toBe(202);
    expect((await send(target, signatureHeaders('s3cret-b', bodyBytes, nowSeconds - 299))).status).toBe(202);
  });

  it('refuses a signature of the body alone (it could be replayed forever) unless configured otherwise', async () => {
    const untimed = { 'x-aegis-signature': computeSignature('s3cret-b', bodyBytes) };
    expect(await send(target, untimed)).toMatchObject({
      status: 401,
      error: 'X-Aegis-Timestamp (Unix seconds) is required with the signature',
    });
    const lenient = await start({ hmacSecrets: ['s3cret-b'], requireTimestamp: false });
    try {
      expect((await send(lenient, untimed)).status).toBe(202);
    } finally {
      await lenient.server.close();
    }
  });

  it('401 for a replay outside the 5 minute tolerance, in either direction', async () => {
    const old = await send(target, signatureHeaders('s3cret-a', bodyBytes, nowSeconds - 301));
    expect(old).toMatchObject({
      status: 401,
      error: expect.stringMatching(/300 s away from the server clock/),
    });
    expect((await send(target, signatureHeaders('s3cret-a', bodyBytes, nowSeconds + 301))).status).toBe(401);
  });

  it('401 for a wrong secret, a changed body, a changed timestamp, or a malformed signature', async () => {
    const wrongSecret = await send(target, signatureHeaders('s3cret-c', bodyBytes, nowSeconds));
    expect(wrongSecret).toMatchObject({ status: 401, error: 'the signature does not match the body' });
    expect(wrongSecret.challenge).toContain('AegisSignature');
    const signed = signatureHeaders('s3cret-a', bodyBytes, nowSeconds);
    expect((await send(target, signed, body.replace('node-1', 'node-2'))).status).toBe(401);
    expect((await send(target, { ...signed, 'X-Aegis-Timestamp': String(nowSeconds - 1) })).status).toBe(401);
    const malformed = await send(target, { 'x-aegis-signature': 'md5=abc' });
    expect(malformed).toMatchObject({
      status: 401,
      error: 'X-Aegis-Signature must be sha256=<64 hex digits>',
    });
    const badTime = await send(target, { ...signed, 'X-Aegis-Timestamp': 'yesterday' });
    expect(badTime).toMatchObject({ status: 401, error: 'X-Aegis-Timestamp must be Unix seconds' });
    expect((await send(target, {})).status).toBe(401);
    expect(target.intake.deliveries.every((delivery) => delivery.alert.fingerprint === 'fp-1')).toBe(true);
  });

  it('can require the timestamp', async () => {
    const strict = await start({ hmacSecrets: ['k'], requireTimestamp: true });
    try {
      const bare = await send(strict, { 'x-aegis-signature': computeSignature('k', bodyBytes) });
      expect(bare).toMatchObject({
        status: 401,
        error: expect.stringMatching(/X-Aegis-Timestamp .* is required/),
      });
      expect((await send(strict, signatureHeaders('k', bodyBytes, nowSeconds))).status).toBe(202);
    } finally {
      await strict.server.close();
    }
  });
});

describe('webhook authentication: token and HMAC both configured', () => {
  let target: Server;
  beforeAll(async () => {
    target = await start({ bearerTokens: ['tok'], hmacSecrets: ['key'] });
  });
  afterAll(async () => await target.server.close());

  it('either one passing is enough', async () => {
    expect((await send(target, { authorization: 'Bearer tok' })).status).toBe(202);
    expect((await send(target, signatureHeaders('key', bodyBytes, nowSeconds))).status).toBe(202);
    expect(
      (
        await send(target, {
          authorization: 'Bearer wrong',
          ...signatureHeaders('key', bodyBytes, nowSeconds),
        })
      ).status,
    ).toBe(202);
  });

  it('401 when neither passes, naming both ways', async () => {
    const none = await send(target, {});
    expect(none.status).toBe(401);
    expect(none.error).toMatch(/Bearer <token> or sign the body/);
    expect(none.challenge).toBe(
      'Bearer realm="aegis-webhooks", AegisSignature realm="aegis-webhooks", header="X-Aegis-Signature"',
    );
    expect((await send(target, { authorization: 'Bearer wrong' })).error).toBe(
      'the bearer token is not valid',
    );
  });
});

describe('webhook authentication: none configured', () => {
  it('accepts unauthenticated posts', async () => {
    const target = await start({});
    try {
      expect((await send(target, {})).status).toBe(202);
      expect(target.intake.deliveries).toHaveLength(1);
    } finally {
      await target.server.close();
    }
  });
});
