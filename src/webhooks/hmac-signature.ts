import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature scheme (shared by the server and `aegis alert send`):
 *
 *   X-Aegis-Timestamp: <Unix seconds>            (optional, recommended: it stops replays)
 *   X-Aegis-Signature: sha256=<hex>
 *
 * where `<hex>` is the lower-case hex HMAC-SHA256, keyed with the shared secret, of the signed string:
 * `<timestamp>.<raw body bytes>` when the timestamp header is sent, or just the raw body bytes when it is not.
 * A signed timestamp must be within 5 minutes of the server's clock.
 */
export const signatureHeader = 'x-aegis-signature';
export const timestampHeader = 'x-aegis-timestamp';
export const signaturePrefix = 'sha256=';

/** The bytes the signature covers. */
export function signedPayload(body: Buffer, timestamp: string | undefined): Buffer {
  if (timestamp === undefined) return body;
  return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
}

/** `sha256=<hex>` for `body` (and `timestamp`, when given) under `secret`. */
export function computeSignature(secret: string, body: Buffer, timestamp?: string): string {
  const hex = createHmac('sha256', secret).update(signedPayload(body, timestamp)).digest('hex');
  return `${signaturePrefix}${hex}`;
}

/** The headers a sender adds to sign `body`; `nowSeconds` defaults to the current time. */
export function signatureHeaders(
  secret: string,
  body: Buffer,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(nowSeconds);
  return { 'X-Aegis-Timestamp': timestamp, 'X-Aegis-Signature': computeSignature(secret, body, timestamp) };
}

/**
 * Constant-time comparison of two secrets: both are hashed first, so neither where they differ nor their
 * lengths show in the time taken.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
