/**
 * The only module that imports @slack/web-api. The WebClient's own retries and rate-limit waiting are off:
 * the posting queue decides when to try again, and it needs to see a 429 (with its Retry-After) to pause the
 * channel for every replica, not have one request sleep inside the SDK.
 */
import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import type { Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { SlackMessage } from '../render/index.js';
import { SlackApiError, platformError, slackErrorCodes } from './slack-api-error.js';

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}

/** What Aegis needs from Slack's Web API; the notifier and the inbound side depend on this, not the SDK. */
export interface SlackClient {
  postMessage(input: { channel: string; threadTs?: string; message: SlackMessage }): Promise<PostedMessage>;
  updateMessage(input: { channel: string; ts: string; message: SlackMessage }): Promise<PostedMessage>;
  postEphemeral(input: {
    channel: string;
    user: string;
    threadTs?: string;
    message: SlackMessage;
  }): Promise<void>;
  /** The members of a user group (`S…` id). */
  userGroupMembers(groupId: string): Promise<string[]>;
  /** Who the token belongs to (`auth.test`). */
  identity(): Promise<{ userId: string; botId?: string; teamId?: string }>;
}

export interface SlackClientOptions {
  readonly token: string;
  /** Base URL of the Web API (SLACK_API_URL), e.g. `https://slack.com/api/` or a proxy or a test server. */
  readonly apiUrl?: string;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export const defaultSlackApiUrl = 'https://slack.com/api/';

export function createSlackClient(options: SlackClientOptions): SlackClient {
  const logger = (options.logger ?? silentLogger).child({ component: 'slack-client' });
  const web = new WebClient(options.token, {
    slackApiUrl: withTrailingSlash(options.apiUrl ?? defaultSlackApiUrl),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: sdkLogger(logger),
    logLevel: LogLevel.ERROR,
  });

  const call = async <T>(method: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw toSlackApiError(method, error);
    }
  };

  return {
    async postMessage({ channel, threadTs, message }) {
      const result = await call('chat.postMessage', () =>
        web.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
          ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      if (result.ts === undefined) throw platformError('chat.postMessage', 'missing_ts');
      return { channel: result.channel ?? channel, ts: result.ts };
    },
    async updateMessage({ channel, ts, message }) {
      const result = await call('chat.update', () =>
        web.chat.update({
          channel,
          ts,
          text: message.text,
          blocks: message.blocks,
          // An empty list removes attachments an older rendering had.
          attachments: message.attachments ?? [],
        }),
      );
      return { channel: result.channel ?? channel, ts: result.ts ?? ts };
    },
    async postEphemeral({ channel, user, threadTs, message }) {
      await call('chat.postEphemeral', () =>
        web.chat.postEphemeral({
          channel,
          user,
          text: message.text,
          blocks: message.blocks,
          ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
          ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        }),
      );
    },
    async userGroupMembers(groupId) {
      const result = await call('usergroups.users.list', () =>
        web.usergroups.users.list({ usergroup: groupId }),
      );
      return result.users ?? [];
    },
    async identity() {
      const result = await call('auth.test', () => web.auth.test());
      return {
        userId: result.user_id ?? '',
        ...(result.bot_id === undefined ? {} : { botId: result.bot_id }),
        ...(result.team_id === undefined ? {} : { teamId: result.team_id }),
      };
    },
  };
}

export function toSlackApiError(method: string, error: unknown): SlackApiError {
  if (error instanceof SlackApiError) return error;
  if (error instanceof WebAPIRateLimitedError) {
    return new SlackApiError(
      slackErrorCodes.rateLimited,
      `Slack ${method} rate limited for ${error.retryAfter} s`,
      {
        retryable: true,
        slackError: 'ratelimited',
        retryAfterMs: Math.max(1, error.retryAfter) * 1_000,
        cause: error,
      },
    );
  }
  if (error instanceof WebAPIPlatformError) return platformError(method, error.data.error, error);
  if (error instanceof WebAPIHTTPError) {
    const retryable = error.statusCode >= 500 || error.statusCode === 408;
    return new SlackApiError(
      retryable ? slackErrorCodes.unavailable : slackErrorCodes.invalidRequest,
      `Slack ${method} answered HTTP ${error.statusCode}`,
      { retryable, cause: error },
    );
  }
  if (error instanceof WebAPIRequestError) {
    return new SlackApiError(
      slackErrorCodes.unavailable,
      `Slack ${method} unreachable: ${error.original.message}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SlackApiError(slackErrorCodes.unavailable, `Slack ${method} failed: ${message}`, {
    retryable: true,
    cause: error,
  });
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The SDK's logger interface on ours (it logs only errors: we set the level). */
function sdkLogger(logger: Logger): SlackLogger {
  let level = LogLevel.ERROR;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...messages: unknown[]): void =>
      logger[method]({ sdk: '@slack/web-api' }, messages.map(String).join(' '));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
