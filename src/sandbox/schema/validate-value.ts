import type { FieldCause, JsonSchemaProps } from '../types.js';
import {
  invalidCause,
  notSupportedCause,
  requiredCause,
  tooLongCause,
  tooManyCause,
  typeInvalidCause,
} from './field-causes.js';
import { childPath, indexPath, joinPath } from './field-path.js';
import { isJsonObject, jsonEqual, jsonTypeOf } from './json-value.js';
import type { JsonObject } from './json-value.js';
import {
  additionalPropertiesSchema,
  isEmbeddedResource,
  isIntOrString,
  itemsSchema,
  propertySchema,
} from './schema-node.js';
import { matchesFormat } from './string-format.js';

/**
 * Validates a value against a schema the way kube-apiserver's kube-openapi validator does for custom resources,
 * with causes shaped like `apiextensions/validation.ConvertError` produces them, e.g.
 * `spec.count: Invalid value: "string": spec.count in body must be of type integer: "string"`.
 *
 * A node whose type is wrong gets only the type error (kube-openapi may add more).
 */

export interface ValidateOptions {
  /**
   * Where the value sits: causes are reported at `fieldPrefix` + the relative path. Messages name only the
   * relative path, as kube does when it validates a CRD's `default` (`<path>.default: ... in body must ...`).
   */
  fieldPrefix?: string;
  /** The value is a whole object: its `metadata` is validated elsewhere and skipped here. */
  resourceRoot?: boolean;
}

interface Location {
  /** Path relative to the validated value, used in messages. */
  name: string;
  prefix: string;
}

export function validateValue(
  value: unknown,
  schema: JsonSchemaProps,
  options: ValidateOptions = {},
): FieldCause[] {
  const causes: FieldCause[] = [];
  visit(
    value,
    schema,
    { name: '', prefix: options.fieldPrefix ?? '' },
    causes,
    options.resourceRoot === true,
  );
  return causes;
}

const fieldOf = (at: Location): string => joinPath(at.prefix, at.name);
const inBody = (at: Location): string => (at.name === '' ? 'in body' : `${at.name} in body`);
const child = (at: Location, key: string): Location => ({ ...at, name: childPath(at.name, key) });
const item = (at: Location, index: number): Location => ({ ...at, name: indexPath(at.name, index) });

function typeMatches(actual: string, expected: string, intOrString: boolean): boolean {
  if (intOrString) return actual === 'integer' || actual === 'string';
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

const patternCache = new Map<string, RegExp | null>();

/** Compiled once per pattern; a pattern JavaScript cannot compile is not enforced (the CRD check reports it). */
function compilePattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(pattern, 'u');
    } catch {
      compiled = null;
    }
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function visit(
  value: unknown,
  schema: JsonSchemaProps,
  at: Location,
  causes: FieldCause[],
  resourceRoot: boolean,
): void {
  const intOrString = isIntOrString(schema);
  const declaredType = typeof schema.type === 'string' ? schema.type : undefined;
  const expected = intOrString ? 'integer,string' : declaredType;
  if (value === null || value === undefined) {
    if (schema.nullable !== true && expected !== undefined) {
      causes.push(typeInvalidCause(fieldOf(at), 'null', `${inBody(at)} must be of type ${expected}: "null"`));
    }
    return;
  }
  const actual = jsonTypeOf(value);
  if (expected !== undefined && !typeMatches(actual, expected, intOrString)) {
    causes.push(
      typeInvalidCause(fieldOf(at), actual, `${inBody(at)} must be of type ${expected}: "${actual}"`),
    );
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => jsonEqual(allowed, value))) {
    causes.push(notSupportedCause(fieldOf(at), value, schema.enum));
  }
  if (typeof value === 'string') checkString(value, schema, at, causes);
  else if (typeof value === 'number') checkNumber(value, schema, at, causes);
  else if (Array.isArray(value)) checkArray(value, schema, at, causes);
  else if (isJsonObject(value)) checkObject(value, schema, at, causes, resourceRoot);
}

function checkString(value: string, schema: JsonSchemaProps, at: Location, causes: FieldCause[]): void {
  const length = [...value].length;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    causes.push(tooLongCause(fieldOf(at), schema.maxLength));
  }
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    causes.push(
      invalidCause(fieldOf(at), value, `${inBody(at)} should be at least ${schema.minLength} chars long`),
    );
  }
  if (typeof schema.pattern === 'string') {
    const pattern = compilePattern(schema.pattern);
    if (pattern !== null && !pattern.test(value)) {
      causes.push(invalidCause(fieldOf(at), value, `${inBody(at)} should match '${schema.pattern}'`));
    }
  }
  if (typeof schema.format === 'string' && !matchesFormat(schema.format, value)) {
    causes.push(
      typeInvalidCause(
        fieldOf(at),
        value,
        `${inBody(at)} must be of type ${schema.format}: ${JSON.stringify(value)}`,
      ),
    );
  }
}

function checkNumber(value: number, schema: JsonSchemaProps, at: Location, causes: FieldCause[]): void {
  const exclusiveMinimum = schema['exclusiveMinimum'] === true;
  const exclusiveMaximum = schema['exclusiveMaximum'] === true;
  if (typeof schema.minimum === 'number') {
    const tooSmall = exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (tooSmall) {
      const relation = exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      causes.push(invalidCause(fieldOf(at), value, `${inBody(at)} should be ${relation} ${schema.minimum}`));
    }
  }
  if (typeof schema.maximum === 'number') {
    const tooLarge = exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (tooLarge) {
      const relation = exclusiveMaximum ? 'less than' : 'less than or equal to';
      causes.push(invalidCause(fieldOf(at), value, `${inBody(at)} should be ${relation} ${schema.maximum}`));
    }
  }
}

function checkArray(value: unknown[], schema: JsonSchemaProps, at: Location, causes: FieldCause[]): void {
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    causes.push(tooManyCause(fieldOf(at), value.length, schema.maxItems));
  }
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    causes.push(
      invalidCause(fieldOf(at), value.length, `${inBody(at)} should have at least ${schema.minItems} items`),
    );
  }
  const items = itemsSchema(schema);
  if (items === undefined) return;
  value.forEach((entry, index) => visit(entry, items, item(at, index), causes, false));
}

/** `x-kubernetes-embedded-resource` objects need a non-empty string apiVersion and kind (objectmeta validation). */
function checkEmbeddedTypeMeta(value: JsonObject, at: Location, causes: FieldCause[]): void {
  for (const key of ['apiVersion', 'kind']) {
    const field = fieldOf(child(at, key));
    if (!Object.hasOwn(value, key)) causes.push(requiredCause(field, 'must not be empty'));
    else if (typeof value[key] !== 'string') causes.push(invalidCause(field, value[key], 'must be a string'));
    else if (value[key] === '') causes.push(invalidCause(field, '', 'must not be empty'));
  }
}

function checkObject(
  value: JsonObject,
  schema: JsonSchemaProps,
  at: Location,
  causes: FieldCause[],
  resourceRoot: boolean,
): void {
  const embedded = isEmbeddedResource(schema);
  if (embedded) checkEmbeddedTypeMeta(value, at, causes);
  for (const key of Array.isArray(schema.required) ? schema.required : []) {
    if (typeof key === 'string' && !Object.hasOwn(value, key))
      causes.push(requiredCause(fieldOf(child(at, key))));
  }
  for (const [key, entry] of Object.entries(value)) {
    if ((resourceRoot || embedded) && key === 'metadata') continue;
    const entrySchema = propertySchema(schema, key) ?? additionalPropertiesSchema(schema);
    if (entrySchema !== undefined) visit(entry, entrySchema, child(at, key), causes, false);
  }
}
