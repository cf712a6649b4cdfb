import type { Logger } from '../../core/logger.js';
import type { ObjectKey } from './object-key.js';

/**
 * What a reconcile asks for next. `done`: nothing until the next event or resync. `again`: run this key
 * again after at least `afterMs` (e.g. polling an external system, or a deadline in the status).
 * Errors are thrown instead: an `AegisError` with `retryable: false` is terminal, anything else is retried
 * with capped exponential backoff.
 */
export type ReconcileResult =
  { readonly type: 'done' } | { readonly type: 'again'; readonly afterMs: number };

export const reconcileDone: ReconcileResult = { type: 'done' };

export function reconcileAgain(afterMs: number): ReconcileResult {
  return { type: 'again', afterMs };
}

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now (default 0). */
  readonly delayMs?: number;
}

export interface ReconcileContext {
  /** The controller's name (the queue name). */
  readonly controller: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** Aborted when this run lost its per-key lock (another replica may now run the key) or on forced shutdown. */
  readonly signal: AbortSignal;
  /** Bound to the controller and key. */
  readonly logger: Logger;
  /** Enqueue another key of the same controller (e.g. a parent). */
  enqueue(key: ObjectKey, options?: EnqueueOptions): Promise<void>;
}

export type ReconcileFunction = (key: ObjectKey, context: ReconcileContext) => Promise<ReconcileResult>;
