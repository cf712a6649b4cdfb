import type { BodyKind } from './content-type.js';
import { WebhookRefusal } from './webhook-refusal.js';

/** A request body as received: the exact bytes (HMAC covers them), and what its Content-Type says it is. */
export interface WebhookBody {
  raw: Buffer;
  kind: BodyKind;
  contentType: string;
}

/** The body as JSON, or a 400 in plain words. The parse error is not echoed: it quotes the body. */
export function parseJsonBody(body: WebhookBody): unknown {
  const text = body.raw.toString('utf8');
  if (text.trim() === '')
    throw new WebhookRefusal(400, 'unparseable', 'the body is empty; send a JSON alert');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WebhookRefusal(400, 'unparseable', 'the body is not valid JSON');
  }
}

/** The body as JSON when it is JSON (whatever the Content-Type), else undefined. */
export function tryParseJson(body: WebhookBody): unknown {
  try {
    return JSON.parse(body.raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
