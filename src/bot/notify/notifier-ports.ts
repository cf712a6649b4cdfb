import type { AegisAlert, AlertSlackMessage } from '../../core/resources/aegis-alert.js';

/** What the notifier needs from Kubernetes (implemented in src/kube by `createAlertSlackStore`). */
export interface AlertSlackStore {
  /** The alert as the API server has it now, or undefined when it is gone. */
  get(namespace: string, name: string): Promise<AegisAlert | undefined>;
  /** Write `status.slack` through the status subresource (a merge patch of that field only). */
  setSlackMessage(namespace: string, name: string, message: AlertSlackMessage): Promise<void>;
}
