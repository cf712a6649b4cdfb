import type { JsonSchemaProps } from '../types.js';
import { cloneJson, isJsonObject, objectFromEntries } from './json-value.js';
import { additionalPropertiesSchema, itemsSchema, propertyEntries, propertySchema } from './schema-node.js';

/**
 * Defaulting as kube-apiserver does it for v1 CRDs (apiextensions `defaulting/algorithm.go` and
 * `prunenulls.go`): a declared property that is missing, or null while not `nullable`, gets a copy of its
 * `default`; a null that is neither nullable nor defaulted is dropped. Defaults are applied top-down, so a
 * defaulted object receives the defaults of its own properties too. The resource root's `metadata` is left alone.
 */

export interface DefaultOptions {
  /** The value is a whole object: its `metadata` is not defaulted. */
  resourceRoot?: boolean;
}

/** Returns a new value with the defaults applied; the input is not modified. */
export function applyDefaults(
  value: unknown,
  schema: JsonSchemaProps,
  options: DefaultOptions = {},
): unknown {
  return defaultValue(value, schema, options.resourceRoot === true);
}

function isNonNullableNull(value: unknown, schema: JsonSchemaProps): boolean {
  return value === null && schema.nullable !== true;
}

function defaultValue(value: unknown, schema: JsonSchemaProps, resourceRoot: boolean): unknown {
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    if (items === undefined) return cloneJson(value);
    return value.map((item: unknown) => {
      const filled =
        isNonNullableNull(item, items) && items.default !== undefined ? cloneJson(items.default) : item;
      return defaultValue(filled, items, false);
    });
  }
  if (!isJsonObject(value)) return value;

  const entries: [string, unknown][] = [];
  for (const [key, child] of Object.entries(value)) {
    if (resourceRoot && key === 'metadata') {
      entries.push([key, cloneJson(child)]);
      continue;
    }
    const childSchema = propertySchema(schema, key) ?? additionalPropertiesSchema(schema);
    if (childSchema === undefined) {
      entries.push([key, cloneJson(child)]);
    } else if (isNonNullableNull(child, childSchema)) {
      // Defaulted below if there is a default; otherwise pruned, as kube does before defaulting.
      if (childSchema.default !== undefined)
        entries.push([key, defaultValue(cloneJson(childSchema.default), childSchema, false)]);
    } else {
      entries.push([key, defaultValue(child, childSchema, false)]);
    }
  }
  const present = new Set(entries.map(([key]) => key));
  for (const [key, property] of propertyEntries(schema)) {
    if (present.has(key) || property.default === undefined) continue;
    if (resourceRoot && key === 'metadata') continue;
    entries.push([key, defaultValue(cloneJson(property.default), property, false)]);
  }
  return objectFromEntries(entries);
}
