import type { FastifyInstance } from 'fastify';
import { Histogram } from 'prom-client';
import type { MetricsRegistry } from '../metrics/index.js';

/** `aegis_http_request_duration_seconds{method,route,status_code}` for every request the server answers. */
export function recordRequestMetrics(app: FastifyInstance, metrics: MetricsRegistry): void {
  const duration = new Histogram({
    name: 'aegis_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
