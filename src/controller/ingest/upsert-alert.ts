/**
 * One delivery of an alert → the AegisAlert of its fingerprint:
 * - Firing, no active alert → create one (count 1), under a per-fingerprint lock so that concurrent deliveries
 *   in any number of processes create exactly one;
 * - Firing, an active alert → count the delivery once in Redis (the count flusher writes it to the object), so
 *   a storm of repeats costs no API write per delivery;
 * - Resolved → every firing alert of the fingerprint gets its final count, `Resolved`, `resolvedAt` and the
 *   `alert-status` label; nothing firing is not an error (a metric counts it).
 * Every step is safe to repeat: a retried job (same delivery id) never counts twice.
 */
import {
  alertLabelKeys,
  buildAegisAlertObject,
  fingerprintLabelValue,
  type AegisAlertTtlStrategy,
  type Alert,
} from '../../core/alerts/index.js';
import type { Logger } from '../../core/logger.js';
import type { AegisAlert, AlertStore } from '../../core/ports/index.js';
import {
  alertStatusOf,
  firstDeliveryAnnotation,
  initialStatusPatch,
  isFiring,
  kubeTime,
  laterTime,
  pickActive,
} from './alert-state.js';
import type { IngestMetrics } from './ingest-metrics.js';
import type { HeldLock, IngestState, RepeatResult } from './ingest-state.js';
import { updateStatus } from './write-status.js';

export interface AlertUpserterOptions {
  store: AlertStore;
  state: IngestState;
  /** Namespace the AegisAlerts live in (AEGIS_NAMESPACE). */
  namespace: string;
  /** Written as annotations on every created alert (e.g. `cluster`). */
  systemParameters: Readonly<Record<string, string>>;
  /** `spec.ttlStrategy` of created alerts. */
  ttl: AegisAlertTtlStrategy;
  now: () => Date;
  /** Upstream's `uuid` label of a created alert; omit to leave it out. */
  newId?: () => string;
  metrics: IngestMetrics;
  logger: Logger;
}

export type UpsertOutcome =
  | 'created'
  | 'counted'
  | 'duplicate'
  | 'resolved'
  | 'nothing-to-resolve'
  /** A Firing accepted before a Resolved already applied, whose alert is gone: nothing left to count on. */
  | 'superseded';

export interface AlertUpserter {
  /**
   * `sequence` is the delivery's place in accepted order (the intake mover's); with it, a Firing applied after
   * a Resolved that was accepted later counts on the alert that Resolved closed instead of starting a new one.
   */
  upsert(alert: Alert, deliveryId: string, sequence?: string): Promise<UpsertOutcome>;
}

export function createAlertUpserter(options: AlertUpserterOptions): AlertUpserter {
  const { store, state, namespace, metrics, logger } = options;

  const repeatOutcome = (result: RepeatResult, alert: Alert): UpsertOutcome => {
    if (result.outcome === 'counted') {
      metrics.repeatCounted(alert.source);
      return 'counted';
    }
    metrics.duplicateDelivery();
    return 'duplicate';
  };

  const podNode = async (alert: Alert): Promise<string | undefined> => {
    const { kind, name, namespace: podNamespace, node } = alert.involvedObject;
    if (kind !== 'Pod' || (node !== undefined && node !== '') || name === '') return undefined;
    try {
      return await store.getPodNode(podNamespace ?? 'default', name);
    } catch (error) {
      // Upstream aborted the alert here; an alert without its node is still worth having.
      logger.warn(
        { err: String(error), pod: name },
        'cannot look up the node of the pod; creating the alert without it',
      );
      return undefined;
    }
  };

  /**
   * Finish a created alert's status, then (one Redis round trip) its counter, the active cache and the lock.
   * Also the recovery path of a retried create.
   */
  const completeCreation = async (created: AegisAlert, deliveryId: string, lock: HeldLock): Promise<void> => {
    await updateStatus(store, created, (current) => initialStatusPatch(current, kubeTime(options.now())));
    await state.finishFindOrCreate(lock, created.metadata.name ?? '', { seedDelivery: deliveryId });
  };

  const create = async (alert: Alert, deliveryId: string, lock: HeldLock): Promise<UpsertOutcome> => {
    const node = await podNode(alert);
    const { object } = buildAegisAlertObject(alert, {
      namespace,
      systemParameters: options.systemParameters,
      ttl: options.ttl,
      now: kubeTime(options.now()),
      ...(node === undefined ? {} : { node }),
      ...(options.newId === undefined ? {} : { uuid: options.newId() }),
    });
    object.metadata.annotations[firstDeliveryAnnotation] = deliveryId;
    const created = await store.create(object);
    metrics.alertCreated(alert.source);
    logger.info(
      { alert: created.metadata.name, type: alert.type, fingerprint: lock.fingerprint },
      'created AegisAlert',
    );
    await completeCreation(created, deliveryId, lock);
    return 'created';
  };

  /** Under the fingerprint's lock: a fresh list, then complete our own create, count on the active, or create. */
  const findOrCreate = async (alert: Alert, deliveryId: string, lock: HeldLock): Promise<UpsertOutcome> => {
    const alerts = await store.listByFingerprint(namespace, lock.fingerprint);
    const own = alerts.find((item) => item.metadata.annotations?.[firstDeliveryAnnotation] === deliveryId);
    if (own !== undefined) {
      await completeCreation(own, deliveryId, lock);
      return 'created';
    }
    const active = pickActive(alerts);
    if (active === undefined) return await create(alert, deliveryId, lock);
    const name = active.metadata.name ?? '';
    // Its creator may have died before writing the initial status: complete it (merging, never resetting).
    const current = await updateStatus(store, active, (item) =>
      initialStatusPatch(item, kubeTime(options.now())),
    );
    const base = current?.status?.count ?? active.status?.count ?? 1;
    const result = await state.recordRepeat(deliveryId, name, options.now().getTime(), base);
    // The object's count already includes its creating delivery: a late retry of that job must not add it.
    const creator = active.metadata.annotations?.[firstDeliveryAnnotation];
    await state.finishFindOrCreate(lock, name, {
      ...(creator !== undefined && creator !== deliveryId ? { creator } : {}),
    });
    return repeatOutcome(result, alert);
  };

  /**
   * A Firing accepted before the newest Resolved already applied to its fingerprint (jobs ran out of order, or a
   * stalled job was retried after the Resolved): it is a repeat of the alert that Resolved closed. Starting a new
   * alert from it would fire — and remediate — a problem the sender already called resolved.
   */
  const countStale = async (alert: Alert, deliveryId: string, closedName: string): Promise<UpsertOutcome> => {
    const fingerprint = fingerprintLabelValue(alert.fingerprint);
    let target = closedName === '' ? undefined : await store.get(namespace, closedName);
    target ??= newestResolved(await store.listByFingerprint(namespace, fingerprint));
    if (target === undefined) {
      await state.markSeen(deliveryId);
      logger.info({ fingerprint, delivery: deliveryId }, 'firing delivery older than its resolution, alert gone');
      return 'superseded';
    }
    const name = target.metadata.name ?? '';
    const result = await state.recordRepeat(deliveryId, name, options.now().getTime(), target.status?.count ?? 1);
    logger.info({ alert: name, fingerprint }, 'counted a firing delivery accepted before its resolution');
    return repeatOutcome(result, alert);
  };

  const fire = async (alert: Alert, deliveryId: string, sequence: string): Promise<UpsertOutcome> => {
    const fingerprint = fingerprintLabelValue(alert.fingerprint);
    // One Redis round trip decides: a delivery already applied; the storm path (the active alert is cached:
    // count in Redis, no API call at all; waiters for the lock take it too as soon as the holder has created
    // or found the alert); or find-or-create under the lock.
    return await state.firing(deliveryId, fingerprint, {
      duplicate: () => {
        metrics.duplicateDelivery();
        return 'duplicate';
      },
      cached: async (name) => {
        const result = await state.recordRepeat(deliveryId, name, options.now().getTime());
        return result.outcome === 'needs-base' ? undefined : repeatOutcome(result, alert);
      },
      stale: async (closedName) => await countStale(alert, deliveryId, closedName),
      locked: async (lock) => await findOrCreate(alert, deliveryId, lock),
    }, sequence);
  };

  /** Final count (flushing what Redis holds), Resolved, resolvedAt, then the label. */
  const resolveOne = async (alert: AegisAlert): Promise<void> => {
    const name = alert.metadata.name ?? '';
    const total = await state.counter(name);
    const lastSeenMs = await state.lastSeen(name);
    const resolvedAt = kubeTime(options.now());
    const written = await updateStatus(store, alert, (current) => {
      const status = current.status ?? {};
      const lastSeen = laterTime(status.lastSeen, lastSeenMs);
      return {
        status: 'Resolved',
        resolvedAt: status.status === 'Resolved' ? (status.resolvedAt ?? resolvedAt) : resolvedAt,
        count: Math.max(status.count ?? 1, total ?? 0),
        ...(lastSeen === undefined ? {} : { lastSeen }),
        ...(status.startTime === undefined
          ? { startTime: current.metadata.creationTimestamp ?? resolvedAt }
          : {}),
      };
    });
    if (written === undefined) return;
    await store.patchLabels(namespace, name, { [alertLabelKeys.status]: 'Resolved' });
    // Repeats counted after `total` was read keep the entry dirty; the flusher adds them.
    await state.settle(name, total, true);
  };

  const resolve = async (alert: Alert, deliveryId: string, sequence: string): Promise<UpsertOutcome> => {
    const fingerprint = fingerprintLabelValue(alert.fingerprint);
    return await state.withFingerprintLock(fingerprint, async () => {
      if (await state.isSeen(deliveryId)) {
        metrics.duplicateDelivery();
        return 'duplicate';
      }
      await state.forgetActive(fingerprint);
      const alerts = await store.listByFingerprint(namespace, fingerprint);
      const firing = alerts.filter(isFiring);
      // Recorded before anything is resolved: if this attempt fails half-way, Firings accepted before this
      // Resolved still count on the alert it closes (not on a new one) while the job waits for its retry.
      if (sequence !== '') {
        const closed = firing.at(-1) ?? newestResolved(alerts);
        await state.recordResolved(fingerprint, sequence, closed?.metadata.name ?? '');
      }
      for (const item of firing) await resolveOne(item);
      // A previous attempt may have died between the status and the label write.
      for (const item of alerts) {
        if (firing.includes(item) || alertStatusOf(item) !== 'Resolved') continue;
        if (item.metadata.labels?.[alertLabelKeys.status] === 'Resolved') continue;
        await store.patchLabels(namespace, item.metadata.name ?? '', { [alertLabelKeys.status]: 'Resolved' });
      }
      await state.markSeen(deliveryId);
      if (firing.length === 0) {
        metrics.resolvedWithNothingActive(alert.source);
        return 'nothing-to-resolve';
      }
      for (const item of firing) {
        metrics.alertResolved(alert.source);
        logger.info({ alert: item.metadata.name, fingerprint }, 'resolved AegisAlert');
      }
      return 'resolved';
    });
  };

  return {
    async upsert(alert, deliveryId, sequence = '') {
      return alert.status === 'Resolved'
        ? await resolve(alert, deliveryId, sequence)
        : await fire(alert, deliveryId, sequence);
    },
  };
}

function newestResolved(alerts: readonly AegisAlert[]): AegisAlert | undefined {
  return alerts
    .filter((item) => alertStatusOf(item) === 'Resolved')
    .sort((a, b) => (b.status?.resolvedAt ?? '').localeCompare(a.status?.resolvedAt ?? ''))[0];
}
