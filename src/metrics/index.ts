export { createMetricsRegistry, type MetricsRegistry } from './metrics-registry.js';
export { sharedCounter, sharedGauge, sharedHistogram } from './shared-metric.js';
