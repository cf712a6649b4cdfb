/**
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 *
 *   X-Slack-Request-Timestamp: <Unix seconds>
 *   X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>")>
 *
 * A request is accepted only when the signature matches (compared in constant time) and the timestamp is
 * within 5 minutes of our clock (older or from the future: a replay or a wrong clock).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const slackSignatureHeader = 'x-slack-signature';
export const slackTimestampHeader = 'x-slack-request-timestamp';
export const slackSignatureMaxAgeSeconds = 5 * 60;

export function computeSlackSignature(
  signingSecret: string,
  timestamp: string,
  rawBody: Buffer | string,
): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

export type SignatureCheck =
  { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'missing_headers' };
  const skew = Math.abs(Math.floor(input.nowMs / 1000) - Number(timestamp));
  if (skew > slackSignatureMaxAgeSeconds) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; the expected length is public (v0= plus 64 hex digits).
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
