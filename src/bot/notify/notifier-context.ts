import type { Logger } from '../../core/logger.js';
import type { DeepReadonly } from '../../controller/runtime/index.js';
import type { AegisAlert } from '../../core/resources/aegis-alert.js';
import type { SilenceLike } from '../../core/silences/index.js';
import type { ChannelRateLimiter } from './channel-rate-limiter.js';
import type { ChannelRouter } from './channel-routing.js';
import type { MessageLedger } from './message-ledger.js';
import type { AlertSlackStore } from '../../core/ports/index.js';
import type { SlackWriter } from './slack-writer.js';
import type { StormTracker } from './storm-tracker.js';

/** Everything one sync needs; built once by `startSlackNotifier`. */
export interface NotifierContext {
  readonly store: AlertSlackStore;
  /** The notifier's watch cache of AegisAlerts (storm groups read their members from it). */
  readonly cached: (namespace: string, name: string) => DeepReadonly<AegisAlert> | undefined;
  /** The notifier's watch cache of AegisSilences of a namespace (a silence applies to its own namespace). */
  readonly silences: (namespace: string) => readonly DeepReadonly<SilenceLike>[];
  readonly writer: SlackWriter;
  readonly ledger: MessageLedger;
  readonly storm: StormTracker;
  readonly route: ChannelRouter;
  readonly now: () => number;
  readonly summaryIntervalMs: number;
  /** Group an unposted alert when its root would wait longer than this for the channel. */
  readonly maxQueueMs: number;
  readonly limiter: ChannelRateLimiter;
  readonly logger: Logger;
}

/** Reconcile keys of storm groups live in a namespace no Kubernetes object can have. */
export const groupKeyNamespace = '~slack-group';
