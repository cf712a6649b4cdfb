/**
 * Every Slack write of the notifier goes through here: wait for the channel's rate limit, post or edit, and
 * remember what was written. A write that has to wait throws `ChannelBusy`; the reconcile turns it into
 * "again after N" (the job is delayed, never dropped), and since each write is recorded the next run picks
 * up exactly where this one stopped.
 */
import { createHash } from 'node:crypto';
import type { SlackMessage } from '../render/index.js';
import { isSlackApiError, slackErrorCodes } from '../slack/index.js';
import type { SlackClient } from '../slack/index.js';
import type { ChannelRateLimiter } from './channel-rate-limiter.js';
import type { MessageLedger } from './message-ledger.js';
import type { NotifierMetrics } from './notifier-metrics.js';

/** The channel has no token for this write yet (or Slack asked us to slow down): try again after `delayMs`. */
export class ChannelBusy extends Error {
  constructor(
    readonly delayMs: number,
    readonly reason: 'rate-limit' | 'retry-after',
  ) {
    super(`channel busy for ${delayMs} ms (${reason})`);
    this.name = 'ChannelBusy';
  }
}

export interface WriteRequest {
  /** Stable id of this message (e.g. `root:<alert uid>`); one Slack message per id, ever. */
  readonly writeId: string;
  /** Who waits for the rate limit (the reconcile key): holds the channel reservation between runs. */
  readonly holder: string;
  readonly channel: string;
  readonly threadTs?: string;
  readonly message: SlackMessage;
  /** A ts known from elsewhere (the AegisAlert's status.slack), used when Redis has no record. */
  readonly knownTs?: string;
  /** Post once, never edit (thread replies about past events). */
  readonly postOnly?: boolean;
  /** Edit at most once per this many ms (a storm summary); a skipped edit is reported in `pendingMs`. */
  readonly minUpdateIntervalMs?: number;
}

export interface WriteResult {
  readonly ts: string;
  /** An edit was held back by `minUpdateIntervalMs`; run again after this long to make it. */
  readonly pendingMs: number;
  /** Whether a Slack call was made. */
  readonly called: boolean;
}

export interface SlackWriter {
  write(request: WriteRequest): Promise<WriteResult>;
}

export function createSlackWriter(
  slack: SlackClient,
  limiter: ChannelRateLimiter,
  ledger: MessageLedger,
  metrics: NotifierMetrics,
): SlackWriter {
  const takeToken = async (channel: string, holder: string): Promise<void> => {
    const wait = await limiter.acquire(channel, holder);
    if (wait > 0) {
      metrics.deferred('rate-limit');
      throw new ChannelBusy(wait, 'rate-limit');
    }
  };

  const guarded = async <T>(method: string, channel: string, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      metrics.call(method, 'ok');
      return result;
    } catch (error) {
      if (isSlackApiError(error) && error.code === slackErrorCodes.rateLimited) {
        metrics.call(method, 'rate_limited');
        const delay = error.retryAfterMs ?? 1_000;
        await limiter.pause(channel, delay);
        metrics.deferred('retry-after');
        throw new ChannelBusy(delay, 'retry-after');
      }
      metrics.call(method, isSlackApiError(error) ? (error.slackError ?? error.code) : 'error');
      throw error;
    }
  };

  const post = async (request: WriteRequest, digest: string): Promise<WriteResult> => {
    await takeToken(request.channel, request.holder);
    const posted = await guarded('chat.postMessage', request.channel, () =>
      slack.postMessage({
        channel: request.channel,
        message: request.message,
        ...(request.threadTs === undefined ? {} : { threadTs: request.threadTs }),
      }),
    );
    // Recorded before anything else: a retry from here on finds it and edits instead of posting again.
    await ledger.recordPosted(request.writeId, posted.ts, digest);
    return { ts: posted.ts, pendingMs: 0, called: true };
  };

  return {
    async write(request) {
      const digest = createHash('sha1').update(JSON.stringify(request.message)).digest('base64url');
      const record = await ledger.read(request.writeId);
      const ts = record.ts ?? request.knownTs;
      if (ts === undefined) return await post(request, digest);
      if (record.ts === undefined) await ledger.recordPosted(request.writeId, ts, record.digest ?? '');
      if (record.digest === digest || request.postOnly === true) return { ts, pendingMs: 0, called: false };
      if (request.minUpdateIntervalMs !== undefined) {
        const pendingMs = await ledger.passGate(`update:${request.writeId}`, request.minUpdateIntervalMs);
        if (pendingMs > 0) return { ts, pendingMs, called: false };
      }
      await takeToken(request.channel, request.holder);
      try {
        await guarded('chat.update', request.channel, () =>
          slack.updateMessage({ channel: request.channel, ts, message: request.message }),
        );
      } catch (error) {
        // Someone deleted the message: post it again rather than never showing this alert.
        if (isSlackApiError(error) && error.code === slackErrorCodes.messageNotFound) {
          await ledger.forget(request.writeId);
          return await post(request, digest);
        }
        throw error;
      }
      await ledger.recordDigest(request.writeId, digest);
      return { ts, pendingMs: 0, called: true };
    },
  };
}
