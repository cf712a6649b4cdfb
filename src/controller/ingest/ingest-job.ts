import type { Alert } from '../../core/alerts/index.js';

/** Default BullMQ queue name of alert deliveries. */
export const defaultIngestQueueName = 'aegis-ingest';

/** Name of every ingest job; the data is the alert only (no secrets, no request metadata). */
export const ingestJobName = 'alert';

export type IngestJobData = Alert;

/** One alert to enqueue, with the deterministic job id that makes a redelivery the same job. */
export interface IngestDelivery {
  alert: Alert;
  deliveryId: string;
}
