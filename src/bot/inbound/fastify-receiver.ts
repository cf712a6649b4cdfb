/**
 * A Bolt Receiver served by the Aegis fastify server (HTTP mode), so Slack shares the Aegis port with the
 * webhooks and probes:
 *
 *   POST /slack/events         Events API (url_verification answered here), and Bolt's single-endpoint style:
 *                              commands and interactions are accepted here too
 *   POST /slack/interactions   buttons, modals (the Interactivity Request URL)
 *   POST /slack/commands       /aegis (the slash command Request URL)
 *
 * Every request is verified first (X-Slack-Signature over the raw body, X-Slack-Request-Timestamp within 5
 * minutes); anything else is answered 401 and never reaches Bolt. The HTTP answer goes out as soon as a
 * listener calls `ack()` (Slack wants it within 3 s); the listener's remaining work continues after it.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../core/logger.js';
import type { InboundMetrics, SlackRequestKind } from './inbound-metrics.js';
import { slackEnvelopeProblem } from './slack-envelope.js';
import { slackSignatureHeader, slackTimestampHeader, verifySlackSignature } from './slack-signature.js';

export const slackRoutePaths = ['/slack/events', '/slack/interactions', '/slack/commands'] as const;

export interface FastifyReceiverOptions {
  app: FastifyInstance;
  signingSecret: string;
  logger: Logger;
  metrics: InboundMetrics;
  /** Milliseconds since the epoch (injected for tests). */
  now: () => number;
  /** Path prefix (AEGIS_ROUTE_PREFIX), e.g. `/aegis`. */
  prefix?: string | undefined;
  /** How long a request may wait for `ack()` before it is answered anyway (default 2,500 ms). */
  ackTimeoutMs?: number;
}

type Parsed = { ok: true; body: Record<string, unknown> } | { ok: false; message: string };

/** Slack bodies: JSON (Events API), form fields (commands) or a form field `payload` holding JSON (interactions). */
export function parseSlackBody(raw: Buffer, contentType: string | undefined): Parsed {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  try {
    if (type === 'application/json') {
      const value: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { ok: false, message: 'body must be a JSON object' };
      return { ok: true, body: value as Record<string, unknown> };
    }
    if (type === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(raw.toString('utf8'));
      const payload = form.get('payload');
      if (payload !== null) {
        const value: unknown = JSON.parse(payload);
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          return { ok: false, message: 'payload must be a JSON object' };
        return { ok: true, body: value as Record<string, unknown> };
      }
      return { ok: true, body: Object.fromEntries(form) };
    }
  } catch {
    return { ok: false, message: 'body is not valid JSON' };
  }
  return { ok: false, message: `unsupported content type "${type}"` };
}

function kindOf(body: Record<string, unknown>): SlackRequestKind {
  if (body['type'] === 'url_verification') return 'url_verification';
  if (typeof body['command'] === 'string') return 'command';
  if (body['type'] === 'event_callback') return 'event';
  if (typeof body['type'] === 'string') return 'interaction';
  return 'other';
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class FastifyReceiver implements Receiver {
  private bolt: App | undefined;
  private readonly options: FastifyReceiverOptions;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: FastifyReceiverOptions) {
    this.options = options;
    const prefix = (options.prefix ?? '').replace(/\/+$/, '');
    void options.app.register((scope, _options, done) => {
      // The signature covers the exact bytes Slack sent: keep them raw in this scope only.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      for (const path of slackRoutePaths)
        scope.post(`${prefix}${path}`, (request, reply) => this.handle(request, reply));
      done();
    });
  }

  init(app: App): void {
    this.bolt = app;
  }

  /** The Aegis HTTP server listens; nothing to start here. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  /** Waits for listeners still working after their ack. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { logger, metrics } = this.options;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = verifySlackSignature({
      signingSecret: this.options.signingSecret,
      rawBody: raw,
      timestamp: header(request, slackTimestampHeader),
      signature: header(request, slackSignatureHeader),
      nowMs: this.options.now(),
    });
    if (!check.ok) {
      metrics.request('other', check.reason);
      logger.warn(
        { url: request.url, reason: check.reason, ip: request.ip },
        'refused a Slack request: bad signature',
      );
      return await reply.code(401).send({ error: 'invalid Slack request signature' });
    }
    const parsed = parseSlackBody(raw, header(request, 'content-type'));
    if (!parsed.ok) {
      metrics.request('other', 'bad_request');
      return await reply.code(400).send({ error: parsed.message });
    }
    const body = parsed.body;
    const kind = kindOf(body);
    if (kind === 'url_verification') {
      metrics.request(kind, 'accepted');
      return await reply.send({ challenge: typeof body['challenge'] === 'string' ? body['challenge'] : '' });
    }
    if (body['ssl_check'] !== undefined) return await reply.send('');
    if (this.bolt === undefined) return await reply.code(503).send({ error: 'the Slack app is starting' });
    const malformed = slackEnvelopeProblem(body, kind);
    if (malformed !== undefined) {
      metrics.request(kind, 'bad_request');
      logger.warn({ url: request.url, kind, problem: malformed }, 'refused a malformed Slack request');
      return await reply.code(400).send({ error: `malformed Slack ${kind}: ${malformed}` });
    }

    const answer = await this.dispatch(this.bolt, body, kind, request);
    metrics.request(kind, answer.status < 400 ? 'accepted' : 'failed');
    if (answer.body === undefined || answer.body === '') return await reply.code(answer.status).send('');
    if (typeof answer.body === 'string')
      return await reply.code(answer.status).type('text/plain').send(answer.body);
    return await reply.code(answer.status).send(answer.body);
  }

  /** Hands the event to Bolt; resolves with the HTTP answer once a listener acks (or Bolt is done or times out). */
  private dispatch(
    bolt: App,
    body: Record<string, unknown>,
    kind: SlackRequestKind,
    request: FastifyRequest,
  ): Promise<{ status: number; body: unknown }> {
    const { logger } = this.options;
    return new Promise((resolve) => {
      let answered = false;
      const answer = (status: number, responseBody: unknown) => {
        if (answered) return false;
        answered = true;
        clearTimeout(timer);
        resolve({ status, body: responseBody });
        return true;
      };
      const timer = setTimeout(() => {
        if (answer(200, undefined))
          logger.warn(
            { kind, url: request.url },
            'a Slack request was not acknowledged in time; answered 200',
          );
      }, this.options.ackTimeoutMs ?? 2_500);
      const retryNum = Number(header(request, 'x-slack-retry-num'));
      const retryReason = header(request, 'x-slack-retry-reason');
      const event: ReceiverEvent = {
        body,
        // Bolt types the ack payload loosely; it is whatever the listener answers (a message, view errors).
        ack: (response?: unknown) => {
          if (!answer(200, response)) logger.debug({ kind }, 'a Slack request was acknowledged twice');
          return Promise.resolve();
        },
        ...(Number.isInteger(retryNum) ? { retryNum } : {}),
        ...(retryReason === undefined ? {} : { retryReason }),
        customProperties: {},
      };
      const processing = bolt.processEvent(event).then(
        () => {
          if (answer(200, undefined)) logger.debug({ kind }, 'no listener acknowledged a Slack request');
        },
        (error: unknown) => {
          logger.error({ err: error, kind }, 'Bolt failed to process a Slack request');
          answer(500, { error: 'internal error' });
        },
      );
      this.inFlight.add(processing);
      void processing.finally(() => this.inFlight.delete(processing));
    });
  }
}
