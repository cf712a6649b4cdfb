import { Counter, Gauge, type Registry } from 'prom-client';

/** What the ingest worker, the count flusher and the TTL sweeper report. */
export interface IngestMetrics {
  alertCreated(source: string): void;
  repeatCounted(source: string): void;
  duplicateDelivery(): void;
  alertResolved(source: string): void;
  resolvedWithNothingActive(source: string): void;
  flushWrite(): void;
  alertExpired(): void;
}

export const noopIngestMetrics: IngestMetrics = {
  alertCreated: () => undefined,
  repeatCounted: () => undefined,
  duplicateDelivery: () => undefined,
  alertResolved: () => undefined,
  resolvedWithNothingActive: () => undefined,
  flushWrite: () => undefined,
  alertExpired: () => undefined,
};

/** Ingest counters in `registry` (call once per registry: prom-client refuses a second registration). */
export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  const created = new Counter({
    name: 'aegis_ingest_alerts_created_total',
    help: 'AegisAlerts created for a new firing alert.',
    labelNames: ['source'],
    registers,
  });
  const repeats = new Counter({
    name: 'aegis_ingest_alert_repeats_total',
    help: 'Repeat deliveries counted on an active AegisAlert.',
    labelNames: ['source'],
    registers,
  });
  const duplicates = new Counter({
    name: 'aegis_ingest_duplicate_deliveries_total',
    help: 'Deliveries already applied (a retried job), ignored.',
    registers,
  });
  const resolved = new Counter({
    name: 'aegis_ingest_alerts_resolved_total',
    help: 'AegisAlerts set to Resolved.',
    labelNames: ['source'],
    registers,
  });
  const resolvedNothing = new Counter({
    name: 'aegis_ingest_resolved_without_active_total',
    help: 'Resolved deliveries that found no firing AegisAlert for their fingerprint.',
    labelNames: ['source'],
    registers,
  });
  const flushWrites = new Counter({
    name: 'aegis_ingest_count_flush_writes_total',
    help: 'Status writes made to bring an AegisAlert count up to date with the deliveries counted in Redis.',
    registers,
  });
  const expired = new Counter({
    name: 'aegis_ingest_alerts_expired_total',
    help: 'AegisAlerts deleted by the TTL sweep.',
    registers,
  });
  return {
    alertCreated: (source) => created.inc({ source }),
    repeatCounted: (source) => repeats.inc({ source }),
    duplicateDelivery: () => duplicates.inc(),
    alertResolved: (source) => resolved.inc({ source }),
    resolvedWithNothingActive: (source) => resolvedNothing.inc({ source }),
    flushWrite: () => flushWrites.inc(),
    alertExpired: () => expired.inc(),
  };
}

/** `aegis_ingest_queue_depth`: jobs waiting, active or delayed, read when /metrics is scraped. */
export function registerQueueDepthGauge(registry: Registry, depth: () => Promise<number>): void {
  new Gauge({
    name: 'aegis_ingest_queue_depth',
    help: 'Ingest jobs waiting, active or delayed.',
    registers: [registry],
    async collect() {
      try {
        this.set(await depth());
      } catch {
        // Redis unreachable: keep the last value rather than failing the whole scrape.
      }
    },
  });
}
