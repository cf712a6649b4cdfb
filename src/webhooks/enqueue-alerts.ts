import type { Alert } from '../core/alerts/index.js';
import { deliveryId } from '../core/alerts/index.js';
import { isAegisError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { applyAlertBounds, defaultAlertBounds, type AlertBounds } from './alert-bounds.js';
import type { AlertIntake } from '../core/ports/index.js';
import type { WebhookMetrics, WebhookSource } from './webhook-metrics.js';
import type { RefusedAlert } from './webhook-refusal.js';
import { WebhookRefusal } from './webhook-refusal.js';

/** Alerts read from one body: those that passed validation (by index in the body) and those that did not. */
export interface ReadAlerts {
  accepted: { index: number; alert: Alert }[];
  refused: RefusedAlert[];
}

export interface AcceptedAlert {
  index: number;
  fingerprint: string;
  type: string;
  status: string;
  deliveryId: string;
}

/** The 202 body. */
export interface AcceptedBody {
  accepted: AcceptedAlert[];
  refused: RefusedAlert[];
}

export interface EnqueueContext {
  source: WebhookSource;
  intake: AlertIntake;
  metrics: WebhookMetrics;
  logger: Logger;
  /** Unique per request: the delivery id of an alert without a start time (see `deliveryId`). */
  nonce: string;
  /** Bound on `intake.accept`; past it the answer is 503 (a late job is harmless: its id is deterministic). */
  acceptTimeoutMs: number;
  retryAfterSeconds: number;
  /** Milliseconds since the request arrived, for the accept latency histogram. */
  elapsedMs: () => number;
  /** Bounds on each alert (default {@link defaultAlertBounds}). */
  bounds?: AlertBounds;
}

const queueUnavailable = 'QUEUE_UNAVAILABLE';

/**
 * Queue the accepted alerts and resolve with the 202 body once the queue holds them all. Throws a
 * WebhookRefusal: 400 when the body holds no alert at all, 422 when every alert was refused, 503 (with
 * Retry-After) when the queue cannot take them. Counts received/accepted/refused alerts.
 */
export async function enqueueAlerts(body: ReadAlerts, context: EnqueueContext): Promise<AcceptedBody> {
  const { source, metrics } = context;
  const read = applyAlertBounds(body, context.bounds ?? defaultAlertBounds);
  if (read.accepted.length === 0 && read.refused.length === 0) {
    throw new WebhookRefusal(400, 'unparseable', 'the body holds no alerts');
  }
  metrics.received(source, read.refused.length);
  metrics.refused(source, 'validation', read.refused.length);
  if (read.accepted.length === 0) {
    throw new WebhookRefusal(
      422,
      'validation',
      read.refused.length === 1 ? 'the alert was refused' : `all ${read.refused.length} alerts were refused`,
      { details: read.refused, alertCount: 0 },
    );
  }
  const deliveries = read.accepted.map(({ alert }) => ({
    alert,
    deliveryId: deliveryId(alert, context.nonce),
  }));
  try {
    await withTimeout(context.intake.accept(deliveries), context.acceptTimeoutMs);
  } catch (error) {
    if (!isQueueProblem(error)) throw error;
    context.logger.warn(
      { err: error, source, alerts: deliveries.length },
      'the ingest queue cannot take alerts; answering 503',
    );
    throw new WebhookRefusal(
      503,
      'queue_unavailable',
      'the alert queue is unavailable; nothing was accepted, try again later',
      { headers: { 'Retry-After': String(context.retryAfterSeconds) }, alertCount: deliveries.length },
    );
  }
  metrics.received(source, deliveries.length);
  metrics.accepted(source, deliveries.length);
  metrics.acceptSeconds(source, context.elapsedMs() / 1000);
  return {
    accepted: read.accepted.map(({ index, alert }, position) => ({
      index,
      fingerprint: alert.fingerprint,
      type: alert.type,
      status: alert.status,
      deliveryId: deliveries[position]?.deliveryId ?? '',
    })),
    refused: read.refused,
  };
}

class AcceptTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`the queue did not confirm within ${timeoutMs} ms`);
    this.name = 'AcceptTimeout';
  }
}

function isQueueProblem(error: unknown): boolean {
  if (error instanceof AcceptTimeout) return true;
  return isAegisError(error) && (error.code === queueUnavailable || error.retryable);
}

async function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new AcceptTimeout(timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // A late rejection of `work` after the timeout must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}
