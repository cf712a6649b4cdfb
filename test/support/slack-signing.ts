/**
 * Signs a request exactly as Slack does (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:<timestamp>:<raw body>")>`. Written independently of the
 * code under test, so a mistake there cannot cancel out here.
 */
import { createHmac } from 'node:crypto';

export function signSlackRequest(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  const base = `v0:${timestamp}:${body}`;
  const signature = `v0=${createHmac('sha256', secret).update(base, 'utf8').digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** A slash command body as Slack form-encodes it. */
export function slashCommandBody(fields: {
  text: string;
  user: string;
  channel?: string;
  responseUrl?: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channel ?? 'C0ALERTS',
    channel_name: 'alerts',
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: '/aegis',
    text: fields.text,
    api_app_id: 'A0AEGIS',
    response_url: fields.responseUrl ?? 'http://127.0.0.1:9/commands/response',
    trigger_id: 'trigger.1',
  }).toString();
}

/** An interaction payload (buttons, modals) as Slack form-encodes it: `payload=<JSON>`. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventCallbackBody(event: Record<string, unknown>, eventId = `Ev${Date.now()}`): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0FAKE',
    api_app_id: 'A0AEGIS',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
    authorizations: [{ team_id: 'T0FAKE', user_id: 'U0AEGIS', is_bot: true, is_enterprise_install: false }],
  });
}
