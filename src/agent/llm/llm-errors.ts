import { APIConnectionTimeoutError, APIError } from 'openai';
import { AegisError, isAegisError } from '../../core/errors.js';

/** True when an error (from the openai SDK or LangChain's wrapper of it) is a timeout. */
export function isTimeoutError(error: unknown): boolean {
  if (error instanceof APIConnectionTimeoutError) return true;
  if (!(error instanceof Error)) return false;
  return /timed? ?out|timeout/i.test(`${error.name} ${error.message}`);
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof APIError) {
    const status: unknown = error.status;
    return typeof status === 'number' ? status : undefined;
  }
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    return error.status;
  }
  return undefined;
}

/**
 * The AegisError for a failed model call (after the client's retries): `LLM_TIMEOUT` and `LLM_UNAVAILABLE`
 * (429, 5xx, connection) are retryable; `LLM_REQUEST_REJECTED` (other 4xx: bad model name, bad key, unsupported
 * parameter) is not. AegisErrors pass through unchanged.
 */
export function toLlmError(error: unknown, timeoutMs: number): AegisError {
  if (isAegisError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (isTimeoutError(error)) {
    return new AegisError('LLM_TIMEOUT', `the LLM did not answer within ${timeoutMs} ms: ${reason}`, {
      retryable: true,
      cause: error,
      userMessage: `The language model did not answer within ${Math.round(timeoutMs / 1000)} s. Try again in a moment.`,
    });
  }
  const status = statusOf(error);
  if (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 408 &&
    status !== 409 &&
    status !== 429
  ) {
    return new AegisError(
      'LLM_REQUEST_REJECTED',
      `the LLM endpoint refused the request (HTTP ${status}): ${reason}`,
      {
        cause: error,
        userMessage: `The language model endpoint refused the request (HTTP ${status}); an operator should check the LLM settings.`,
      },
    );
  }
  return new AegisError(
    'LLM_UNAVAILABLE',
    `the LLM endpoint failed${status === undefined ? '' : ` (HTTP ${status})`}: ${reason}`,
    {
      retryable: true,
      cause: error,
      userMessage: 'The language model is unavailable right now. Try again in a moment.',
    },
  );
}

/** The HTTP status of a rejected request, when the error carries one (for json_schema fallbacks). */
export function rejectedStatus(error: unknown): number | undefined {
  const cause = isAegisError(error) ? error.cause : error;
  return statusOf(cause);
}
