import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { MetricsRegistry } from '../metrics/index.js';
import type { AlertIntake } from '../core/ports/index.js';
import type { AlertParser } from '../core/ports/index.js';
import { aiRoute } from './ai-route.js';
import type { AlertBounds } from './alert-bounds.js';
import { alertmanagerRoute } from './alertmanager-route.js';
import { bodyKindOf, describeAcceptedTypes } from './content-type.js';
import { customRoute } from './custom-route.js';
import { enqueueAlerts } from './enqueue-alerts.js';
import { methodNotAllowed } from './method-not-allowed.js';
import type { SignatureReplayGuard } from './signature-replay-guard.js';
import type { WebhookAuthOptions } from './webhook-auth.js';
import { createWebhookAuthenticator } from './webhook-auth.js';
import type { WebhookBody } from './webhook-body.js';
import { createWebhookMetrics } from './webhook-metrics.js';
import { webhookErrorHandler, type Refuse } from './webhook-error-handler.js';
import { WebhookRefusal } from './webhook-refusal.js';
import type { WebhookRoute } from './webhook-route.js';

export interface WebhookRoutesOptions {
  /** Where accepted alerts go (the ingest queue). */
  intake: AlertIntake;
  /** The process's registry; the webhook metrics are added to it (served by /metrics). */
  metrics: MetricsRegistry;
  logger?: Logger;
  /** Bearer tokens and/or HMAC secrets; no authentication when omitted or empty. */
  auth?: WebhookAuthOptions;
  /** Reads payloads no built-in format recognises on /ai/alert (the LLM); 422 for them when omitted. */
  alertParser?: AlertParser;
  /** Prefix of the alert routes (upstream `--web.route-prefix`), e.g. `/aegis`; `/metrics` is never prefixed. */
  routePrefix?: string;
  /** Largest body accepted on the alert routes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** `Retry-After` of a 503 (default 5 s). */
  retryAfterSeconds?: number;
  /** How long to wait for the queue before answering 503 (default 10 s). */
  acceptTimeoutMs?: number;
  /** The clock, in milliseconds, for signature timestamps (default Date.now). */
  now?: () => number;
  /** A value unique per request, for delivery ids of alerts without a start time (default a random UUID). */
  newNonce?: () => string;
  /** Bounds on each alert: details count and size (default 256 details, 64 KiB). */
  alertBounds?: AlertBounds;
  /** Remembers signatures already used, so a replayed signed request is refused (HMAC only). */
  replayGuard?: SignatureReplayGuard;
}

const defaultBodyLimit = 1_048_576;

/** `/aegis/` → `/aegis`, `aegis` → `/aegis`, `/` or `` → `` (upstream trims the trailing slash). */
export function normaliseRoutePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Register `POST /alertmanager/alert`, `/default/alert`, `/alert` and `/ai/alert` (under `routePrefix`) on
 * `app`. Call before `listen()`. The routes live in their own fastify context: their own body parsing (raw
 * bytes, for HMAC), error answers and metrics, without changing the rest of the server.
 *
 * Order of checks: bearer token (when only tokens are configured), Content-Type (415), body size (413),
 * signature (when HMAC is configured), body shape (400), alerts (422 / 202), queue (503).
 */
export function registerWebhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): string[] {
  const logger = (options.logger ?? silentLogger).child({ component: 'webhooks' });
  const prefix = normaliseRoutePrefix(options.routePrefix);
  const bodyLimit = options.bodyLimitBytes ?? defaultBodyLimit;
  const now = options.now ?? Date.now;
  const newNonce = options.newNonce ?? randomUUID;
  const authenticator = createWebhookAuthenticator(options.auth);
  const usedSignatures = new WeakMap<FastifyRequest, string>();
  const metrics = createWebhookMetrics(options.metrics, options.intake, logger);
  const custom = customRoute();
  const routes: WebhookRoute[] = [
    alertmanagerRoute(),
    custom,
    { ...custom, path: '/alert' },
    aiRoute(options.alertParser, options.retryAfterSeconds ?? 5),
  ];
  const byUrl = new Map(routes.map((route) => [`${prefix}${route.path}`, route]));
  const routeOf = (request: FastifyRequest): WebhookRoute | undefined =>
    request.routeOptions.url === undefined ? undefined : byUrl.get(request.routeOptions.url);

  const refuse: Refuse = async (request, reply, refusal) => {
    const route = routeOf(request);
    if (route !== undefined) {
      metrics.received(route.source, refusal.alertCount);
      metrics.refused(route.source, refusal.reason, refusal.alertCount);
    }
    logger.debug(
      { url: request.url, statusCode: refusal.statusCode, reason: refusal.reason, error: refusal.message },
      'webhook refused',
    );
    return await reply.code(refusal.statusCode).headers(refusal.headers).send(refusal.body);
  };

  const unauthorised = (reason: string): WebhookRefusal =>
    new WebhookRefusal(401, 'auth', reason, { headers: { 'WWW-Authenticate': authenticator.challenge } });

  void app.register(
    (scope, _pluginOptions, done) => {
      scope.removeAllContentTypeParsers();
      // Every body is read as bytes: the signature covers the exact bytes, and the routes decide what they take.
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

      scope.setErrorHandler(webhookErrorHandler({ refuse, bodyLimit, logger }));

      scope.addHook('onResponse', (request, reply, done) => {
        const route = routeOf(request);
        if (route !== undefined) metrics.request(route.path, reply.statusCode);
        // Nothing was accepted (queue down): the sender retries with the same signed request, which must pass.
        const signature = usedSignatures.get(request);
        if (signature !== undefined && reply.statusCode >= 500 && options.replayGuard !== undefined) {
          options.replayGuard.release(signature).catch((error: unknown) => {
            logger.warn({ err: error }, 'could not forget a webhook signature after a failed request');
          });
        }
        done();
      });

      for (const route of routes) {
        scope.route({
          method: 'POST',
          url: route.path,
          bodyLimit,
          onRequest: async (request, reply) => {
            const check = authenticator.checkHeaders(request.headers);
            if (check !== undefined && !check.ok)
              return await refuse(request, reply, unauthorised(check.reason));
            if (!acceptsKind(route, request)) {
              const given = request.headers['content-type'];
              const message =
                given === undefined
                  ? `a Content-Type header is required; send one of: ${describeAcceptedTypes(route.bodyKinds)}`
                  : `this route takes ${describeAcceptedTypes(route.bodyKinds)}`;
              return await refuse(request, reply, new WebhookRefusal(415, 'unsupported_media_type', message));
            }
            return undefined;
          },
          preHandler: async (request, reply) => {
            if (!authenticator.needsBody || authenticator.checkHeaders(request.headers) !== undefined) {
              return undefined;
            }
            const check = authenticator.checkBody(request.headers, bodyBytes(request.body), now());
            if (!check.ok) return await refuse(request, reply, unauthorised(check.reason));
            if (check.signature !== undefined && options.replayGuard !== undefined) {
              let first: boolean;
              try {
                first = await options.replayGuard.firstUse(
                  check.signature,
                  authenticator.replayWindowSeconds,
                );
              } catch (error) {
                logger.warn({ err: error }, 'cannot check webhook signatures for replays; answering 503');
                const retryAfter = String(options.retryAfterSeconds ?? 5);
                return await refuse(
                  request,
                  reply,
                  new WebhookRefusal(
                    503,
                    'queue_unavailable',
                    'the replay check is unavailable; try again later',
                    {
                      headers: { 'Retry-After': retryAfter },
                    },
                  ),
                );
              }
              if (!first) {
                return await refuse(
                  request,
                  reply,
                  unauthorised(
                    'this signature was already used (a replayed request); sign each request anew',
                  ),
                );
              }
              usedSignatures.set(request, check.signature);
            }
            return undefined;
          },
          handler: async (request, reply) => {
            const contentType = request.headers['content-type'] ?? '';
            const body: WebhookBody = {
              raw: bodyBytes(request.body),
              kind: bodyKindOf(contentType) ?? 'json',
              contentType,
            };
            const read = await route.read(body);
            const accepted = await enqueueAlerts(read, {
              source: route.source,
              intake: options.intake,
              metrics,
              logger,
              nonce: newNonce(),
              acceptTimeoutMs: options.acceptTimeoutMs ?? 10_000,
              retryAfterSeconds: options.retryAfterSeconds ?? 5,
              elapsedMs: () => reply.elapsedTime,
              ...(options.alertBounds === undefined ? {} : { bounds: options.alertBounds }),
            });
            return await reply.code(202).send(accepted);
          },
        });
        methodNotAllowed(scope, route.path);
      }
      done();
    },
    { prefix },
  );
  return routes.map((route) => `${prefix}${route.path}`);
}

function acceptsKind(route: WebhookRoute, request: FastifyRequest): boolean {
  const kind = bodyKindOf(request.headers['content-type']);
  return kind !== undefined && route.bodyKinds.includes(kind);
}

function bodyBytes(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
