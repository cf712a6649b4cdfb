import type { BodyKind } from './content-type.js';
import type { ReadAlerts } from './enqueue-alerts.js';
import type { WebhookBody } from './webhook-body.js';
import type { WebhookSource } from './webhook-metrics.js';

/** One webhook route: its path (without the prefix), its source, the bodies it takes, how it reads alerts. */
export interface WebhookRoute {
  readonly path: string;
  readonly source: WebhookSource;
  readonly bodyKinds: readonly BodyKind[];
  /** The alerts of a body, or a thrown WebhookRefusal (400 for a wrong shape, 422 when nothing readable). */
  read(body: WebhookBody): ReadAlerts | Promise<ReadAlerts>;
}
