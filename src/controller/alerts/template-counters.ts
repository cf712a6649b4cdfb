/**
 * Writes of a template's outcome counters (`status.executeStatus`), coalesced per template. Every Workflow of a
 * template ends in a write to that one object, guarded by its resourceVersion; at a few hundred alerts a second
 * of one template, writing once per outcome makes the writers conflict with each other and retry (each retry a
 * read and a write). Here one write per template is in flight in this process at a time: outcomes that arrive
 * meanwhile are merged (the counters are absolute values from the outcome ledger, so the largest wins) and
 * written together by the next write. A caller's promise resolves once a write that covers its counts landed,
 * so the alert's own outcome write still comes after the template's (see outcome-ledger.ts).
 */
import type { Logger } from '../../core/logger.js';
import {
  alertReconcilerErrorCodes,
  hasCode,
  type ObjectReferenceView,
  type TemplateStatusStore,
} from '../../core/ports/index.js';
import type { TemplateCounts } from './outcome-ledger.js';

export interface TemplateCounterWriter {
  /** Raise the template's counters to at least `counts` (never lowers them); resolves once written. */
  write(reference: ObjectReferenceView, counts: TemplateCounts, logger: Logger): Promise<void>;
}

interface TemplateState {
  wanted: TemplateCounts;
  running?: Promise<void> | undefined;
  /** The next write, not started yet: later callers join it. */
  queued?: Promise<void> | undefined;
}

const writeAttempts = 5;

export function createTemplateCounterWriter(store: TemplateStatusStore): TemplateCounterWriter {
  const states = new Map<string, TemplateState>();

  const flush = async (
    reference: ObjectReferenceView,
    state: TemplateState,
    logger: Logger,
  ): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const wanted = state.wanted;
      // Read through the API: our previous write may not be in the cache yet, and its resourceVersion guards us.
      const template = await store.get(reference.namespace, reference.name);
      if (template === undefined) {
        logger.info(
          { template: `${reference.namespace}/${reference.name}` },
          'template gone; outcome not counted',
        );
        return;
      }
      const current = template.status?.executeStatus ?? {};
      const next = {
        succeeded: Math.max(current.succeeded ?? 0, wanted.succeeded),
        failed: Math.max(current.failed ?? 0, wanted.failed),
      };
      if (next.succeeded === current.succeeded && next.failed === current.failed) return;
      try {
        await store.patchStatus(
          reference.namespace,
          reference.name,
          { executeStatus: next },
          (template.metadata as { resourceVersion?: string } | undefined)?.resourceVersion,
        );
        return;
      } catch (error) {
        if (hasCode(error, alertReconcilerErrorCodes.notFound)) return;
        if (!hasCode(error, alertReconcilerErrorCodes.conflict) || attempt >= writeAttempts) throw error;
      }
    }
  };

  return {
    write(reference, counts, logger) {
      const key = `${reference.namespace}/${reference.name}`;
      let state = states.get(key);
      if (state === undefined) {
        state = { wanted: counts };
        states.set(key, state);
      } else {
        state.wanted = {
          succeeded: Math.max(state.wanted.succeeded, counts.succeeded),
          failed: Math.max(state.wanted.failed, counts.failed),
        };
      }
      if (state.queued !== undefined) return state.queued;
      const own = state;
      const start = async (): Promise<void> => {
        await own.running?.catch(() => undefined);
        own.queued = undefined;
        const running = flush(reference, own, logger);
        own.running = running;
        try {
          await running;
        } finally {
          if (own.running === running) own.running = undefined;
          if (own.running === undefined && own.queued === undefined && states.get(key) === own)
            states.delete(key);
        }
      };
      own.queued = start();
      return own.queued;
    },
  };
}
