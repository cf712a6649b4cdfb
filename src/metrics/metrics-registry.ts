import { Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsRegistry {
  /** The prom-client registry; adapters create their counters and histograms with `registers: [registry]`. */
  readonly registry: Registry;
  readonly contentType: string;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
}

/**
 * A registry of our own rather than prom-client's global one, so tests (and several servers in one process)
 * never share or double-register metrics. Default process metrics keep their standard names
 * (`process_*`, `nodejs_*`) so stock dashboards work; Aegis's own metrics start with `aegis_`.
 */
export function createMetricsRegistry(options: { defaultMetrics?: boolean } = {}): MetricsRegistry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    contentType: registry.contentType,
    render: async () => await registry.metrics(),
  };
}
