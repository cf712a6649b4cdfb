/**
 * Posts round digests to Slack, in the channel the alert routes choose for `NodeHealthCheckFailed` alerts
 * (AEGIS_SLACK_ROUTES, else AEGIS_SLACK_CHANNEL). A round is posted at most once: a Redis key per check and
 * round is taken before posting (a round that completes twice after a crash does not post twice). One post
 * per round per check is far below Slack's per-channel limit, so this does not go through the notifier's queue.
 */
import type { Redis } from 'ioredis';
import type { HealthDigestSink, RoundDigest } from '../../controller/healthchecks/index.js';
import { nodeHealthCheckAlertType } from '../../core/health-checks/index.js';
import type { ChannelRouter } from '../notify/index.js';
import type { SlackClient } from '../slack/index.js';
import { renderHealthDigest } from './render-health-digest.js';

export interface HealthDigestSinkOptions {
  readonly slack: Pick<SlackClient, 'postMessage'>;
  readonly router: ChannelRouter;
  readonly redis: Pick<Redis, 'set' | 'del'>;
  readonly keyPrefix: string;
}

export function createHealthDigestSink(options: HealthDigestSinkOptions): HealthDigestSink {
  return {
    async post(digest: RoundDigest) {
      const key = `${options.keyPrefix}:health-digest:${digest.check.uid}:${digest.round}`;
      const taken = await options.redis.set(key, '1', 'EX', 7 * 86_400, 'NX');
      if (taken !== 'OK') return;
      const channel = options.router({
        metadata: { namespace: digest.check.namespace, name: digest.check.name },
        spec: {
          type: nodeHealthCheckAlertType,
          status: 'Firing',
          involvedObject: { kind: 'Node', name: '' },
          details: {},
        },
      } as unknown as Parameters<ChannelRouter>[0]);
      try {
        await options.slack.postMessage({ channel, message: renderHealthDigest(digest) });
      } catch (error) {
        // Not posted: let the round's retry post it.
        await options.redis.del(key);
        throw error;
      }
    },
  };
}
