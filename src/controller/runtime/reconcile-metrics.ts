import { sharedCounter, sharedHistogram, type MetricsRegistry } from '../../metrics/index.js';
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * How a run ended: `done` / `again` (the reconcile returned), `retry` (retryable error, will run again),
 * `failed` (retryable error, attempts exhausted), `terminal` (non-retryable error, not retried),
 * `deferred` (another worker holds the key; the job was put back for later).
 */
export type ReconcileOutcome = 'done' | 'again' | 'retry' | 'failed' | 'terminal' | 'deferred';

export interface QueueDepth {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
}

export interface ReconcileMetrics {
  observe(controller: string, outcome: ReconcileOutcome, seconds: number): void;
  /** Report this controller's queue depth whenever the registry is scraped; returns the unregister function. */
  trackDepth(controller: string, depth: () => Promise<QueueDepth>): () => void;
}

const depthProviders = new WeakMap<Registry, Map<string, () => Promise<QueueDepth>>>();

/**
 * The runtime's metrics on one registry. Several controllers (and several runtimes in one test process)
 * share the same metric objects, so they are looked up before being created.
 */
export function createReconcileMetrics(metrics: MetricsRegistry | undefined): ReconcileMetrics {
  if (metrics === undefined) return { observe: () => undefined, trackDepth: () => () => undefined };
  const registry = metrics.registry;
  const total = sharedCounter(registry, {
    name: 'aegis_reconcile_total',
    help: 'Reconcile runs by controller and outcome.',
    labelNames: ['controller', 'outcome'],
  });
  const duration = sharedHistogram(registry, {
    name: 'aegis_reconcile_duration_seconds',
    help: 'Time spent in reconcile functions, by controller and outcome.',
    labelNames: ['controller', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  let providers = depthProviders.get(registry);
  if (providers === undefined) {
    const map = new Map<string, () => Promise<QueueDepth>>();
    providers = map;
    depthProviders.set(registry, map);
    new Gauge({
      name: 'aegis_reconcile_queue_depth',
      help: 'Jobs in each reconcile queue by state (waiting, delayed, active).',
      labelNames: ['controller', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [controller, depth] of map) {
          try {
            const counts = await depth();
            this.set({ controller, state: 'waiting' }, counts.waiting);
            this.set({ controller, state: 'delayed' }, counts.delayed);
            this.set({ controller, state: 'active' }, counts.active);
          } catch {
            // Redis unreachable: leave this controller out of the scrape rather than fail the whole scrape.
          }
        }
      },
    });
  }
  const depthMap = providers;
  return {
    observe(controller, outcome, seconds) {
      total.inc({ controller, outcome });
      duration.observe({ controller, outcome }, seconds);
    },
    trackDepth(controller, depth) {
      depthMap.set(controller, depth);
      return () => {
        if (depthMap.get(controller) === depth) depthMap.delete(controller);
      };
    },
  };
}
