/**
 * What this process knows about alert versions beyond its watch cache, so the ops path neither re-reads nor
 * re-reconciles what it has just written:
 *
 * - Read-your-writes: a `/status` write returns the alert as stored. Until the watch delivers that version, a
 *   run reads it from here instead of the (older) cache, so it neither decides on stale state nor loses its
 *   next write to a conflict. A watch event of the key for any version other than those our writes were based
 *   on means the cache has caught up (or moved past: someone else wrote); the entry is dropped.
 * - Settled versions: a run that ends with a decision that stands (nothing to do until an outside change: a
 *   Workflow event, a silence, a deadline it asked for with `again`) settles every version it read or wrote.
 *   Their own watch events then queue no run: it would find nothing to do. Events that arrive while a run of
 *   the key is going on here are held until it ends, then queue one run unless the run settled them. Any
 *   other event queues as usual; with several replicas the others still queue these versions (they did not
 *   decide on them), which is redundant but harmless.
 */
import type { AlertObject } from './alert-action-types.js';

interface Written {
  readonly object: AlertObject;
  /** Versions this write (and the writes before it in the same run) was based on. */
  readonly basedOn: ReadonlySet<string>;
}

export interface AlertVersions {
  /** The alert to decide on: our newest written version while the cache has not caught up with it. */
  current(key: string, cached: AlertObject | undefined): AlertObject | undefined;
  /** A run of `key` starts in this process: its events are held until `end`. */
  begin(key: string): void;
  /** A `/status` write based on `base` returned `written`. */
  wrote(key: string, base: AlertObject, written: AlertObject): void;
  /**
   * The run ends. `settled`: the versions it decided on, when its decision stands. Returns whether an event
   * held during the run still needs a run (the caller queues one).
   */
  end(key: string, settled: readonly string[] | undefined): boolean;
  /** A watch event of the key: whether it should queue a run now. */
  observe(key: string, object: AlertObject, type: 'add' | 'update' | 'delete' | 'resync'): boolean;
}

export function createAlertVersions(): AlertVersions {
  const written = new Map<string, Written>();
  const settled = new Map<string, ReadonlySet<string>>();
  /** Runs going on per key, and the versions of the events that arrived meanwhile. */
  const running = new Map<string, { runs: number; held: Set<string> }>();
  return {
    current(key, cached) {
      return written.get(key)?.object ?? cached;
    },
    begin(key) {
      const entry = running.get(key);
      if (entry === undefined) running.set(key, { runs: 1, held: new Set() });
      else entry.runs += 1;
    },
    wrote(key, base, object) {
      const baseVersion = base.metadata.resourceVersion;
      const previous = written.get(key);
      const basedOn = new Set(previous?.object === base ? previous.basedOn : []);
      if (baseVersion !== undefined) basedOn.add(baseVersion);
      written.set(key, { object, basedOn });
    },
    end(key, versions) {
      if (versions === undefined) settled.delete(key);
      else settled.set(key, new Set(versions));
      const entry = running.get(key);
      if (entry === undefined) return false;
      entry.runs -= 1;
      if (entry.runs > 0) return false;
      running.delete(key);
      const done = settled.get(key);
      return [...entry.held].some((version) => done?.has(version) !== true);
    },
    observe(key, object, type) {
      const version = object.metadata.resourceVersion ?? '';
      if (type === 'delete') {
        written.delete(key);
        settled.delete(key);
        return true;
      }
      const entry = written.get(key);
      if (entry !== undefined && !entry.basedOn.has(version)) written.delete(key);
      if (type === 'resync') return true;
      const run = running.get(key);
      if (run !== undefined) {
        run.held.add(version);
        return false;
      }
      return settled.get(key)?.has(version) !== true;
    },
  };
}
