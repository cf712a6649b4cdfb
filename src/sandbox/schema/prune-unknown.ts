import type { JsonSchemaProps } from '../types.js';
import { childPath, indexPath } from './field-path.js';
import { cloneJson, isJsonObject, objectFromEntries } from './json-value.js';
import {
  additionalPropertiesSchema,
  isEmbeddedResource,
  isTypeOrObjectMetaField,
  itemsSchema,
  preservesUnknownFields,
  propertySchema,
} from './schema-node.js';

/**
 * Pruning as kube-apiserver does it for custom resources (apiextensions `pruning/algorithm.go`): object fields
 * the schema does not specify are dropped, unless the node says `x-kubernetes-preserve-unknown-fields: true`.
 * Under such a node, declared properties are pruned by their own schema again. `apiVersion`, `kind` and
 * `metadata` are kept at the resource root and in `x-kubernetes-embedded-resource` objects.
 */

export interface PruneResult {
  /** A new value; the input is not modified. */
  value: unknown;
  /** Paths of the dropped fields in document order, e.g. `spec.foo`, `spec.items[0].bar`. */
  prunedPaths: string[];
}

export interface PruneOptions {
  /** The value is a whole object (its apiVersion, kind and metadata are never pruned). */
  resourceRoot?: boolean;
}

export function pruneUnknownFields(
  value: unknown,
  schema: JsonSchemaProps,
  options: PruneOptions = {},
): PruneResult {
  const prunedPaths: string[] = [];
  const pruned = prune(value, schema, '', prunedPaths, options.resourceRoot === true);
  return { value: pruned, prunedPaths };
}

function keepsMetaField(
  key: string,
  value: unknown,
  schema: JsonSchemaProps | undefined,
  resourceRoot: boolean,
): boolean {
  if (!isTypeOrObjectMetaField(key)) return false;
  if (resourceRoot) return true;
  if (schema === undefined || !isEmbeddedResource(schema)) return false;
  return key === 'metadata' ? isJsonObject(value) : typeof value === 'string';
}

/** `schema` undefined means "nothing is specified here": every object field below is unknown. */
function prune(
  value: unknown,
  schema: JsonSchemaProps | undefined,
  path: string,
  prunedPaths: string[],
  resourceRoot: boolean,
): unknown {
  if (schema !== undefined && preservesUnknownFields(schema)) {
    return skipPrune(value, schema, path, prunedPaths, resourceRoot);
  }
  if (Array.isArray(value)) {
    const items = schema === undefined ? undefined : itemsSchema(schema);
    return value.map((item: unknown, index) =>
      prune(item, items, indexPath(path, index), prunedPaths, false),
    );
  }
  if (!isJsonObject(value)) return value;
  const kept: [string, unknown][] = [];
  for (const [key, child] of Object.entries(value)) {
    const at = childPath(path, key);
    if (keepsMetaField(key, child, schema, resourceRoot)) {
      kept.push([key, cloneJson(child)]);
      continue;
    }
    const childSchema =
      schema === undefined ? undefined : (propertySchema(schema, key) ?? additionalPropertiesSchema(schema));
    if (childSchema === undefined) {
      prunedPaths.push(at);
      continue;
    }
    kept.push([key, prune(child, childSchema, at, prunedPaths, false)]);
  }
  return objectFromEntries(kept);
}

/** Inside `x-kubernetes-preserve-unknown-fields: true`: unknown fields stay, declared ones are pruned again. */
function skipPrune(
  value: unknown,
  schema: JsonSchemaProps,
  path: string,
  prunedPaths: string[],
  resourceRoot: boolean,
): unknown {
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    return value.map((item: unknown, index) =>
      items === undefined
        ? cloneJson(item)
        : skipPrune(item, items, indexPath(path, index), prunedPaths, false),
    );
  }
  if (!isJsonObject(value)) return value;
  return objectFromEntries(
    Object.entries(value).map(([key, child]): [string, unknown] => {
      if (keepsMetaField(key, child, schema, resourceRoot)) return [key, cloneJson(child)];
      const childSchema = propertySchema(schema, key) ?? additionalPropertiesSchema(schema);
      if (childSchema === undefined) return [key, cloneJson(child)];
      return [key, prune(child, childSchema, childPath(path, key), prunedPaths, false)];
    }),
  );
}
