import type { Alert } from '../core/alerts/index.js';

/** One alert to enqueue, with the deterministic job id that makes a redelivery the same job. */
export interface AlertDelivery {
  alert: Alert;
  deliveryId: string;
}

/**
 * Where the webhook routes hand alerts over (the port; the BullMQ ingest queue implements it). The routes
 * answer 2xx only after `accept` resolves, so an acknowledged alert is never lost.
 */
export interface AlertIntake {
  /**
   * Resolves only after Redis holds a job for every delivery (a delivery whose id is already queued counts as
   * held). Rejects with an AegisError of code `QUEUE_UNAVAILABLE` when it cannot; the route then answers 503.
   */
  accept(deliveries: AlertDelivery[]): Promise<void>;
  /** Jobs waiting to be processed; exported as a gauge on /metrics. */
  depth(): Promise<number>;
}
