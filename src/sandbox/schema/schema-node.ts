import type { JsonSchemaProps } from '../types.js';
import { isJsonObject, ownValue } from './json-value.js';

/** Reading one node of a CRD schema. Input comes from users, so every accessor tolerates odd shapes. */

/** `additionalProperties: true`: any value is allowed and kept as it is. */
export const ANY_VALUE_SCHEMA: JsonSchemaProps = Object.freeze({
  'x-kubernetes-preserve-unknown-fields': true,
});

export function preservesUnknownFields(schema: JsonSchemaProps): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

export function isIntOrString(schema: JsonSchemaProps): boolean {
  return schema['x-kubernetes-int-or-string'] === true;
}

export function isEmbeddedResource(schema: JsonSchemaProps): boolean {
  return schema['x-kubernetes-embedded-resource'] === true;
}

/** The schema of a declared property, if `properties` has it as an own key. */
export function propertySchema(schema: JsonSchemaProps, key: string): JsonSchemaProps | undefined {
  const properties = isJsonObject(schema.properties) ? schema.properties : undefined;
  const property = ownValue(properties, key);
  return isJsonObject(property) ? property : undefined;
}

export function propertyEntries(schema: JsonSchemaProps): [string, JsonSchemaProps][] {
  if (!isJsonObject(schema.properties)) return [];
  return Object.entries(schema.properties).filter((entry): entry is [string, JsonSchemaProps] =>
    isJsonObject(entry[1]),
  );
}

/** The schema for keys that are not declared properties: a schema, ANY for `true`, none for `false` or absent. */
export function additionalPropertiesSchema(schema: JsonSchemaProps): JsonSchemaProps | undefined {
  const additional = schema.additionalProperties;
  if (additional === true) return ANY_VALUE_SCHEMA;
  return isJsonObject(additional) ? additional : undefined;
}

export function itemsSchema(schema: JsonSchemaProps): JsonSchemaProps | undefined {
  return isJsonObject(schema.items) ? schema.items : undefined;
}

/** The schema that applies to key `key` of an object: the declared property first, then additionalProperties. */
export function schemaForKey(schema: JsonSchemaProps, key: string): JsonSchemaProps | undefined {
  return propertySchema(schema, key) ?? additionalPropertiesSchema(schema);
}

/** Fields every Kubernetes object carries; kept at the resource root and in embedded resources. */
export function isTypeOrObjectMetaField(key: string): boolean {
  return key === 'apiVersion' || key === 'kind' || key === 'metadata';
}
