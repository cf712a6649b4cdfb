import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeForUser } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { drainRequest } from './drain-request.js';
import { WebhookRefusal, describeBytes, isWebhookRefusal } from './webhook-refusal.js';

/** Sends a refusal (and counts it). */
export type Refuse = (
  request: FastifyRequest,
  reply: FastifyReply,
  refusal: WebhookRefusal,
) => Promise<FastifyReply>;

type RequestError = Error & { code?: string; statusCode?: number };

/**
 * The webhook routes' error answers: refusals as they are, fastify's body errors in plain words (413 with the
 * limit, 415, 400), anything else a 500 with a log reference and nothing of the internals.
 */
export function webhookErrorHandler(context: { refuse: Refuse; bodyLimit: number; logger: Logger }) {
  return async (error: RequestError, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const refusal = asRefusal(error, context.bodyLimit);
    // Read (bounded) what the client is still sending, so it gets the 413 rather than a broken pipe.
    if (refusal?.statusCode === 413) await drainRequest(request.raw);
    if (refusal !== undefined) return await context.refuse(request, reply, refusal);
    context.logger.error({ err: error, reference: request.id, url: request.url }, 'webhook request failed');
    return await reply.code(500).send({ error: describeForUser(error, request.id) });
  };
}

function asRefusal(error: RequestError, bodyLimit: number): WebhookRefusal | undefined {
  if (isWebhookRefusal(error)) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new WebhookRefusal(
      413,
      'too_large',
      `the body is larger than the limit of ${describeBytes(bodyLimit)}`,
    );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new WebhookRefusal(415, 'unsupported_media_type', 'the Content-Type header is not valid');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new WebhookRefusal(400, 'unparseable', `the request could not be read: ${error.message}`);
  }
  return undefined;
}
