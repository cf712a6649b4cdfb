/**
 * Signs a request exactly as Slack does (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:<timestamp>:<raw body>")>`. Written independently of the
 * code under test, so a mistake there cannot cancel out here. With it, the bodies Slack posts over HTTP.
 */
import { createHmac } from 'node:crypto';
import { eventCallback, slashCommandFields } from './slack-payloads.js';

export function signSlackRequest(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  const base = `v0:${timestamp}:${body}`;
  const signature = `v0=${createHmac('sha256', secret).update(base, 'utf8').digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/**
 * POSTs `body` to `url` signed with `secret` (at `timestamp`, now by default), or with `headers` instead of a
 * signature; answers the status and the body's text.
 */
export async function postSigned(
  url: string,
  body: string,
  contentType: string,
  signing: { secret: string; timestamp?: number | undefined; headers?: Record<string, string> | undefined },
): Promise<{ status: number; text: string }> {
  const headers = signing.headers ?? signSlackRequest(signing.secret, body, signing.timestamp);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** A slash command body as Slack form-encodes it. */
export function slashCommandBody(fields: {
  text: string;
  user: string;
  channel?: string;
  responseUrl?: string;
}): string {
  return new URLSearchParams(slashCommandFields({ ...fields, triggerId: 'trigger.1' })).toString();
}

/** An interaction payload (buttons, modals) as Slack form-encodes it: `payload=<JSON>`. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventCallbackBody(event: Record<string, unknown>, eventId = `Ev${Date.now()}`): string {
  return JSON.stringify(eventCallback(event, eventId));
}
