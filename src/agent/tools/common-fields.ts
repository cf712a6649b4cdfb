/** Schema fields several tools share, each with the description the model reads. */
import { z } from 'zod';

export const defaultListLimit = 20;
export const maxListLimit = 100;

export const limitField = z
  .number()
  .int()
  .min(1)
  .max(maxListLimit)
  .optional()
  .describe(`At most this many items (default ${defaultListLimit}, at most ${maxListLimit}).`);

export const labelSelectorField = z
  .string()
  .max(500)
  .optional()
  .describe('A Kubernetes label selector, e.g. "app=trainer,team in (ml)". Leave out for all.');

/** A bounded list with how much was left out, so the model knows when it sees only part. */
export function boundedList<T, R>(
  items: readonly T[],
  limit: number | undefined,
  view: (item: T) => R,
): { total: number; shown: number; items: R[] } {
  const shown = items.slice(0, limit ?? defaultListLimit).map(view);
  return { total: items.length, shown: shown.length, items: shown };
}
