import type { Alert } from '../../core/alerts/index.js';

/** Default BullMQ queue name of alert deliveries. */
export const defaultIngestQueueName = 'aegis-ingest';

/** Name of a job holding several deliveries, in the order they were accepted (what the intake mover makes). */
export const ingestBatchJobName = 'deliveries';

/** One alert to enqueue, with the deterministic id that makes a redelivery the same delivery. */
export interface IngestDelivery {
  alert: Alert;
  deliveryId: string;
  /**
   * Where the delivery stands in the order Redis accepted deliveries (set by the intake mover from the stream
   * entry id and the delivery's place in it; compare as strings). Lets a Firing that is applied after a later
   * Resolved of its fingerprint be recognised as older than that resolution (see upsert-alert.ts).
   */
  sequence?: string;
}

/** A sortable sequence from a stream entry id (`<ms>-<n>`) and the delivery's index in the entry. */
export function intakeSequence(entryId: string, index: number): string {
  const [ms = '0', n = '0'] = entryId.split('-');
  return `${ms.padStart(15, '0')}-${n.padStart(8, '0')}-${String(index).padStart(6, '0')}`;
}

export interface IngestBatchJobData {
  deliveries: IngestDelivery[];
}
