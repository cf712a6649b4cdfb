import { parseCustomPayload } from './formats/index.js';
import { refuseWrongShape } from './shape-refusal.js';
import { parseJsonBody } from './webhook-body.js';
import type { WebhookRoute } from './webhook-route.js';

/**
 * `POST /default/alert` (and its alias `/alert`): the custom JSON format, one alert or an array. An alert that
 * fails validation is refused (upstream went on and created it anyway).
 */
export function customRoute(): WebhookRoute {
  return {
    path: '/default/alert',
    source: 'default',
    bodyKinds: ['json'],
    read: (body) => refuseWrongShape(parseCustomPayload(parseJsonBody(body)), ['']),
  };
}
