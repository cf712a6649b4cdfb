/**
 * Go's encoding/json matches JSON keys to struct fields case-insensitively (an exact match first, then a
 * simple Unicode case fold; when several keys match one field the last one wins). Only struct fields fold:
 * map keys such as `details` entries stay verbatim. This reproduces it for a known set of fields.
 */

/** The folded form of a key: ASCII case ignored, and the two non-ASCII letters Go folds onto ASCII ones. */
export function foldKey(key: string): string {
  // U+212A KELVIN SIGN lower-cases to `k`; U+017F LATIN SMALL LETTER LONG S folds to `s` in Go.
  return key.toLowerCase().replace(/\u017f/g, 's');
}

/**
 * The fields of `value` under their canonical names (`Type` → `type`); unknown keys are ignored, as Go does.
 * The result only ever holds the canonical names, so keys such as `__proto__` never reach it.
 */
export function pickFoldedFields<Field extends string>(
  value: Readonly<Record<string, unknown>>,
  fields: readonly Field[],
): Partial<Record<Field, unknown>> {
  const byFold = new Map<string, Field>(fields.map((field) => [foldKey(field), field]));
  const picked: Partial<Record<Field, unknown>> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = byFold.get(foldKey(key));
    if (field !== undefined) picked[field] = item;
  }
  return picked;
}

/** True when `value` has a key that folds to `field`. */
export function hasFoldedKey(value: Readonly<Record<string, unknown>>, field: string): boolean {
  const folded = foldKey(field);
  return Object.keys(value).some((key) => foldKey(key) === folded);
}
