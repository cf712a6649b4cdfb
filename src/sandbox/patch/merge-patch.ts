import { cloneJson, getOwn, isPlainObject, setOwn, type JsonObject } from './json-value.js';

/**
 * RFC 7386 JSON merge patch. An object patch merges key by key and `null` removes a key; any other
 * patch value (array, string, number, boolean, null) replaces the target. The result is a fresh value
 * that shares nothing with either input.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return cloneJson(patch);
  const result: JsonObject = isPlainObject(target) ? (cloneJson(target) as JsonObject) : {};
  mergeInto(result, patch);
  return result;
}

function mergeInto(result: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const current = getOwn(result, key);
      const child: JsonObject = isPlainObject(current) ? current : {};
      mergeInto(child, value);
      setOwn(result, key, child);
    } else {
      setOwn(result, key, cloneJson(value));
    }
  }
}
