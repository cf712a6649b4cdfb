import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import type { RedisConnections } from '../../platform/index.js';
import { formatObjectKey, objectKeyOf, parseObjectKey } from './object-key.js';
import type { ObjectKey } from './object-key.js';
import type { QueueDepth } from './reconcile-metrics.js';
import { startReconcileQueue } from './reconcile-queue.js';
import type { RetryOptions } from './reconcile-queue.js';
import type { EnqueueOptions, ReconcileFunction } from './reconcile-types.js';
import type { WatchEvent, WatchSource, WatchedObject } from './watch-source.js';

/** One input of a controller: a watch source and which keys its events concern. */
export interface ControllerSource {
  readonly source: WatchSource;
  /** Keys to reconcile for an event (including `resync`); the object's own key when omitted. */
  readonly mapToKeys?: (event: WatchEvent) => readonly ObjectKey[];
}

/**
 * A typed `ControllerSource`: `mapToKeys` sees the source's own object type. The controller itself only
 * handles keys, so the type is erased here.
 */
export function watchInput<T extends WatchedObject>(
  source: WatchSource<T>,
  mapToKeys?: (event: WatchEvent<T>) => readonly ObjectKey[],
): ControllerSource {
  // WatchSource<T> only ever hands out T, and mapToKeys only receives events of this same source.
  const erased = source as unknown as WatchSource;
  if (mapToKeys === undefined) return { source: erased };
  return { source: erased, mapToKeys: mapToKeys as unknown as (event: WatchEvent) => readonly ObjectKey[] };
}

/** Map an event to its own object's key (the default). */
export function ownKey(event: WatchEvent): readonly ObjectKey[] {
  const key = objectKeyOf(event.object);
  return key === undefined ? [] : [key];
}

/**
 * Map an event to the key of the object's controlling owner of `kind` (e.g. a Workflow to its AegisAlert),
 * in the object's namespace. Objects without such an owner map to nothing.
 */
export function controllerOwnerKey(owner: {
  readonly kind: string;
  /** e.g. `aegis.io`; any group when omitted. */
  readonly group?: string;
}): (event: WatchEvent) => readonly ObjectKey[] {
  return (event) => {
    const metadata = event.object.metadata;
    const reference = metadata?.ownerReferences?.find(
      (candidate) =>
        candidate.controller === true &&
        candidate.kind === owner.kind &&
        (owner.group === undefined || candidate.apiVersion.split('/')[0] === owner.group),
    );
    return reference === undefined ? [] : [{ namespace: metadata?.namespace ?? '', name: reference.name }];
  };
}

export interface ControllerOptions {
  /** Queue name, metric label and log field (letters, digits, `-`; no `:`). */
  readonly name: string;
  readonly sources: readonly ControllerSource[];
  readonly reconcile: ReconcileFunction;
  readonly redisUrl: string;
  /** The process's Redis connection factory; a private one on `redisUrl` when omitted. */
  readonly redis?: RedisConnections;
  /** BullMQ key prefix shared by every replica of this deployment. */
  readonly prefix: string;
  /** Reconciles run at once in this process (default 4). */
  readonly concurrency?: number;
  /** Enqueue every cached key this often (default 10 min; 0 turns it off). */
  readonly resyncIntervalMs?: number;
  readonly retry?: RetryOptions;
  readonly lockTtlMs?: number;
  readonly lockedRetryDelayMs?: number;
  readonly logger?: Logger;
  readonly metrics?: MetricsRegistry;
}

export interface Controller {
  readonly name: string;
  enqueue(key: ObjectKey, options?: EnqueueOptions): Promise<void>;
  /** Enqueue every key the cached objects of all sources map to; returns how many keys. */
  resync(): Promise<number>;
  /** Resolves when every source has its first list cached. */
  waitForSync(timeoutMs?: number): Promise<void>;
  depth(): Promise<QueueDepth>;
  /** Stop sources, then the worker (running reconciles finish), then the queue and its connections. */
  stop(): Promise<void>;
}

/**
 * Wire watch sources to a reconcile queue. Every replica runs this with the same `prefix`: each has its own
 * informers, all share the queue, and Redis de-duplicates keys and keeps one run per key at a time.
 */
export async function startController(options: ControllerOptions): Promise<Controller> {
  const { name } = options;
  const logger = (options.logger ?? silentLogger).child({ component: 'controller', controller: name });
  const queue = await startReconcileQueue({
    name,
    redisUrl: options.redisUrl,
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    prefix: options.prefix,
    reconcile: options.reconcile,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.lockTtlMs === undefined ? {} : { lockTtlMs: options.lockTtlMs }),
    ...(options.lockedRetryDelayMs === undefined ? {} : { lockedRetryDelayMs: options.lockedRetryDelayMs }),
    logger,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });

  const pending = new Set<Promise<void>>();
  let stopped = false;
  const enqueueAll = (keys: readonly ObjectKey[], reason: string): void => {
    if (stopped) return;
    for (const key of keys) {
      const job = queue
        .enqueue(key)
        .catch((error: unknown) =>
          logger.warn(
            { err: error, key: formatObjectKey(key), reason },
            'enqueue failed; the next resync retries it',
          ),
        )
        .finally(() => pending.delete(job));
      pending.add(job);
    }
  };

  const mapped = (input: ControllerSource, event: WatchEvent): readonly ObjectKey[] => {
    try {
      return (input.mapToKeys ?? ownKey)(event);
    } catch (error) {
      logger.error({ err: error, source: input.source.description }, 'mapToKeys threw; event ignored');
      return [];
    }
  };

  const unsubscribes = options.sources.map((input) =>
    input.source.onChange((event) => enqueueAll(mapped(input, event), event.type)),
  );
  const started: WatchSource[] = [];
  for (const input of options.sources) {
    await input.source.start();
    started.push(input.source);
  }

  const resync = async (): Promise<number> => {
    const keys = new Map<string, ObjectKey>();
    for (const input of options.sources) {
      if (!input.source.hasSynced) continue;
      for (const object of input.source.list()) {
        for (const key of mapped(input, { type: 'resync', object })) keys.set(formatObjectKey(key), key);
      }
    }
    const results = await Promise.allSettled(
      [...keys.keys()].map((key) => queue.enqueue(parseObjectKey(key))),
    );
    const failed = results.filter((result) => result.status === 'rejected').length;
    if (failed > 0) logger.warn({ failed, keys: keys.size }, 'resync could not enqueue some keys');
    else logger.debug({ keys: keys.size }, 'resync enqueued every cached key');
    return keys.size;
  };
  const resyncIntervalMs = options.resyncIntervalMs ?? 600_000;
  const resyncTimer =
    resyncIntervalMs > 0
      ? setInterval(() => {
          resync().catch((error: unknown) => logger.warn({ err: error }, 'resync failed'));
        }, resyncIntervalMs)
      : undefined;

  let stopping: Promise<void> | undefined;
  return {
    name,
    enqueue: (key, enqueueOptions) => queue.enqueue(key, enqueueOptions),
    resync,
    async waitForSync(timeoutMs) {
      await Promise.all(options.sources.map((input) => input.source.waitForSync(timeoutMs)));
    },
    depth: () => queue.depth(),
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(resyncTimer);
        for (const unsubscribe of unsubscribes) unsubscribe();
        await Promise.all(started.map((source) => source.stop()));
        await Promise.allSettled([...pending]);
        await queue.close();
      })();
      return stopping;
    },
  };
}
