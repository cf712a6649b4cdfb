export { createMetricsRegistry, type MetricsRegistry } from './metrics-registry.js';
