import type { RefusalReason } from './webhook-metrics.js';

/** One refused alert of a body: where in the body, and why (plain words). */
export interface RefusedAlert {
  index: number;
  path: string;
  reason: string;
}

/** The JSON body of every error answer: a sentence, and for refused alerts the field paths and reasons. */
export interface ErrorBody {
  error: string;
  details?: RefusedAlert[];
}

/**
 * A request the webhook routes refuse with a 4xx (or 503). Thrown inside the routes and turned into the
 * answer by the routes' error handler, which also counts it in the metrics.
 */
export class WebhookRefusal extends Error {
  readonly statusCode: number;
  readonly reason: RefusalReason;
  readonly details: RefusedAlert[] | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** How many alerts the refusal counts for in the metrics (1 when the alerts cannot be counted). */
  readonly alertCount: number;

  constructor(
    statusCode: number,
    reason: RefusalReason,
    message: string,
    options: { details?: RefusedAlert[]; headers?: Record<string, string>; alertCount?: number } = {},
  ) {
    super(message);
    this.name = 'WebhookRefusal';
    this.statusCode = statusCode;
    this.reason = reason;
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.alertCount = options.alertCount ?? 1;
  }

  get body(): ErrorBody {
    return this.details === undefined
      ? { error: this.message }
      : { error: this.message, details: this.details };
  }
}

export function isWebhookRefusal(error: unknown): error is WebhookRefusal {
  return error instanceof WebhookRefusal;
}

/** `1048576` → `1 MiB`, `2000` → `2000 bytes`. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
  if (bytes >= 1_024 && bytes % 1_024 === 0) return `${bytes / 1_024} KiB`;
  return `${bytes} bytes`;
}
