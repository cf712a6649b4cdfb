import type { Alert } from '../alerts/index.js';

/** One alert to enqueue, with the deterministic id that makes a redelivery the same delivery (applied once). */
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
   * Resolves only after Redis holds every delivery (the ingest queue: one intake stream entry per call; a
   * delivery id already held or applied is applied once). Rejects with an AegisError of code
   * `QUEUE_UNAVAILABLE` when it cannot; the route then answers 503.
   */
  accept(deliveries: AlertDelivery[]): Promise<void>;
  /** Work waiting to be processed (intake entries and jobs); exported as a gauge on /metrics. */
  depth(): Promise<number>;
}
