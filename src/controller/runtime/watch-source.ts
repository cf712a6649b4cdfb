/**
 * The only file of the runtime that talks to @kubernetes/client-node's informer: list + watch of one
 * resource into a read-only cache, with restarts after errors. Everything else uses the `WatchSource`
 * interface.
 */
import { ListWatch, Watch } from '@kubernetes/client-node';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { KubeClients } from '../../kube/index.js';
import { describeKubeError } from '../../kube/index.js';
import { deepFreeze } from './deep-freeze.js';
import type { DeepReadonly } from './deep-freeze.js';

/** The fields of an object the runtime itself looks at; concrete resources add their own. */
export interface WatchedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  };
}

export interface WatchResource {
  /** `''` for the core group (then `kind` is required: client-node lists core resources by kind). */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind?: string;
  /** Watch one namespace only; all namespaces (or a cluster-scoped resource) when omitted. */
  readonly namespace?: string;
  readonly labelSelector?: string;
}

/** `resync` is never emitted by a source; the controller uses it for periodic resyncs of cached objects. */
export type WatchEventType = 'add' | 'update' | 'delete' | 'resync';

export interface WatchEvent<T extends WatchedObject = WatchedObject> {
  readonly type: WatchEventType;
  /** Frozen: copy it (`mutableCopy`) before changing anything. For `delete`, the last state seen. */
  readonly object: DeepReadonly<T>;
  /** For `update`: the object as the previous event of this key carried it (when this source emitted one). */
  readonly previous?: DeepReadonly<T>;
}

export interface WatchSource<T extends WatchedObject = WatchedObject> {
  /** e.g. `v1/configmaps (namespace default)`; for logs. */
  readonly description: string;
  /** True once the first list has landed in the cache. */
  readonly hasSynced: boolean;
  /** Cluster-scoped objects live under namespace `''`. The object is frozen. */
  get(namespace: string, name: string): DeepReadonly<T> | undefined;
  /** Every cached object (of one namespace if given). The objects are frozen; the array is a fresh copy. */
  list(namespace?: string): DeepReadonly<T>[];
  /**
   * Called for every add, update and delete after the cache has changed; returns the unsubscribe function.
   * A subscriber that joins a running source is first handed every object already cached, as `add`
   * events (synchronously, before `onChange` returns), so a late subscriber misses nothing.
   */
  onChange(handler: (event: WatchEvent<T>) => void): () => void;
  /** Resolves when the first list is cached; rejects after `timeoutMs` (default 60 s). */
  waitForSync(timeoutMs?: number): Promise<void>;
  /**
   * Start listing and watching; resolves after the first attempt (errors are retried in the background).
   * Reference-counted, so several controllers can share one source: each `start()` needs one `stop()`.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WatchSourceOptions {
  readonly logger?: Logger;
  /** First restart delay after a watch or list error (default 250 ms); doubles up to `maxRestartDelayMs`. */
  readonly initialRestartDelayMs?: number;
  /** Upper bound of the restart delay (default 30 s). */
  readonly maxRestartDelayMs?: number;
}

/** Errors reported after this long a healthy run start the backoff from the beginning again. */
const healthyAfterMs = 30_000;

export function createWatchSource<T extends WatchedObject = WatchedObject>(
  clients: KubeClients,
  resource: WatchResource,
  options: WatchSourceOptions = {},
): WatchSource<T> {
  const description = describeResource(resource);
  const logger = (options.logger ?? silentLogger).child({ component: 'watch-source', resource: description });
  const initialDelay = options.initialRestartDelayMs ?? 250;
  const maxDelay = options.maxRestartDelayMs ?? 30_000;
  const watch = new TrackedWatch(clients);
  // makeInformer(kc, path, listFn, labelSelector) is exactly `new ListWatch(path, new Watch(kc), listFn,
  // false, labelSelector)`; we build it ourselves to pass a Watch that can cancel in-flight connections.
  const informer = new ListWatch<KubernetesObject>(
    watchPath(resource),
    watch,
    listFunction(clients, resource),
    false,
    resource.labelSelector,
  );
  const handlers = new Set<(event: WatchEvent<T>) => void>();
  let users = 0;
  let running = false;
  let synced = false;
  let listedOnce = false;
  let failures = 0;
  let lastStartAt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;
  const syncWaiters = new Set<() => void>();

  // The last object each key was emitted with, so an update can say what it replaced (consumers skip updates
  // that change nothing they look at). The objects are the frozen cache entries: no copies are kept.
  const lastEmitted = new Map<string, DeepReadonly<T>>();
  const deliver = (handler: (event: WatchEvent<T>) => void, event: WatchEvent<T>): void => {
    try {
      handler(event);
    } catch (error) {
      logger.error({ err: error, event: event.type }, 'watch event handler threw');
    }
  };
  const emit = (type: 'add' | 'update' | 'delete') => (object: KubernetesObject) => {
    // The informer caches this very object; freezing it keeps every reader from changing the cache.
    const frozen = deepFreeze(object as T);
    const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    const previous = type === 'update' ? lastEmitted.get(key) : undefined;
    if (type === 'delete') lastEmitted.delete(key);
    else lastEmitted.set(key, frozen);
    const event: WatchEvent<T> =
      previous === undefined ? { type, object: frozen } : { type, object: frozen, previous };
    for (const handler of handlers) deliver(handler, event);
  };
  informer.on('add', emit('add'));
  informer.on('update', emit('update'));
  informer.on('delete', emit('delete'));
  informer.on('error', (error: unknown) => {
    if (!running) return; // stop() aborts the watch, which the informer reports as an error.
    logger.warn({ err: describeKubeError(error), failures }, 'watch failed; restarting');
    scheduleRestart();
  });

  const markSyncedIfListed = (): void => {
    if (!synced && listedOnce && running) {
      synced = true;
      for (const wake of syncWaiters) wake();
      syncWaiters.clear();
    }
  };

  // Every (re)start goes through here; the informer's own automatic re-watch (after the server closes a
  // stream) and relist (after 410 Gone) happen inside it without errors.
  const runInformer = (): Promise<void> => {
    lastStartAt = Date.now();
    const attempt = (async () => {
      await informer.start();
      listedOnce ||= informer.latestResourceVersion() !== '';
      markSyncedIfListed();
    })();
    starting = attempt;
    return attempt;
  };

  const scheduleRestart = (): void => {
    if (!running || restartTimer !== undefined) return;
    if (Date.now() - lastStartAt > healthyAfterMs) failures = 0;
    const delay = Math.min(maxDelay, initialDelay * 2 ** failures) * (0.8 + 0.4 * Math.random());
    failures += 1;
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (!running) return;
      runInformer().catch((error: unknown) => {
        logger.warn({ err: describeKubeError(error) }, 'restarting the watch failed');
        scheduleRestart();
      });
    }, delay);
  };

  return {
    description,
    get hasSynced() {
      return synced;
    },
    get(namespace, name) {
      return informer.get(name, namespace) as DeepReadonly<T> | undefined;
    },
    list(namespace) {
      return [...informer.list(namespace === '' ? undefined : namespace)] as DeepReadonly<T>[];
    },
    onChange(handler) {
      // Replay what the others have already seen: a source shared by several consumers (one informer per
      // resource type) emits its initial list once, to whoever subscribed before it started.
      if (running) {
        for (const object of informer.list()) deliver(handler, { type: 'add', object: object as DeepReadonly<T> });
      }
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async waitForSync(timeoutMs = 60_000) {
      if (synced) return;
      let wake: () => void = () => undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          wake = resolve;
          syncWaiters.add(wake);
          timer = setTimeout(
            () =>
              reject(
                new AegisError('WATCH_NOT_SYNCED', `${description} did not sync within ${timeoutMs} ms`, {
                  retryable: true,
                }),
              ),
            timeoutMs,
          );
        });
      } finally {
        clearTimeout(timer);
        syncWaiters.delete(wake);
      }
    },
    async start() {
      users += 1;
      if (users > 1) return;
      running = true;
      watch.open();
      try {
        await runInformer();
      } catch (error) {
        logger.warn({ err: describeKubeError(error) }, 'starting the watch failed; retrying');
        scheduleRestart();
      }
    },
    async stop() {
      if (users === 0) return;
      users -= 1;
      if (users > 0) return;
      running = false;
      synced = false;
      lastEmitted.clear();
      clearTimeout(restartTimer);
      restartTimer = undefined;
      watch.close();
      await informer.stop();
      // A start still in flight (listing, or opening the watch) finishes against the closed Watch.
      await starting?.catch(() => undefined);
      watch.close();
    },
  };
}

/**
 * client-node's Watch, plus bookkeeping of open connections: the informer keeps only the latest request, and
 * one that is still being opened when the informer stops would otherwise stay open (a leaked handle).
 */
class TrackedWatch extends Watch {
  private readonly open_ = new Set<AbortController>();
  private closed = true;

  constructor(clients: KubeClients) {
    super(clients.kubeConfig);
  }

  open(): void {
    this.closed = false;
  }

  close(): void {
    this.closed = true;
    for (const controller of this.open_) controller.abort();
    this.open_.clear();
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    // The watch callback's object is `any` in client-node's own signature; the informer parses it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    if (this.closed) return new AbortController();
    const tracked: { controller?: AbortController } = {};
    const trackedDone = (error: unknown): void => {
      if (tracked.controller !== undefined) this.open_.delete(tracked.controller);
      done(error);
    };
    const controller = await super.watch(path, queryParams, callback, trackedDone);
    tracked.controller = controller;
    if (this.closed) {
      controller.abort();
    } else if (!controller.signal.aborted) {
      this.open_.add(controller);
    }
    return controller;
  }
}

/** e.g. `aegis.io/v1alpha1/aegisalerts (namespace monitoring)`: one informer per description. */
export function describeResource(resource: WatchResource): string {
  const groupVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  const scope = resource.namespace === undefined ? '' : ` (namespace ${resource.namespace})`;
  const selector = resource.labelSelector === undefined ? '' : ` [${resource.labelSelector}]`;
  return `${groupVersion}/${resource.plural}${scope}${selector}`;
}

function watchPath(resource: WatchResource): string {
  const base =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const namespace =
    resource.namespace === undefined ? '' : `/namespaces/${encodeURIComponent(resource.namespace)}`;
  return `${base}${namespace}/${resource.plural}`;
}

function listFunction(
  clients: KubeClients,
  resource: WatchResource,
): () => Promise<KubernetesListObject<KubernetesObject>> {
  const { group, version, plural, namespace, labelSelector } = resource;
  if (group === '') {
    const kind = resource.kind;
    if (kind === undefined) {
      throw new AegisError('WATCH_RESOURCE_INVALID', `watching core resource ${plural} needs its kind`);
    }
    return () =>
      clients.objects.list(
        version,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        labelSelector,
      );
  }
  const selector = labelSelector === undefined ? {} : { labelSelector };
  // CustomObjectsApi types its list replies as `object`; they are Kubernetes lists.
  return async () =>
    (namespace === undefined
      ? await clients.customObjects.listClusterCustomObject({ group, version, plural, ...selector })
      : await clients.customObjects.listNamespacedCustomObject({
          group,
          version,
          namespace,
          plural,
          ...selector,
        })) as KubernetesListObject<KubernetesObject>;
}
