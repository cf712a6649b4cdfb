import { constantTimeEqual, computeSignature, signatureHeader, timestampHeader } from './hmac-signature.js';

/**
 * Authentication of webhook senders. When both a token and an HMAC secret are configured, EITHER passing is
 * enough: Alertmanager can only send a bearer token, while custom senders may prefer to sign.
 */
export interface WebhookAuthOptions {
  /** Accepted `Authorization: Bearer <token>` values; several during a rotation. Empty: no token auth. */
  bearerTokens?: readonly string[];
  /** Accepted HMAC-SHA256 secrets for `X-Aegis-Signature`; several during a rotation. Empty: no HMAC. */
  hmacSecrets?: readonly string[];
  /**
   * Refuse signatures sent without `X-Aegis-Timestamp` (default true: an untimestamped signature could be
   * replayed forever; AEGIS_WEBHOOK_HMAC_TIMESTAMP=optional accepts them).
   */
  requireTimestamp?: boolean;
  /** Largest difference between a signed timestamp and the server clock (default 300 s). */
  timestampToleranceSeconds?: number;
}

/** `signature`: the verified X-Aegis-Signature, when the request was authenticated by it (for replay checks). */
export type AuthCheck = { ok: true; signature?: string } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

const hexSignature = /^sha256=[0-9a-f]{64}$/i;

export interface WebhookAuthenticator {
  /** True when any authentication is configured. */
  readonly enabled: boolean;
  /** True when the body is needed to decide (HMAC configured). */
  readonly needsBody: boolean;
  /** The `WWW-Authenticate` challenges for a 401. */
  readonly challenge: string;
  /** Decide from the headers alone; `undefined` means "undecided, check again with the body". */
  checkHeaders(headers: Headers): AuthCheck | undefined;
  /** Decide with the raw body (only called when `checkHeaders` was undecided). */
  checkBody(headers: Headers, body: Buffer, nowMs: number): AuthCheck;
  /** How long a verified signature stays valid (twice the timestamp tolerance): remember it that long. */
  readonly replayWindowSeconds: number;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function createWebhookAuthenticator(options: WebhookAuthOptions = {}): WebhookAuthenticator {
  const tokens = (options.bearerTokens ?? []).filter((token) => token !== '');
  const secrets = (options.hmacSecrets ?? []).filter((secret) => secret !== '');
  const toleranceSeconds = options.timestampToleranceSeconds ?? 300;
  const requireTimestamp = options.requireTimestamp ?? true;
  const challenges: string[] = [];
  if (tokens.length > 0) challenges.push('Bearer realm="aegis-webhooks"');
  if (secrets.length > 0)
    challenges.push('AegisSignature realm="aegis-webhooks", header="X-Aegis-Signature"');
  const wanted =
    tokens.length > 0 && secrets.length > 0
      ? 'send Authorization: Bearer <token> or sign the body in X-Aegis-Signature'
      : tokens.length > 0
        ? 'send Authorization: Bearer <token>'
        : 'sign the body in X-Aegis-Signature: sha256=<hex>';

  const bearerProblem = (headers: Headers): string | undefined => {
    const authorization = single(headers['authorization']);
    if (authorization === undefined || authorization.trim() === '') return undefined;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match === null) return 'the Authorization header must use the Bearer scheme';
    const given = match[1] ?? '';
    // Compare against every token (no early exit) so the time taken says nothing about which one matched.
    let valid = false;
    for (const token of tokens) valid = constantTimeEqual(given, token) || valid;
    return valid ? '' : 'the bearer token is not valid';
  };

  const signatureProblem = (headers: Headers, body: Buffer, nowMs: number): string | undefined => {
    const signature = single(headers[signatureHeader]);
    const timestamp = single(headers[timestampHeader]);
    if (signature === undefined || signature.trim() === '') return undefined;
    if (!hexSignature.test(signature.trim())) return 'X-Aegis-Signature must be sha256=<64 hex digits>';
    if (timestamp === undefined) {
      if (requireTimestamp) return 'X-Aegis-Timestamp (Unix seconds) is required with the signature';
    } else {
      if (!/^\d{1,12}$/.test(timestamp.trim())) return 'X-Aegis-Timestamp must be Unix seconds';
      const skew = Math.abs(nowMs / 1000 - Number(timestamp.trim()));
      if (skew > toleranceSeconds) {
        return `the signed timestamp is more than ${toleranceSeconds} s away from the server clock (a replay, or clock skew)`;
      }
    }
    const given = signature.trim().toLowerCase();
    let valid = false;
    for (const secret of secrets) {
      valid = constantTimeEqual(given, computeSignature(secret, body, timestamp?.trim())) || valid;
    }
    return valid ? '' : 'the signature does not match the body';
  };

  return {
    enabled: tokens.length > 0 || secrets.length > 0,
    replayWindowSeconds: 2 * toleranceSeconds,
    needsBody: secrets.length > 0,
    challenge: challenges.join(', '),
    checkHeaders(headers) {
      if (tokens.length === 0 && secrets.length === 0) return { ok: true };
      const bearer = tokens.length > 0 ? bearerProblem(headers) : undefined;
      if (bearer === '') return { ok: true };
      if (secrets.length > 0) return undefined;
      return { ok: false, reason: bearer ?? `authentication required: ${wanted}` };
    },
    checkBody(headers, body, nowMs) {
      const bearer = tokens.length > 0 ? bearerProblem(headers) : undefined;
      if (bearer === '') return { ok: true };
      const signature = secrets.length > 0 ? signatureProblem(headers, body, nowMs) : undefined;
      if (signature === '')
        return { ok: true, signature: (single(headers[signatureHeader]) ?? '').trim().toLowerCase() };
      if (signature !== undefined) return { ok: false, reason: signature };
      if (bearer !== undefined) return { ok: false, reason: bearer };
      return { ok: false, reason: `authentication required: ${wanted}` };
    },
  };
}
