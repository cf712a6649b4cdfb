import type { FieldCause, JsonSchemaProps } from '../types.js';
import { forbiddenCause, invalidCause, requiredCause } from './field-causes.js';
import { schemaPropertyPath } from './field-path.js';
import { isJsonObject } from './json-value.js';
import {
  isEmbeddedResource,
  isIntOrString,
  itemsSchema,
  preservesUnknownFields,
  propertyEntries,
  propertySchema,
} from './schema-node.js';

/**
 * The structural-schema invariants of apiextensions `pkg/apiserver/schema/validation.go`
 * (`validateStructuralInvariants`), on the subset of JSONSchemaProps the sandbox understands.
 */

type Level = 'root' | 'item' | 'field';

const MISSING_TYPE_DETAIL: Record<Level, string> = {
  root: 'must not be empty at the root',
  item: 'must not be empty for specified array items',
  field: 'must not be empty for specified object fields',
};

/** Keys of the root `metadata` schema that carry no restriction (`default` is checked elsewhere by kube). */
const NEUTRAL_METADATA_KEYS = new Set(['type', 'default']);

function typeOf(schema: JsonSchemaProps): string {
  const type: unknown = schema.type;
  return typeof type === 'string' ? type : type === undefined || type === null ? '' : JSON.stringify(type);
}

export function structuralInvariantCauses(schema: JsonSchemaProps, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  visit(schema, 'root', path, causes);
  return causes;
}

function visit(schema: JsonSchemaProps, level: Level, path: string, causes: FieldCause[]): void {
  const type = typeOf(schema);
  const items = itemsSchema(schema);
  if (type === 'array' && items === undefined)
    causes.push(requiredCause(`${path}.items`, 'must be specified'));
  if (items !== undefined) visit(items, 'item', `${path}.items`, causes);
  for (const [key, property] of propertyEntries(schema))
    visit(property, 'field', schemaPropertyPath(path, key), causes);

  if (schema.additionalProperties !== undefined) {
    if (level === 'root')
      causes.push(forbiddenCause(`${path}.additionalProperties`, 'must not be used at the root'));
    if (isJsonObject(schema.additionalProperties)) {
      visit(schema.additionalProperties, 'field', `${path}.additionalProperties`, causes);
    }
  }

  const intOrString = isIntOrString(schema);
  const embedded = isEmbeddedResource(schema);
  const preserve = preservesUnknownFields(schema);
  if (intOrString && preserve) {
    causes.push(
      invalidCause(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  if (intOrString && embedded) {
    causes.push(
      invalidCause(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  if (typeof schema.pattern === 'string') {
    try {
      new RegExp(schema.pattern, 'u');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      causes.push(
        invalidCause(
          `${path}.pattern`,
          schema.pattern,
          `must be a valid regular expression, but isn't: ${reason}`,
        ),
      );
    }
  }

  const embeddedDetail = 'must be object if x-kubernetes-embedded-resource is true';
  if (embedded && type !== 'object') {
    causes.push(
      type === ''
        ? requiredCause(`${path}.type`, embeddedDetail)
        : invalidCause(`${path}.type`, type, embeddedDetail),
    );
  } else if (type === '' && !intOrString && !preserve) {
    causes.push(requiredCause(`${path}.type`, MISSING_TYPE_DETAIL[level]));
  }
  if (embedded && schema.additionalProperties !== undefined) {
    causes.push(
      forbiddenCause(
        `${path}.additionalProperties`,
        'must not be used if x-kubernetes-embedded-resource is set',
      ),
    );
  }
  if (level === 'root' && type !== '' && type !== 'object') {
    causes.push(invalidCause(`${path}.type`, type, 'must be object at the root'));
  }

  if (level === 'root' || embedded) checkTypeAndObjectMeta(schema, path, causes);
  if (level === 'root') checkRootMetadata(schema, path, causes);

  if (embedded && !preserve && propertyEntries(schema).length === 0) {
    causes.push(
      requiredCause(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
}

function checkTypeAndObjectMeta(schema: JsonSchemaProps, path: string, causes: FieldCause[]): void {
  for (const key of ['kind', 'apiVersion']) {
    const property = propertySchema(schema, key);
    if (property !== undefined && typeOf(property) !== 'string') {
      causes.push(invalidCause(`${schemaPropertyPath(path, key)}.type`, typeOf(property), 'must be string'));
    }
  }
  const metadata = propertySchema(schema, 'metadata');
  if (metadata !== undefined && typeOf(metadata) !== 'object') {
    causes.push(
      invalidCause(`${schemaPropertyPath(path, 'metadata')}.type`, typeOf(metadata), 'must be object'),
    );
  }
}

/** At the root, `metadata` may only restrict `name` and `generateName`. */
function checkRootMetadata(schema: JsonSchemaProps, path: string, causes: FieldCause[]): void {
  const metadata = propertySchema(schema, 'metadata');
  if (metadata === undefined) return;
  const restricted = Object.entries(metadata).filter(([key, value]) => {
    if (NEUTRAL_METADATA_KEYS.has(key) || value === undefined || value === false || value === '')
      return false;
    if (key !== 'properties') return true;
    const names = isJsonObject(value) ? Object.keys(value) : [];
    return !names.every((name) => name === 'name' || name === 'generateName');
  });
  if (restricted.length > 0) {
    causes.push(
      forbiddenCause(
        schemaPropertyPath(path, 'metadata'),
        'must not specify anything other than name and generateName, but metadata is implicitly specified',
      ),
    );
  }
}
