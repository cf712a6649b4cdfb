import { humanDuration, parseTimestamp } from './human-duration.js';
import type { JsonPath } from './json-path.js';
import type { TableCell } from './table-types.js';

/** How the JSONPath text printer shows a value in a `string` column. */
function printed(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * apiextensions' `cellForJSONValue`: the cell for a printer column's value. A value of the wrong type is
 * `null`; a `date` that does not parse is `<invalid>`, an empty one `<unknown>`.
 */
export function cellForJsonValue(type: string, value: unknown, now: Date): TableCell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return printed(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      const time = parseTimestamp(value);
      return time === undefined ? '<invalid>' : humanDuration(now.getTime() - time);
    }
    default:
      return null;
  }
}

/** The cell for one printer column on one object: its first JSONPath result, or `null` when there is none. */
export function jsonPathCell(path: JsonPath, type: string, object: unknown, now: Date): TableCell {
  const results = path.find(object);
  if (results.length === 0) return null;
  return cellForJsonValue(type, results[0], now);
}
