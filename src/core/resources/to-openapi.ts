/**
 * Zod schema → structural OpenAPI v3 schema for a CustomResourceDefinition. Starts from `z.toJSONSchema` and
 * rewrites what a CRD does not allow: no `$schema`, no `additionalProperties` next to `properties` (open objects
 * become `x-kubernetes-preserve-unknown-fields`), no `anyOf` (nullable unions become `nullable: true`), `const`
 * as a one-value `enum`, and no zod-internal bounds (safe-integer limits, date-time regexes). Every node keeps
 * a `type`; anything that cannot be expressed structurally throws with the path, so a schema change that would
 * produce a bad CRD fails the generator rather than the cluster.
 */
import { z } from 'zod';

/** One node of an OpenAPI v3 schema, as plain JSON. */
export type OpenApiSchema = { [keyword: string]: unknown };

const int32Min = -2147483648;
const int32Max = 2147483647;

export function toOpenApiSchema(schema: z.ZodType, path = '<root>'): OpenApiSchema {
  const json: unknown = z.toJSONSchema(schema, {
    io: 'input',
    target: 'openapi-3.0',
    unrepresentable: 'throw',
    cycles: 'throw',
    reused: 'inline',
  });
  return normalize(json, path);
}

function isRecord(value: unknown): value is OpenApiSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOpenSchema(value: unknown): boolean {
  return value === true || (isRecord(value) && Object.keys(value).length === 0);
}

function normalize(input: unknown, path: string): OpenApiSchema {
  if (!isRecord(input)) throw new Error(`${path}: expected a schema object`);
  const node: OpenApiSchema = { ...input };
  delete node.$schema;
  delete node.propertyNames;

  if (node.anyOf !== undefined) return sortKeys(mergeNullableUnion(node, path));
  if (node.oneOf !== undefined || node.allOf !== undefined || node.not !== undefined) {
    throw new Error(`${path}: oneOf/allOf/not cannot be expressed in a structural schema`);
  }
  if ('const' in node) {
    node.enum = [node.const];
    delete node.const;
  }
  if (node.type === 'integer') dropImplicitIntegerBounds(node);
  if (node.format === 'date-time') delete node.pattern;
  if (node.type === 'object') normalizeObject(node, path);
  if (node.type === 'array') {
    if (node.items === undefined) throw new Error(`${path}: array without items`);
    node.items = normalize(node.items, `${path}[]`);
  }

  const preserved = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (typeof node.type !== 'string' && !preserved && node['x-kubernetes-int-or-string'] !== true) {
    throw new Error(`${path}: every node of a structural schema needs a type`);
  }
  return sortKeys(node);
}

function normalizeObject(node: OpenApiSchema, path: string): void {
  const additional = node.additionalProperties;
  const properties = node.properties;
  const hasProperties = isRecord(properties) && Object.keys(properties).length > 0;
  if (additional === false) {
    delete node.additionalProperties;
  } else if (isOpenSchema(additional)) {
    delete node.additionalProperties;
    node['x-kubernetes-preserve-unknown-fields'] = true;
  } else if (additional !== undefined) {
    if (hasProperties) throw new Error(`${path}: properties and additionalProperties cannot be combined`);
    node.additionalProperties = normalize(additional, `${path}.*`);
  }
  if (isRecord(properties)) {
    if (!hasProperties) {
      delete node.properties;
    } else {
      const normalized: OpenApiSchema = {};
      for (const [name, child] of Object.entries(properties)) {
        normalized[name] = normalize(child, `${path}.${name}`);
      }
      node.properties = normalized;
    }
  }
  if (Array.isArray(node.required) && node.required.length === 0) delete node.required;
}

/** `T | null` (zod `.nullable()` in a union form) is `T` with `nullable: true`; any other union is refused. */
function mergeNullableUnion(node: OpenApiSchema, path: string): OpenApiSchema {
  const options: unknown[] = Array.isArray(node.anyOf) ? (node.anyOf as unknown[]) : [];
  const isNull = (option: unknown) =>
    isRecord(option) &&
    (option.type === 'null' ||
      (Array.isArray(option.enum) && option.enum.length === 1 && option.enum[0] === null));
  const others = options.filter((option) => !isNull(option));
  const [only] = others;
  if (others.length !== 1 || options.length !== 2 || !isRecord(only)) {
    throw new Error(`${path}: unions (anyOf) cannot be expressed in a structural schema`);
  }
  const rest: OpenApiSchema = { ...node };
  delete rest.anyOf;
  const merged = normalize({ ...only, ...rest }, path);
  return { ...merged, nullable: true };
}

function dropImplicitIntegerBounds(node: OpenApiSchema): void {
  const int32 = node.format === 'int32';
  if (node.minimum === -Number.MAX_SAFE_INTEGER || (int32 && node.minimum === int32Min)) delete node.minimum;
  if (node.maximum === Number.MAX_SAFE_INTEGER || (int32 && node.maximum === int32Max)) delete node.maximum;
}

/** Keywords in alphabetical order (as controller-gen writes them); property order stays as declared. */
function sortKeys(node: OpenApiSchema): OpenApiSchema {
  const sorted: OpenApiSchema = {};
  for (const key of Object.keys(node).sort()) sorted[key] = node[key];
  return sorted;
}
