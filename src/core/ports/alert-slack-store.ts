import type { AegisAlert, AlertSlackMessage } from '../resources/aegis-alert.js';

/** What the notifier needs from Kubernetes (implemented in src/kube by `createAlertSlackStore`). */
export interface AlertSlackStore {
  /** The alert as the API server has it now, or undefined when it is gone. */
  get(namespace: string, name: string): Promise<AegisAlert | undefined>;
  /** Write `status.slack` through the status subresource (a merge patch of that field only). */
  setSlackMessage(namespace: string, name: string, message: AlertSlackMessage): Promise<void>;
  /** The alert's Argo Workflow as the API server sends it (JSON), or undefined when it is gone. */
  workflow?(namespace: string, name: string): Promise<unknown>;
  /** The last `lines` lines of a step pod's main container log, or undefined when it cannot be read. */
  podLogTail?(namespace: string, pod: string, lines: number): Promise<string | undefined>;
}
