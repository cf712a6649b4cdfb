/**
 * The Events of the alert reconciler's steps: recorded per alert, in order, without holding up the run (see
 * `record`).
 */
import type { Logger } from '../../core/logger.js';
import type { AlertObject } from './alert-action-types.js';
import type { AlertEvent, EventRecorder } from '../../core/ports/index.js';

export interface AlertEventChain {
  /** Queue the step's Events behind the alert's earlier ones; returns at once. */
  record(alert: AlertObject, events: readonly AlertEvent[], logger: Logger): void;
}

export function createAlertEventChain(recorder: EventRecorder): AlertEventChain {
  const eventChains = new Map<string, Promise<void>>();

  /**
   * Record the step's Events after its status write, off the run's critical path: they are best effort (a
   * failure is logged, never retried), so the run need not hold its key and worker slot for them. One chain per
   * alert keeps an alert's Events in order.
   */
  function record(alert: AlertObject, events: readonly AlertEvent[], logger: Logger): void {
    const namespace = alert.metadata.namespace ?? '';
    const name = alert.metadata.name ?? '';
    const key = `${namespace}/${name}`;
    const involved = {
      apiVersion: alert.apiVersion,
      kind: alert.kind,
      name,
      namespace,
      ...(alert.metadata.uid === undefined ? {} : { uid: alert.metadata.uid }),
    };
    const previous = eventChains.get(key) ?? Promise.resolve();
    const chain = previous.then(async () => {
      for (const event of events) {
        try {
          await recorder.record(involved, event);
        } catch (error) {
          logger.warn({ err: String(error), reason: event.reason }, 'could not record an event');
        }
      }
    });
    eventChains.set(key, chain);
    void chain.finally(() => {
      if (eventChains.get(key) === chain) eventChains.delete(key);
    });
  }

  return { record };
}
