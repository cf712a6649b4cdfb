/**
 * What the approval service needs from the outside, declared here by its consumer: the AegisAlert store (the
 * ingest port; `src/kube/aegis-alert-store.ts` implements it) and an Event recorder
 * (`createEventRecorder` in src/kube).
 */
import type { AlertStore } from '../ingest/index.js';

export type ApprovalAlertStore = Pick<AlertStore, 'get' | 'patchStatus' | 'create'>;

/** The object an Event is about (an ObjectReference). */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
}

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. ApprovalGranted. */
  reason: string;
  message: string;
}

/**
 * Records a core/v1 Event on an object (what `kubectl describe` shows); `createEventRecorder` from src/kube
 * satisfies it.
 */
export interface ApprovalEventRecorder {
  record(subject: EventSubject, event: RecordedEvent): Promise<void>;
}
