import type { Alert } from '../alerts/index.js';

/**
 * Reads alerts out of a payload no built-in format recognises (the LLM parser implements it). Rejects with an
 * AegisError: non-retryable when the payload holds no alert it can read (the route answers 422 with the
 * error's user message), retryable when the parser itself is unavailable (the route answers 503).
 */
export interface AlertParser {
  parse(raw: string, contentType: string): Promise<Alert[]>;
}
