import type { Alert } from '../../core/alerts/index.js';

/** Default BullMQ queue name of alert deliveries. */
export const defaultIngestQueueName = 'aegis-ingest';

/**
 * Name of a job holding one delivery, the alert as data (what earlier versions enqueued; the worker still
 * processes such jobs, so a queue filled before an upgrade drains).
 */
export const ingestJobName = 'alert';

/** Name of a job holding several deliveries, in the order they were accepted (what the intake mover makes). */
export const ingestBatchJobName = 'deliveries';

export type IngestJobData = Alert;

/** One alert to enqueue, with the deterministic id that makes a redelivery the same delivery. */
export interface IngestDelivery {
  alert: Alert;
  deliveryId: string;
}

export interface IngestBatchJobData {
  deliveries: IngestDelivery[];
}
