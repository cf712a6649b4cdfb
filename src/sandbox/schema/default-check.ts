import type { FieldCause, JsonSchemaProps } from '../types.js';
import { invalidCause } from './field-causes.js';
import { schemaPropertyPath } from './field-path.js';
import { isJsonObject } from './json-value.js';
import { pruneUnknownFields } from './prune-unknown.js';
import { itemsSchema, propertyEntries } from './schema-node.js';
import { validateValue } from './validate-value.js';

/**
 * apiextensions `structuraldefaulting.ValidateDefaults`: every `default` must already be pruned and must
 * validate against its own node. Errors sit at `<node>.default`; their messages name the path inside the
 * default (`in body must be of type integer: "string"`). Defaults under the root `metadata` are not checked.
 */

export function defaultCauses(schema: JsonSchemaProps, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  visit(schema, path, causes, true);
  return causes;
}

function visit(schema: JsonSchemaProps, path: string, causes: FieldCause[], root: boolean): void {
  if (schema.default !== undefined && !root) {
    const at = `${path}.default`;
    if (pruneUnknownFields(schema.default, schema).prunedPaths.length > 0) {
      causes.push(invalidCause(at, schema.default, 'must not have unknown fields'));
    }
    causes.push(...validateValue(schema.default, schema, { fieldPrefix: at }));
  }
  for (const [key, property] of propertyEntries(schema)) {
    if (root && key === 'metadata') continue;
    visit(property, schemaPropertyPath(path, key), causes, false);
  }
  if (isJsonObject(schema.additionalProperties)) {
    visit(schema.additionalProperties, `${path}.additionalProperties`, causes, false);
  }
  const items = itemsSchema(schema);
  if (items !== undefined) visit(items, `${path}.items`, causes, false);
}
