/**
 * The AegisDiagnosis reconciler. It never diagnoses in its own worker: a new diagnosis is marked `Pending`
 * and handed to the work queue (run-diagnosis-work.ts); a finished one is deleted when its TTL is up.
 */
import type { Logger } from '../../core/logger.js';
import { reconcileAgain, reconcileDone } from '../runtime/index.js';
import type { ObjectKey, ReconcileFunction } from '../runtime/index.js';
import type { DiagnosisStore } from './diagnosis-ports.js';
import { deleteAt } from './diagnosis-ttl.js';

export interface DiagnosisReconcilerDependencies {
  readonly store: DiagnosisStore;
  /** Hand a diagnosis to the work queue (de-duplicated by key). */
  readonly enqueueWork: (key: ObjectKey) => Promise<void>;
  readonly defaultTtlMs: number;
  readonly now: () => Date;
  readonly logger?: Logger;
}

export function createDiagnosisReconciler(dependencies: DiagnosisReconcilerDependencies): ReconcileFunction {
  const { store, now } = dependencies;
  return async (key) => {
    const diagnosis = await store.get(key.namespace, key.name);
    if (diagnosis === undefined || diagnosis.metadata.deletionTimestamp !== undefined) return reconcileDone;
    const phase = diagnosis.status?.phase;
    if (phase === 'Completed' || phase === 'Failed') {
      const at = deleteAt(diagnosis, dependencies.defaultTtlMs);
      if (at === undefined) return reconcileDone;
      const remaining = at - now().getTime();
      if (remaining > 0) return reconcileAgain(Math.min(remaining, 2_147_000_000));
      await store.delete(key.namespace, key.name);
      return reconcileDone;
    }
    if (phase === undefined || phase === 'Unknown') {
      await store.patchStatus(key.namespace, key.name, {
        phase: 'Pending',
        observedGeneration: diagnosis.metadata.generation,
      });
    }
    // Pending, or Diagnosing after a crash: the work queue (one run per key) picks it up.
    await dependencies.enqueueWork(key);
    return reconcileDone;
  };
}
