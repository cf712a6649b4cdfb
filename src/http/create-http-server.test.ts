import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createMetricsRegistry } from '../metrics/index.js';
import {
  createRedisHealth,
  startRedisProcess,
  type RedisHealth,
  type RedisProcess,
} from '../platform/index.js';
import { createHttpServer, runReadinessChecks, type HttpServer } from './index.js';

describe('HTTP server', () => {
  let redis: RedisProcess;
  let redisHealth: RedisHealth;
  let server: HttpServer;
  let url: string;
  let apiServerUp = true;

  beforeAll(async () => {
    redis = await startRedisProcess();
    redisHealth = createRedisHealth(redis.url, silentLogger);
    server = createHttpServer({
      logger: silentLogger,
      metrics: createMetricsRegistry(),
      readinessChecks: [{ name: 'redis', run: async () => await redisHealth.check() }],
      checkTimeoutMs: 300,
    });
    server.addReadinessCheck({
      name: 'kubernetes',
      run: () =>
        apiServerUp ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443')),
    });
    server.app.get('/boom', () => Promise.reject(new Error('secret internals')));
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server.close();
    await redisHealth.close();
    await redis.stop();
  });

  it('answers an unknown route with {error} like every other error', async () => {
    const response = await fetch(`${url}/no/such/route?x=1`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no route POST /no/such/route' });
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when Redis answers PING and every check passes', async () => {
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status).toBe(200);
    const body = (await (await fetch(`${url}/readyz`)).json()) as {
      status: string;
      checks: { name: string; status: string }[];
    };
    expect(body.status).toBe('ok');
    expect(body.checks.map((check) => [check.name, check.status])).toEqual([
      ['redis', 'ok'],
      ['kubernetes', 'ok'],
    ]);
  });

  it('answers 503 naming the failing check and why', async () => {
    apiServerUp = false;
    try {
      const response = await fetch(`${url}/readyz`);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({
        status: 'unavailable',
        failed: ['kubernetes'],
        checks: [
          { name: 'redis', status: 'ok' },
          { name: 'kubernetes', status: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:6443' },
        ],
      });
      expect(text).toContain('kubernetes');
    } finally {
      apiServerUp = true;
    }
  });

  it('serves Prometheus metrics with process metrics and request durations', async () => {
    await fetch(`${url}/healthz`);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).toMatch(
      /aegis_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} \d+/,
    );
  });

  it('hides the details of unexpected errors behind a reference', async () => {
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string };
    expect(body.error).toMatch(/^internal error, see logs \(ref .+\)$/);
    expect(body.error).not.toContain('secret internals');
  });
});

describe('runReadinessChecks', () => {
  it('bounds each check by the timeout and aborts it', async () => {
    let aborted = false;
    const report = await runReadinessChecks(
      [
        {
          name: 'slow',
          run: async (signal) =>
            await new Promise<void>((resolve) => {
              signal.addEventListener('abort', () => {
                aborted = true;
                resolve();
              });
            }),
        },
        { name: 'fast', run: () => Promise.resolve() },
      ],
      50,
    );
    expect(report.ready).toBe(false);
    expect(report.checks).toMatchObject([
      { name: 'slow', status: 'failed', error: 'timed out after 50 ms' },
      { name: 'fast', status: 'ok' },
    ]);
    expect(aborted).toBe(true);
  });

  it('is ready with no checks', async () => {
    expect(await runReadinessChecks([], 10)).toEqual({ ready: true, checks: [] });
  });
});
