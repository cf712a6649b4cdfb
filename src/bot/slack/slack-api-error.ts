import { AegisError } from '../../core/errors.js';

export const slackErrorCodes = {
  rateLimited: 'SLACK_RATE_LIMITED',
  channelUnavailable: 'SLACK_CHANNEL_UNAVAILABLE',
  authFailed: 'SLACK_AUTH_FAILED',
  messageNotFound: 'SLACK_MESSAGE_NOT_FOUND',
  invalidRequest: 'SLACK_INVALID_REQUEST',
  unavailable: 'SLACK_UNAVAILABLE',
} as const;

/** A failed Slack call: `slackError` is Slack's own code (e.g. `channel_not_found`) when Slack gave one. */
export class SlackApiError extends AegisError {
  readonly slackError: string | undefined;
  /** For `SLACK_RATE_LIMITED`: how long Slack asked us to wait (its `Retry-After`). */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options: {
      retryable: boolean;
      slackError?: string;
      retryAfterMs?: number;
      cause?: unknown;
      userMessage?: string;
    },
  ) {
    super(code, message, {
      retryable: options.retryable,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      ...(options.userMessage === undefined ? {} : { userMessage: options.userMessage }),
    });
    this.name = 'SlackApiError';
    this.slackError = options.slackError;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isSlackApiError(error: unknown): error is SlackApiError {
  return error instanceof SlackApiError;
}

const unavailableChannel = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
]);
const authFailures = new Set([
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
]);
const transient = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** Map Slack's `error` of an `ok: false` answer to our code; only Slack-side trouble is worth retrying. */
export function platformError(method: string, slackError: string, cause?: unknown): SlackApiError {
  const message = `Slack ${method} failed: ${slackError}`;
  const base = { slackError, ...(cause === undefined ? {} : { cause }) };
  if (slackError === 'ratelimited') {
    return new SlackApiError(slackErrorCodes.rateLimited, message, {
      ...base,
      retryable: true,
      retryAfterMs: 1_000,
    });
  }
  if (unavailableChannel.has(slackError)) {
    return new SlackApiError(slackErrorCodes.channelUnavailable, message, {
      ...base,
      retryable: false,
      userMessage: 'Aegis cannot post to that channel; invite the app to it or fix the channel routing.',
    });
  }
  if (authFailures.has(slackError)) {
    return new SlackApiError(slackErrorCodes.authFailed, message, { ...base, retryable: false });
  }
  if (slackError === 'message_not_found' || slackError === 'thread_not_found') {
    return new SlackApiError(slackErrorCodes.messageNotFound, message, { ...base, retryable: false });
  }
  if (transient.has(slackError)) {
    return new SlackApiError(slackErrorCodes.unavailable, message, { ...base, retryable: true });
  }
  return new SlackApiError(slackErrorCodes.invalidRequest, message, { ...base, retryable: false });
}
