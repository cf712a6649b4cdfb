import { Counter, Gauge, Histogram } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration, Registry } from 'prom-client';

/*
 * Several components (and several runtimes in one test process) may share a registry, and prom-client throws
 * when a name is registered twice: these return the metric already registered under the name, else register a
 * new one. The name is given once, in the configuration.
 */

export function sharedCounter<T extends string>(
  registry: Registry,
  config: Omit<CounterConfiguration<T>, 'registers'>,
): Counter<T> {
  const found = registry.getSingleMetric(config.name);
  return found instanceof Counter
    ? (found)
    : new Counter<T>({ ...config, registers: [registry] });
}

export function sharedHistogram<T extends string>(
  registry: Registry,
  config: Omit<HistogramConfiguration<T>, 'registers'>,
): Histogram<T> {
  const found = registry.getSingleMetric(config.name);
  return found instanceof Histogram
    ? (found)
    : new Histogram<T>({ ...config, registers: [registry] });
}

export function sharedGauge<T extends string>(
  registry: Registry,
  config: Omit<GaugeConfiguration<T>, 'registers'>,
): Gauge<T> {
  const found = registry.getSingleMetric(config.name);
  return found instanceof Gauge ? (found) : new Gauge<T>({ ...config, registers: [registry] });
}
