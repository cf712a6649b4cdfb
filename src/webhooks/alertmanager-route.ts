import { parseAlertmanagerPayload } from './formats/index.js';
import { refuseWrongShape } from './shape-refusal.js';
import { parseJsonBody } from './webhook-body.js';
import type { WebhookRoute } from './webhook-route.js';

/** `POST /alertmanager/alert`: the Alertmanager webhook payload (version 4); bad alerts are refused one by one. */
export function alertmanagerRoute(): WebhookRoute {
  return {
    path: '/alertmanager/alert',
    source: 'alertmanager',
    bodyKinds: ['json'],
    read: (body) => refuseWrongShape(parseAlertmanagerPayload(parseJsonBody(body)), ['', 'alerts']),
  };
}
