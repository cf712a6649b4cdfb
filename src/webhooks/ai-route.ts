import type { Alert } from '../core/alerts/index.js';
import { alertSources } from '../core/alerts/index.js';
import { isAegisError } from '../core/errors.js';
import type { AlertParser } from '../core/ports/index.js';
import type { ReadAlerts } from './enqueue-alerts.js';
import { parseAlertmanagerPayload, parseCustomPayload, recogniseKnownFormat } from './formats/index.js';
import { refuseWrongShape } from './shape-refusal.js';
import { tryParseJson } from './webhook-body.js';
import { WebhookRefusal } from './webhook-refusal.js';
import type { WebhookRoute } from './webhook-route.js';

export const noParserMessage = 'no parser recognised this payload and no LLM is configured';

function asAiAlert(alert: Alert): Alert {
  return { ...alert, source: alertSources.ai };
}

function asAiAlerts(read: ReadAlerts): ReadAlerts {
  return {
    accepted: read.accepted.map(({ index, alert }) => ({ index, alert: asAiAlert(alert) })),
    refused: read.refused,
  };
}

/**
 * `POST /ai/alert`: any JSON or text. A body in the Alertmanager or the custom shape (whatever its
 * Content-Type) goes to that format's parser; anything else, or a look-alike none of whose alerts that parser
 * accepts, to the AlertParser (recognisers for other formats, then the LLM) when one is configured, else 422. Every alert of this route has source `AI`, as upstream.
 */
export function aiRoute(parser: AlertParser | undefined, retryAfterSeconds: number): WebhookRoute {
  return {
    path: '/ai/alert',
    source: 'ai',
    bodyKinds: ['json', 'text'],
    read: async (body) => {
      const json = tryParseJson(body);
      const format = json === undefined ? undefined : recogniseKnownFormat(json);
      if (format !== undefined) {
        const converted =
          format === 'alertmanager'
            ? parseAlertmanagerPayload(json)
            : parseCustomPayload(json, { source: alertSources.ai });
        // A body that only looks like a known format (a Grafana webhook has `alerts[].labels`, a Kubernetes
        // Event has `type` and `involvedObject`) goes on to the parser when the built-in one accepts nothing.
        if (converted.accepted.length > 0 || parser === undefined) {
          return format === 'alertmanager'
            ? asAiAlerts(refuseWrongShape(converted, ['', 'alerts']))
            : refuseWrongShape(converted, ['']);
        }
      }
      if (parser === undefined) throw new WebhookRefusal(422, 'unparseable', noParserMessage);
      const raw = body.raw.toString('utf8');
      if (raw.trim() === '') throw new WebhookRefusal(400, 'unparseable', 'the body is empty');
      let alerts: Alert[];
      try {
        alerts = await parser.parse(raw, body.contentType);
      } catch (error) {
        if (!isAegisError(error)) throw error;
        if (error.retryable) {
          throw new WebhookRefusal(503, 'unparseable', 'the alert parser is unavailable; try again later', {
            headers: { 'Retry-After': String(retryAfterSeconds) },
          });
        }
        const reason = error.userMessage ?? error.message;
        throw new WebhookRefusal(
          422,
          'unparseable',
          reason === noParserMessage ? reason : `the parser could not read this payload: ${reason}`,
        );
      }
      if (alerts.length === 0)
        throw new WebhookRefusal(422, 'unparseable', 'the parser found no alert in this payload');
      return { accepted: alerts.map((alert, index) => ({ index, alert: asAiAlert(alert) })), refused: [] };
    },
  };
}
