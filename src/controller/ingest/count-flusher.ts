/**
 * Brings `status.count` and `status.lastSeen` of alerts up to what Redis counted, a few times a second, so a
 * storm of repeats costs one status write per alert per interval instead of one per delivery. Runs in every
 * worker process: each write is `max(current, counted)` guarded by the resourceVersion it was computed from,
 * and a dirty entry is dropped only if nothing was counted since it was read, so concurrent flushers can
 * neither lose a count nor move it backwards.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import { isConflict, type AlertStore } from '../../core/ports/index.js';
import { laterTime } from './alert-state.js';
import type { IngestMetrics } from './ingest-metrics.js';
import type { DirtyEntry, IngestState } from './ingest-state.js';

export interface CountFlusherOptions {
  state: IngestState;
  store: AlertStore;
  namespace: string;
  /** Pause between flushes (default 250 ms). */
  intervalMs?: number;
  /**
   * At most one status write per alert per this long (default 1000 ms), across processes, so a long storm
   * costs about one write a second however fast the deliveries come.
   */
  minAlertGapMs?: number;
  /** Alerts flushed per round (default 200) and in parallel (default 8). */
  batchSize?: number;
  parallel?: number;
  metrics: IngestMetrics;
  logger: Logger;
}

export interface CountFlusher {
  /**
   * Flush every dirty alert once; resolves to the number of status writes made. `force` ignores the per-alert
   * gap (shutdown, tests).
   */
  flushOnce(options?: { force?: boolean }): Promise<number>;
  /** Stop the periodic loop (waits for a flush in progress). */
  stop(): Promise<void>;
}

export function startCountFlusher(options: CountFlusherOptions): CountFlusher {
  const { state, store, namespace, metrics, logger } = options;
  const intervalMs = options.intervalMs ?? 250;
  const batchSize = options.batchSize ?? 200;
  const parallel = options.parallel ?? 8;
  const minAlertGapMs = options.minAlertGapMs ?? 1_000;

  /** True when a status write was made. */
  const flushOne = async (entry: DirtyEntry, force: boolean): Promise<boolean> => {
    if (!force && minAlertGapMs > 0 && !(await state.claimFlush(entry.name, minAlertGapMs))) return false;
    const total = await state.counter(entry.name);
    if (total === undefined) {
      await state.settle(entry.name, undefined);
      return false;
    }
    const current = await store.get(namespace, entry.name);
    if (current === undefined) {
      await state.settle(entry.name, total, true);
      return false;
    }
    const status = current.status ?? {};
    const count = Math.max(status.count ?? 0, total);
    const lastSeen = laterTime(status.lastSeen, entry.lastSeenMs);
    let wrote = false;
    if (count !== status.count || lastSeen !== status.lastSeen) {
      const resourceVersion = current.metadata.resourceVersion;
      try {
        await store.patchStatus(
          namespace,
          entry.name,
          { count, ...(lastSeen === undefined ? {} : { lastSeen }) },
          resourceVersion === undefined ? {} : { resourceVersion },
        );
      } catch (error) {
        if (isConflict(error)) return false; // someone wrote meanwhile: the entry stays dirty, next round
        throw error;
      }
      metrics.flushWrite();
      wrote = true;
    }
    await state.settle(entry.name, total);
    return wrote;
  };

  const flushOnce = async (flushOptions: { force?: boolean } = {}): Promise<number> => {
    const force = flushOptions.force ?? false;
    const entries = await state.dirty(batchSize);
    let writes = 0;
    for (let index = 0; index < entries.length; index += parallel) {
      const results = await Promise.allSettled(
        entries.slice(index, index + parallel).map((entry) => flushOne(entry, force)),
      );
      for (const [offset, result] of results.entries()) {
        if (result.status === 'fulfilled') writes += result.value ? 1 : 0;
        else
          logger.warn(
            { err: String(result.reason), alert: entries[index + offset]?.name },
            'count flush failed',
          );
      }
    }
    return writes;
  };

  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        await flushOnce();
      } catch (error) {
        logger.warn({ err: String(error) }, 'count flush round failed');
      }
      try {
        await sleep(intervalMs, undefined, { signal: abort.signal });
      } catch {
        // aborted: stop() was called
      }
    }
  })();

  return {
    flushOnce,
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
