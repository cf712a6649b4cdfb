/**
 * One shared informer (list + watch + read-only cache) per resource, for the whole process: controllers, the
 * Slack notifier, the agent's tools and the approval service read the same cache instead of each listing and
 * watching on its own. See docs/decisions/0016-controller-manager.md.
 *
 *   const informers = createInformerManager(clients, { logger, metrics });
 *   const alerts = informers.informer<AegisAlert & WatchedObject>(aegisAlertResource);
 *   await startController({ sources: [watchInput(alerts)], ... });   // start()/stop() are reference-counted
 */
import { Gauge } from 'prom-client';
import { silentLogger } from '../../core/logger.js';
import type { KubeClients } from '../../kube/index.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import { createWatchSource, describeResource } from './watch-source.js';
import type { WatchResource, WatchSource, WatchSourceOptions, WatchedObject } from './watch-source.js';

export interface InformerManager {
  /**
   * The process's informer of `resource` (same group, version, plural, namespace and label selector → the same
   * informer). Consumers `start()` it and `stop()` it when done; it runs while anyone uses it. A consumer that
   * subscribes after it started gets the cached objects as `add` events first.
   */
  informer<T extends WatchedObject = WatchedObject>(resource: WatchResource): WatchSource<T>;
  /** The resources with an informer, e.g. `aegis.io/v1alpha1/aegisalerts (namespace monitoring)`. */
  descriptions(): string[];
}

export interface InformerManagerOptions extends WatchSourceOptions {
  /** Registers `aegis_informer_objects{resource}` (cached objects per informer). */
  readonly metrics?: MetricsRegistry;
}

export function createInformerManager(
  clients: KubeClients,
  options: InformerManagerOptions = {},
): InformerManager {
  const { metrics, ...sourceOptions } = options;
  const logger = options.logger ?? silentLogger;
  const sources = new Map<string, WatchSource>();
  if (metrics !== undefined) {
    new Gauge({
      name: 'aegis_informer_objects',
      help: 'Objects in the shared informer cache, per resource.',
      labelNames: ['resource'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const [resource, source] of sources) this.set({ resource }, source.list().length);
      },
    });
  }
  return {
    informer<T extends WatchedObject = WatchedObject>(resource: WatchResource): WatchSource<T> {
      const description = describeResource(resource);
      const existing = sources.get(description);
      // Every informer of one description watches the same objects; T only narrows how a consumer reads them.
      if (existing !== undefined) return existing as unknown as WatchSource<T>;
      const created = createWatchSource<T>(clients, resource, { ...sourceOptions, logger });
      sources.set(description, created);
      return created;
    },
    descriptions: () => [...sources.keys()],
  };
}

/**
 * The informer of `resource` from `informers`, or a private one when the caller has no manager (a controller
 * started on its own, as most tests do).
 */
export function informerOf<T extends WatchedObject>(
  informers: InformerManager | undefined,
  clients: KubeClients,
  resource: WatchResource,
  options: WatchSourceOptions = {},
): WatchSource<T> {
  return informers?.informer<T>(resource) ?? createWatchSource<T>(clients, resource, options);
}
