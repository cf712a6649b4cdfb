import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { registerWebhookRoutes } from '../src/webhooks/index.js';
import {
  authHeaders,
  contentTypes,
  rawPost,
  recordingIntake,
  webhookBodies,
  webhookPaths,
} from './support/webhook-fuzz-inputs.js';

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
          fc.constantFrom(...webhookPaths),
          webhookBodies,
          contentTypes,
          authHeaders,
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
