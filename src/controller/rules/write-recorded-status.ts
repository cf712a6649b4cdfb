/**
 * The write half of the Recorded/Invalid reconcilers: patch the planned status through /status (merge patch,
 * guarded by the resourceVersion that was read) when it changed, then record the transition's event.
 */
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EventRecorder } from '../../core/ports/index.js';
import type { RecordedStatusPlan } from './recorded-status.js';

export type { EventRecorder };

/** Where the status goes; `createCustomObjectClient` from src/kube is one. */
export interface StatusWriter {
  patchStatus(
    namespace: string,
    name: string,
    status: Readonly<Record<string, unknown>>,
    preconditions?: { readonly resourceVersion?: string | undefined },
  ): Promise<unknown>;
}

export interface RecordedObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string | undefined;
  readonly resourceVersion?: string | undefined;
}

/** True when it wrote; false when the object is gone (nothing more to do). */
export async function writeRecordedStatus(
  object: RecordedObjectIdentity,
  plan: RecordedStatusPlan,
  dependencies: {
    readonly status: StatusWriter;
    readonly events?: EventRecorder | undefined;
    readonly logger: Logger;
  },
): Promise<boolean> {
  if (!plan.changed) return false;
  try {
    await dependencies.status.patchStatus(
      object.namespace,
      object.name,
      { ...plan.fields },
      {
        resourceVersion: object.resourceVersion,
      },
    );
  } catch (error) {
    // Deleted meanwhile: the delete event ends it. A conflict (409) is retryable and retried by the runtime.
    if (error instanceof AegisError && error.code === 'KUBE_NOT_FOUND') return false;
    throw error;
  }
  dependencies.logger.info(
    { status: plan.fields.status, observedGeneration: plan.fields.observedGeneration },
    `${object.kind} ${plan.fields.status}`,
  );
  if (plan.event !== undefined && dependencies.events !== undefined) {
    try {
      await dependencies.events.record(
        {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.name,
          namespace: object.namespace,
          ...(object.uid === undefined ? {} : { uid: object.uid }),
          ...(object.resourceVersion === undefined ? {} : { resourceVersion: object.resourceVersion }),
        },
        { ...plan.event },
      );
    } catch (error) {
      dependencies.logger.warn(
        { err: error, reason: plan.event.reason },
        'could not record a Kubernetes event',
      );
    }
  }
  return true;
}
