/**
 * Redis keys of the ingest state, next to (never inside) BullMQ's own keys of the queue. Everything hangs off
 * `<prefix>:<queueName>-state:` so that a test's prefix isolates all of it.
 */
export interface IngestKeys {
  /**
   * The intake stream: one entry per accepted request (XADD), moved into BullMQ jobs by the intake mover. Not
   * under `-state` so that it stays next to the queue it feeds.
   */
  readonly intake: string;
  /** Marks a delivery (BullMQ job id) whose effect has been applied: a retried job must not count twice. */
  seen(deliveryId: string): string;
  /** Total deliveries counted for an alert (its `status.count` to be). */
  counter(alertName: string): string;
  /** Sorted set: alert names whose counter is ahead of the API object; score = last delivery (epoch ms). */
  readonly dirty: string;
  /** Present while an alert's count was flushed recently (limits status writes per alert in a storm). */
  flushGate(alertName: string): string;
  /** Short-lived cache: the name of the active alert of a fingerprint (label value). */
  active(fingerprintLabelValue: string): string;
  /** Lock around find-or-create for a fingerprint. */
  lock(fingerprintLabelValue: string): string;
  /**
   * `<intake sequence>|<alert name>` of the newest Resolved applied to a fingerprint: a Firing accepted before
   * it (but applied after it: another job, a stalled job retried) belongs to that resolved alert.
   */
  resolvedMark(fingerprintLabelValue: string): string;
}

export function ingestKeys(prefix: string, queueName: string): IngestKeys {
  const base = `${prefix}:${queueName}-state`;
  return {
    intake: `${prefix}:${queueName}-intake`,
    seen: (deliveryId) => `${base}:seen:${deliveryId}`,
    counter: (alertName) => `${base}:count:${alertName}`,
    dirty: `${base}:dirty`,
    flushGate: (alertName) => `${base}:flushed:${alertName}`,
    active: (fingerprint) => `${base}:active:${fingerprint}`,
    lock: (fingerprint) => `${base}:lock:${fingerprint}`,
    resolvedMark: (fingerprint) => `${base}:resolved:${fingerprint}`,
  };
}
