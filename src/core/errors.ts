/**
 * The one error type Aegis raises on purpose. `code` is stable (logs, metrics, tests match on it),
 * `retryable` tells queues whether another attempt can help, and `userMessage` is safe to show in chat.
 * Anything that is not an AegisError is reported to users as "internal error, see logs (ref …)".
 */
export class AegisError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly userMessage: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; userMessage?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AegisError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.userMessage = options.userMessage;
  }
}

export function isAegisError(error: unknown): error is AegisError {
  return error instanceof AegisError;
}

/** A short message for a person, never leaking internals of unexpected errors. */
export function describeForUser(error: unknown, reference: string): string {
  if (isAegisError(error)) return error.userMessage ?? error.message;
  return `internal error, see logs (ref ${reference})`;
}
