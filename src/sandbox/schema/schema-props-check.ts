import type { FieldCause, JsonSchemaProps } from '../types.js';
import { forbiddenCause, invalidCause, notSupportedCause, requiredCause } from './field-causes.js';
import { schemaPropertyPath } from './field-path.js';
import { isJsonObject } from './json-value.js';
import { itemsSchema, propertyEntries } from './schema-node.js';

/**
 * The per-node checks of apiextensions `ValidateCustomResourceDefinitionOpenAPISchema` that apply to the
 * sandbox's subset: known `type` values, `properties` xor `additionalProperties`, and the vendor extensions.
 */

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const LIST_TYPES = ['atomic', 'set', 'map'];
const MAP_TYPES = ['atomic', 'granular'];

export function schemaPropsCauses(schema: JsonSchemaProps, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  if (schema.nullable === true)
    causes.push(forbiddenCause(`${path}.nullable`, 'nullable cannot be true at the root'));
  visit(schema, path, causes);
  return causes;
}

function visit(schema: JsonSchemaProps, path: string, causes: FieldCause[]): void {
  const type: unknown = schema.type;
  if (type !== undefined && (typeof type !== 'string' || (type !== '' && !OPENAPI_TYPES.includes(type)))) {
    causes.push(notSupportedCause(`${path}.type`, type, OPENAPI_TYPES));
  }
  if (schema['uniqueItems'] === true) {
    causes.push(
      forbiddenCause(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  }
  const additional = schema.additionalProperties;
  const hasProperties = propertyEntries(schema).length > 0;
  if (additional !== undefined && hasProperties && additional !== true) {
    causes.push(
      forbiddenCause(
        `${path}.additionalProperties`,
        'additionalProperties and properties are mutual exclusive',
      ),
    );
  }
  if (isJsonObject(additional)) visit(additional, `${path}.additionalProperties`, causes);
  for (const [key, property] of propertyEntries(schema))
    visit(property, schemaPropertyPath(path, key), causes);
  const items = itemsSchema(schema);
  if (items !== undefined) visit(items, `${path}.items`, causes);

  const preserve = schema['x-kubernetes-preserve-unknown-fields'];
  if (preserve !== undefined && preserve !== true) {
    causes.push(
      invalidCause(`${path}.x-kubernetes-preserve-unknown-fields`, preserve, 'must be true or undefined'),
    );
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (!LIST_TYPES.includes(listType)) {
      causes.push(notSupportedCause(`${path}.x-kubernetes-list-type`, listType, LIST_TYPES));
    }
    if (type !== 'array') {
      const detail = 'must be array if x-kubernetes-list-type is specified';
      causes.push(
        type === undefined
          ? requiredCause(`${path}.type`, detail)
          : invalidCause(`${path}.type`, type, detail),
      );
    }
  }
  const mapType = schema['x-kubernetes-map-type'];
  if (mapType !== undefined && !MAP_TYPES.includes(mapType)) {
    causes.push(notSupportedCause(`${path}.x-kubernetes-map-type`, mapType, MAP_TYPES));
  }
}
