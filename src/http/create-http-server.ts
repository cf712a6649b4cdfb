import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { AegisError, describeForUser } from '../core/errors.js';
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
  /** How long `close()` waits for requests in flight before cutting their connections (default 10 s). */
  drainTimeoutMs?: number;
  /** The setting that names the port, for the message when it is taken (default `AEGIS_HTTP_PORT`). */
  portSetting?: string;
}

export interface HttpServer {
  /** The fastify instance; register routes and plugins (webhooks, Slack) on it before `listen()`. */
  readonly app: FastifyInstance;
  addReadinessCheck(check: ReadinessCheck): void;
  /**
   * Bind the port before the rest of the process is ready: `/healthz`, `/readyz` (with every readiness check)
   * and `/metrics` answer, anything else gets 503 until `listen()`. Lets probes and people see a process that
   * waits for Redis or the API server. Rejects with HTTP_PORT_IN_USE when the port is taken.
   */
  listenEarly(address: { host: string; port: number }): Promise<string>;
  /**
   * Serve every registered route; binds the port unless `listenEarly` did. Resolves with the base URL
   * (loopback when bound to every interface). Rejects with HTTP_PORT_IN_USE when the port is taken.
   */
  listen(address: { host: string; port: number }): Promise<string>;
  /** Stop taking connections, let requests in flight finish (bounded by `drainTimeoutMs`), then close. */
  close(): Promise<void>;
}

/** The HTTP server every Aegis process runs: `/healthz`, `/readyz`, `/metrics`, plus whatever is registered. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const logger = options.logger.child({ component: 'http' });
  const checks = [...(options.readinessChecks ?? [])];
  const checkTimeoutMs = options.checkTimeoutMs ?? 2_000;
  // Aegis owns the node:http server (Fastify routes into it once `listen()` opens it), so the port can be bound
  // and answer probes while the process still waits for its dependencies.
  let routeAll: RequestListener | undefined;
  /** Fastify's router, handed to the server factory (which is all Fastify does with it). */
  let fastifyHandler: RequestListener | undefined;
  const server: Server = createServer((request, response) => {
    if (routeAll !== undefined) routeAll(request, response);
    else void answerEarly(request, response);
  });
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    serverFactory: (handler) => {
      fastifyHandler = handler;
      return server;
    },
  });

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

  // Every error answers {error, ...}; an unknown route too (Fastify's own is {message, statusCode}).
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return await reply.code(404).send({ error: `no route ${request.method} ${path}` });
  });

  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  // Log readiness changes, not every probe: a kubelet asks every few seconds.
  let lastFailures = '';
  const readiness = async (): Promise<{ statusCode: number; body: unknown }> => {
    const report = await runReadinessChecks(checks, checkTimeoutMs);
    const failed = report.checks.filter((check) => check.status === 'failed');
    const failures = failed.map((check) => `${check.name}: ${check.error ?? ''}`).join('; ');
    if (failures !== lastFailures) {
      if (failures === '') logger.info('ready');
      else logger.warn({ failed }, 'not ready');
      lastFailures = failures;
    }
    if (report.ready) return { statusCode: 200, body: { status: 'ok', checks: report.checks } };
    return {
      statusCode: 503,
      body: { status: 'unavailable', failed: failed.map((check) => check.name), checks: report.checks },
    };
  };
  app.get('/readyz', async (_request, reply) => {
    const { statusCode, body } = await readiness();
    return await reply.code(statusCode).send(body);
  });
  app.get('/metrics', async (_request, reply) => {
    return await reply.type(options.metrics.contentType).send(await options.metrics.render());
  });

  const sendJson = (response: ServerResponse, statusCode: number, body: unknown): void => {
    response.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  /** Before `listen()`: health, readiness and metrics only. */
  const answerEarly = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method === 'GET' && path === '/healthz') return sendJson(response, 200, { status: 'ok' });
      if (request.method === 'GET' && path === '/readyz') {
        const { statusCode, body } = await readiness();
        return sendJson(response, statusCode, body);
      }
      if (request.method === 'GET' && path === '/metrics') {
        response.writeHead(200, { 'content-type': options.metrics.contentType });
        response.end(await options.metrics.render());
        return;
      }
      response.setHeader('retry-after', '5');
      sendJson(response, 503, { error: 'Aegis is starting; see /readyz for what it waits for' });
    } catch (error) {
      logger.error({ err: error, url: request.url }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error, see logs' });
      else response.destroy();
    }
  };

  const portSetting = options.portSetting ?? 'AEGIS_HTTP_PORT';
  let bound: Promise<string> | undefined;
  const bind = (address: { host: string; port: number }): Promise<string> =>
    (bound ??= new Promise<string>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        bound = undefined;
        if (error.code === 'EADDRINUSE') {
          reject(
            new AegisError(
              'HTTP_PORT_IN_USE',
              `${portSetting}=${address.port}: port ${address.port} on ${address.host} is already in use (another Aegis?); stop that process or set ${portSetting} to a free port`,
              { cause: error },
            ),
          );
        } else if (error.code === 'EACCES') {
          reject(
            new AegisError(
              'HTTP_PORT_IN_USE',
              `${portSetting}=${address.port}: not allowed to listen on port ${address.port} on ${address.host}; use a port above 1023`,
              { cause: error },
            ),
          );
        } else reject(error);
      };
      server.once('error', onError);
      server.listen(address.port, address.host, () => {
        server.removeListener('error', onError);
        const info = server.address() as AddressInfo;
        const wildcard = info.address === '0.0.0.0' || info.address === '::';
        const host = wildcard ? '127.0.0.1' : info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve(`http://${host}:${info.port}`);
      });
    }));

  return {
    app,
    addReadinessCheck(check) {
      checks.push(check);
    },
    async listenEarly(address) {
      const url = await bind(address);
      logger.info({ url, host: address.host, port: address.port }, 'HTTP server listening (starting up)');
      return url;
    },
    async listen(address) {
      await app.ready();
      const early = bound !== undefined;
      const url = await bind(address);
      if (fastifyHandler === undefined) throw new Error('fastify did not attach its request handler');
      routeAll = fastifyHandler;
      logger.info(
        { url, host: address.host, port: address.port },
        early ? 'HTTP server serving every route' : 'HTTP server listening',
      );
      return url;
    },
    async close() {
      if (server.listening) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive connections would hold the close open; requests in flight get drainTimeoutMs.
        const idle = setInterval(() => server.closeIdleConnections(), 100);
        server.closeIdleConnections();
        const cut = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 10_000);
        try {
          await closed;
        } finally {
          clearInterval(idle);
          clearTimeout(cut);
        }
      }
      await app.close();
    },
  };
}
