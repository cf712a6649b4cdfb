/** What the health-check controllers need from the rest of Aegis, as small interfaces. */
import type { Alert } from '../../core/alerts/index.js';
import type { RoundChanges } from '../../core/health-checks/index.js';
import type { KubeEventRecorder } from '../../kube/index.js';

/** The ingest queue webhooks feed (structurally the IngestQueue's `accept`). */
export interface HealthAlertIntake {
  accept(deliveries: { alert: Alert; deliveryId: string }[]): Promise<void>;
}

/** One finished cluster-check round, for the chat digest. */
export interface RoundDigest {
  readonly check: { readonly namespace: string; readonly name: string; readonly uid: string };
  readonly round: number;
  readonly startTime: string;
  readonly completionTime: string;
  readonly desired: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failingNodes: number;
  readonly changes: RoundChanges;
}

export interface HealthDigestSink {
  /** Post the digest of a round (only called when something changed). */
  post(digest: RoundDigest): Promise<void>;
}

export type EventRecorder = Pick<KubeEventRecorder, 'record'>;
