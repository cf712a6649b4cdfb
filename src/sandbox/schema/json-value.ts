/** Small helpers for values decoded from JSON: plain objects, arrays and scalars only. */

export type JsonObject = Record<string, unknown>;

/** The JSON type names kube-openapi prints in validation messages. */
export type JsonTypeName = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The own property `key` of `record`, never one inherited from Object.prototype (`constructor`, `__proto__`). */
export function ownValue<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Builds an object from entries with `Object.fromEntries`, which defines own data properties, so a key such as
 * `__proto__` stays an ordinary field instead of changing the prototype.
 */
export function objectFromEntries(entries: Iterable<readonly [string, unknown]>): JsonObject {
  return Object.fromEntries<unknown>(entries);
}

/** A deep copy of a JSON value; the input is never shared with the result. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    return objectFromEntries(Object.entries(value).map(([key, child]) => [key, cloneJson(child)])) as T;
  }
  return value;
}

/** The type name of a JSON value as the apiserver reports it: whole numbers are `integer`. */
export function jsonTypeOf(value: unknown): JsonTypeName {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** Deep equality of two JSON values (used for `enum`). */
export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, i) => jsonEqual(item, right[i]))
    );
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]))
    );
  }
  return false;
}
