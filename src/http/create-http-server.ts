import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { describeForUser } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { MetricsRegistry } from '../metrics/index.js';
import type { ReadinessCheck } from './readiness.js';
import { runReadinessChecks } from './readiness.js';
import { recordRequestMetrics } from './request-metrics.js';

export interface HttpServerOptions {
  logger: Logger;
  metrics: MetricsRegistry;
  readinessChecks?: readonly ReadinessCheck[];
  /** Bound on each readiness check (default 2 s), well under a kubelet probe's timeout. */
  checkTimeoutMs?: number;
  /** Largest request body accepted (default 1 MiB). */
  bodyLimitBytes?: number;
}

export interface HttpServer {
  /** The fastify instance; register routes and plugins (webhooks, Slack) on it before `listen()`. */
  readonly app: FastifyInstance;
  addReadinessCheck(check: ReadinessCheck): void;
  /** Start listening; resolves with the base URL (loopback when bound to every interface). */
  listen(address: { host: string; port: number }): Promise<string>;
  close(): Promise<void>;
}

/** The HTTP server every Aegis process runs: `/healthz`, `/readyz`, `/metrics`, plus whatever is registered. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const logger = options.logger.child({ component: 'http' });
  const checks = [...(options.readinessChecks ?? [])];
  const checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimitBytes ?? 1_048_576 });

  recordRequestMetrics(app, options.metrics);
  app.addHook('onResponse', async (request, reply) => {
    logger.debug(
      { method: request.method, url: request.url, statusCode: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
  });
  app.setErrorHandler(async (error: { statusCode?: number; message: string }, request, reply) => {
    const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (statusCode < 500) return await reply.code(statusCode).send({ error: error.message });
    logger.error({ err: error, reference: request.id, url: request.url }, 'request failed');
    return await reply.code(statusCode).send({ error: describeForUser(error, request.id) });
  });

  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  // Log readiness changes, not every probe: a kubelet asks every few seconds.
  let lastFailures = '';
  app.get('/readyz', async (_request, reply) => {
    const report = await runReadinessChecks(checks, checkTimeoutMs);
    const failed = report.checks.filter((check) => check.status === 'failed');
    const failures = failed.map((check) => `${check.name}: ${check.error ?? ''}`).join('; ');
    if (failures !== lastFailures) {
      if (failures === '') logger.info('ready');
      else logger.warn({ failed }, 'not ready');
      lastFailures = failures;
    }
    if (report.ready) return { status: 'ok', checks: report.checks };
    return await reply
      .code(503)
      .send({ status: 'unavailable', failed: failed.map((check) => check.name), checks: report.checks });
  });
  app.get('/metrics', async (_request, reply) => {
    return await reply.type(options.metrics.contentType).send(await options.metrics.render());
  });

  return {
    app,
    addReadinessCheck(check) {
      checks.push(check);
    },
    async listen(address) {
      await app.listen({ host: address.host, port: address.port });
      const bound = app.server.address() as AddressInfo;
      const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
      const host = wildcard ? '127.0.0.1' : bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
      const url = `http://${host}:${bound.port}`;
      logger.info({ url, host: address.host, port: bound.port }, 'HTTP server listening');
      return url;
    },
    async close() {
      await app.close();
    },
  };
}
