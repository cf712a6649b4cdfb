/**
 * The Slack notifier: watches AegisAlerts and keeps one Slack thread per alert (or per storm group) current.
 * It is a controller on the reconcile runtime, so every Slack write happens inside a BullMQ job, de-duplicated
 * per alert key (a burst of changes is one sync), one run per key across replicas, retried with backoff.
 * See docs/decisions/0005-slack-posting.md. AegisSilences are watched too: an unposted alert a silence matches
 * waits (see sync-alert.ts), and a silence that starts, changes or ends queues the unposted alerts it matches.
 */
import type { InformerManager, ReconcileResult, WatchedObject } from '../../controller/runtime/index.js';
import {
  informerOf,
  formatObjectKey,
  objectKeyOf,
  reconcileAgain,
  startController,
  watchInput,
} from '../../controller/runtime/index.js';
import type { AegisAlert } from '../../core/resources/aegis-alert.js';
import type { AegisSilence } from '../../core/resources/aegis-silence.js';
import { silenceMatches } from '../../core/silences/index.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { KubeClients } from '../../kube/index.js';
import { createAlertSlackStore } from '../../kube/index.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import { createRedisConnections } from '../../platform/index.js';
import type { RedisConnections } from '../../platform/index.js';
import { createSlackClient } from '../slack/index.js';
import type { SlackClient } from '../slack/index.js';
import { createChannelRateLimiter } from './channel-rate-limiter.js';
import type { RateLimitOptions } from './channel-rate-limiter.js';
import { createChannelRouter } from './channel-routing.js';
import type { SlackRoute } from './channel-routing.js';
import { createMessageLedger } from './message-ledger.js';
import { groupKeyNamespace } from './notifier-context.js';
import type { NotifierContext } from './notifier-context.js';
import { createNotifierMetrics } from './notifier-metrics.js';
import type { AlertSlackStore } from '../../core/ports/index.js';
import { ChannelBusy, createSlackWriter } from './slack-writer.js';
import { createStormTracker } from './storm-tracker.js';
import type { StormOptions } from './storm-tracker.js';
import { requestThreadKey, syncAlert } from './sync-alert.js';
import { syncStormGroup } from './sync-storm-group.js';

export interface SlackNotifierOptions {
  readonly clients: KubeClients;
  readonly redisUrl: string;
  /** The process's Redis connection factory; a private one on `redisUrl` when omitted. */
  readonly redis?: RedisConnections;
  /** BullMQ / Redis key prefix shared by every replica. */
  readonly prefix: string;
  /** SLACK_BOT_TOKEN and SLACK_API_URL; or a ready client (tests, or the Bolt app's). */
  readonly slack: { readonly token: string; readonly apiUrl?: string } | { readonly client: SlackClient };
  /** AEGIS_SLACK_CHANNEL: where alerts go when no route matches. */
  readonly channel: string;
  /** AEGIS_SLACK_ROUTES: first match wins. */
  readonly routes?: readonly SlackRoute[];
  readonly storm?: StormOptions;
  readonly rateLimit?: RateLimitOptions;
  /** Watch only this namespace's AegisAlerts (all namespaces when omitted). */
  readonly namespace?: string;
  /** Syncs running at once in this process (default 8). */
  readonly concurrency?: number;
  /** Replaces the Kubernetes adapter (tests). */
  readonly store?: AlertSlackStore;
  readonly now?: () => number;
  readonly logger?: Logger;
  readonly metrics?: MetricsRegistry;
  /** The process's shared informers (`aegis serve` passes its manager); private ones when omitted. */
  readonly informers?: InformerManager;
}

/** A Slack thread: the channel (or DM) and the ts of its first message. */
export interface SlackThread {
  readonly channel: string;
  readonly threadTs: string;
}

export interface SlackNotifier {
  /** Resolves when the first list of AegisAlerts is cached. */
  waitForSync(timeoutMs?: number): Promise<void>;
  /**
   * Show the approval message of an alert (an ops request the agent proposed) in `thread` as well as in the
   * alert's own thread, and keep it current there (buttons removed after the decision). Recorded in Redis,
   * so every replica and a restart know it.
   */
  showApprovalInThread(alert: { namespace: string; name: string }, thread: SlackThread): Promise<void>;
  stop(): Promise<void>;
}

export const slackNotifierName = 'slack-notifier';

export async function startSlackNotifier(options: SlackNotifierOptions): Promise<SlackNotifier> {
  const logger = (options.logger ?? silentLogger).child({ component: slackNotifierName });
  const keyPrefix = `${options.prefix}:slack:`;
  const connections = options.redis ?? createRedisConnections(options.redisUrl, { logger });
  const redis = connections.open('slack-notifier:state', 'blocking');
  const slack =
    'client' in options.slack
      ? options.slack.client
      : createSlackClient({
          token: options.slack.token,
          ...(options.slack.apiUrl === undefined ? {} : { apiUrl: options.slack.apiUrl }),
          logger,
        });
  const ledger = createMessageLedger(redis, keyPrefix);
  const limiter = createChannelRateLimiter(redis, keyPrefix, options.rateLimit);
  const writer = createSlackWriter(slack, limiter, ledger, createNotifierMetrics(options.metrics));
  const source = informerOf<AegisAlert & WatchedObject>(
    options.informers,
    options.clients,
    {
      group: 'aegis.io',
      version: 'v1alpha1',
      plural: 'aegisalerts',
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    },
    { logger },
  );
  const silences = informerOf<AegisSilence & WatchedObject>(
    options.informers,
    options.clients,
    {
      group: 'aegis.io',
      version: 'v1alpha1',
      plural: 'aegissilences',
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    },
    { logger },
  );
  const context: NotifierContext = {
    store: options.store ?? createAlertSlackStore(options.clients),
    cached: (namespace, name) => source.get(namespace, name),
    silences: (namespace) => silences.list(namespace),
    writer,
    ledger,
    storm: createStormTracker(redis, keyPrefix, options.storm),
    route: createChannelRouter(options.channel, options.routes),
    now: options.now ?? Date.now,
    summaryIntervalMs: options.storm?.summaryIntervalMs ?? 10_000,
    // Without storm grouping there is nothing to fall back to: wait as long as it takes.
    maxQueueMs:
      (options.storm?.threshold ?? 5) <= 0 ? Number.POSITIVE_INFINITY : (options.storm?.maxQueueMs ?? 10_000),
    limiter,
    logger,
  };

  let controller;
  try {
    controller = await startController({
      name: slackNotifierName,
      // Silences first, so they are cached before the first alert is looked at.
      sources: [
        watchInput(silences, (event) =>
          source
            .list(event.object.metadata.namespace)
            .filter(
              (alert) =>
                alert.status?.slack === undefined &&
                alert.status?.opsStatus?.triggerStatus === undefined &&
                silenceMatches(event.object, alert),
            )
            .flatMap((alert) => {
              const key = objectKeyOf(alert);
              return key === undefined ? [] : [key];
            }),
        ),
        watchInput(source),
      ],
      redisUrl: options.redisUrl,
      redis: connections,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 8,
      // Retried writes are safe (each write is recorded), so retry patiently; 429s never count as failures.
      retry: { attempts: 10, baseDelayMs: 1_000, maxDelayMs: 120_000 },
      logger,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      reconcile: async (key, run): Promise<ReconcileResult> => {
        // Until the silences are known, an alert cannot be told to wait: put it off.
        if (!silences.hasSynced) return reconcileAgain(250);
        try {
          if (key.namespace === groupKeyNamespace) return await syncStormGroup(context, key.name);
          return await syncAlert(context, key, (next) => run.enqueue(next));
        } catch (error) {
          if (!(error instanceof ChannelBusy)) throw error;
          // Waiting for the channel is not a failure: run again when the reservation (or Retry-After) is due.
          run.logger.debug({ delayMs: error.delayMs, reason: error.reason }, 'waiting for the channel');
          return reconcileAgain(error.delayMs + 5);
        }
      },
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  const started = controller;
  let stopping: Promise<void> | undefined;
  return {
    waitForSync: (timeoutMs) => started.waitForSync(timeoutMs),
    async showApprovalInThread(alert, thread) {
      const key = { namespace: alert.namespace, name: alert.name };
      await ledger.writeHash(requestThreadKey(formatObjectKey(key)), {
        channel: thread.channel,
        threadTs: thread.threadTs,
      });
      await started.enqueue(key);
    },
    stop() {
      stopping ??= (async () => {
        await started.stop();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return stopping;
    },
  };
}
