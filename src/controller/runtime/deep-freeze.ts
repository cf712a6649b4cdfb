import type { DeepReadonly } from '../../core/deep-readonly.js';

export type { DeepReadonly };

/** Freeze `value` and everything it reaches, in place, so a cached object cannot be changed by a reader. */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value as DeepReadonly<T>;
}

/** A mutable deep copy of a cached object: what a reconcile edits before writing it back. */
export function mutableCopy<T>(value: DeepReadonly<T>): T {
  return structuredClone(value) as T;
}
