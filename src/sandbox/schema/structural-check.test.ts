import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { JsonSchemaProps } from '../types.js';
import { checkStructuralSchema } from './structural-check.js';

const ROOT = 'spec.versions[0].schema.openAPIV3Schema';

const check = (schema: Record<string, unknown>): string[] =>
  checkStructuralSchema(schema as JsonSchemaProps, ROOT).map((cause) => `${cause.field}: ${cause.message}`);

const withSpec = (spec: Record<string, unknown>): Record<string, unknown> => ({
  type: 'object',
  properties: { spec },
});

describe('checkStructuralSchema', () => {
  it('accepts a structural schema', () => {
    expect(
      check({
        type: 'object',
        properties: {
          metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 63 } } },
          spec: {
            type: 'object',
            required: ['replicas'],
            properties: {
              replicas: { type: 'integer', minimum: 1, default: 1 },
              port: { 'x-kubernetes-int-or-string': true },
              free: { 'x-kubernetes-preserve-unknown-fields': true },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              steps: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
              template: {
                type: 'object',
                'x-kubernetes-embedded-resource': true,
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        },
      }),
    ).toEqual([]);
  });

  it('requires a type for every specified field, array item and the root, with the apiserver message', () => {
    expect(check(withSpec({ type: 'object', properties: { size: {} } }))).toEqual([
      `${ROOT}.properties[spec].properties[size].type: Required value: must not be empty for specified object fields`,
    ]);
    expect(check(withSpec({ properties: { size: { type: 'integer' } } }))).toEqual([
      `${ROOT}.properties[spec].type: Required value: must not be empty for specified object fields`,
    ]);
    expect(check(withSpec({ type: 'array', items: {} }))).toEqual([
      `${ROOT}.properties[spec].items.type: Required value: must not be empty for specified array items`,
    ]);
    expect(check({ properties: {} })).toEqual([
      `${ROOT}.type: Required value: must not be empty at the root`,
    ]);
    const [cause] = checkStructuralSchema({ type: 'object', properties: { spec: {} } }, ROOT);
    expect(cause).toEqual({
      reason: 'FieldValueRequired',
      field: `${ROOT}.properties[spec].type`,
      message: 'Required value: must not be empty for specified object fields',
    });
  });

  it('does not require a type under x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields', () => {
    expect(check(withSpec({ 'x-kubernetes-preserve-unknown-fields': true }))).toEqual([]);
    expect(
      check(withSpec({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true } } })),
    ).toEqual([]);
  });

  it('requires items on arrays', () => {
    expect(check(withSpec({ type: 'array' }))).toEqual([
      `${ROOT}.properties[spec].items: Required value: must be specified`,
    ]);
  });

  it('rejects properties together with additionalProperties, and additionalProperties at the root', () => {
    expect(
      check(
        withSpec({
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: { type: 'string' },
        }),
      ),
    ).toEqual([
      `${ROOT}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]);
    expect(
      check(withSpec({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false })),
    ).toHaveLength(1);
    expect(
      check(withSpec({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true })),
    ).toEqual([]);
    expect(check({ type: 'object', additionalProperties: { type: 'string' } })).toEqual([
      `${ROOT}.additionalProperties: Forbidden: must not be used at the root`,
    ]);
    const [cause] = checkStructuralSchema(
      { type: 'object', properties: { spec: { type: 'object', properties: {}, additionalProperties: {} } } },
      ROOT,
    );
    expect(cause?.reason).toBe('FieldValueRequired'); // the map's value schema has no type
  });

  it('rejects unknown type values with the list of supported ones', () => {
    const causes = checkStructuralSchema(withSpec({ type: 'map' }), ROOT);
    expect(causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: `${ROOT}.properties[spec].type`,
        message:
          'Unsupported value: "map": supported values: "array", "boolean", "integer", "number", "object", "string"',
      },
    ]);
  });

  it('requires an object at the root', () => {
    expect(check({ type: 'string' })).toEqual([
      `${ROOT}.type: Invalid value: "string": must be object at the root`,
    ]);
  });

  it('lets the root metadata restrict only name and generateName', () => {
    const metadata = (schema: Record<string, unknown>): string[] =>
      check({ type: 'object', properties: { metadata: schema } });
    expect(metadata({ type: 'object' })).toEqual([]);
    expect(
      metadata({
        type: 'object',
        properties: { name: { type: 'string' }, generateName: { type: 'string' } },
      }),
    ).toEqual([]);
    const forbidden = `${ROOT}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`;
    expect(metadata({ type: 'object', properties: { labels: { type: 'object' } } })).toEqual([forbidden]);
    expect(metadata({ type: 'object', required: ['name'] })).toEqual([forbidden]);
    expect(metadata({ type: 'string' })).toEqual([
      `${ROOT}.properties[metadata].type: Invalid value: "string": must be object`,
    ]);
  });

  it('checks apiVersion and kind are strings at the root and in embedded resources', () => {
    expect(check({ type: 'object', properties: { kind: { type: 'integer' } } })).toEqual([
      `${ROOT}.properties[kind].type: Invalid value: "integer": must be string`,
    ]);
  });

  it('checks embedded resources', () => {
    expect(
      check(
        withSpec({ 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true }),
      ),
    ).toEqual([
      `${ROOT}.properties[spec].type: Required value: must be object if x-kubernetes-embedded-resource is true`,
    ]);
    expect(check(withSpec({ type: 'object', 'x-kubernetes-embedded-resource': true }))).toEqual([
      `${ROOT}.properties[spec].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
    ]);
  });

  it('checks the vendor extensions', () => {
    expect(check(withSpec({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false }))).toEqual([
      `${ROOT}.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
    ]);
    expect(
      check(withSpec({ 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true })),
    ).toEqual([
      `${ROOT}.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
    ]);
    expect(
      check(withSpec({ type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' })),
    ).toEqual([
      `${ROOT}.properties[spec].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
    ]);
  });

  it('rejects a pattern that is not a regular expression', () => {
    const [message] = check(withSpec({ type: 'string', pattern: '([a-z' }));
    expect(message).toMatch(
      /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.pattern: Invalid value: "\(\[a-z": must be a valid regular expression, but isn't: /,
    );
  });

  it('rejects defaults that do not validate or are not pruned', () => {
    expect(
      check(withSpec({ type: 'object', properties: { replicas: { type: 'integer', default: 'one' } } })),
    ).toEqual([
      `${ROOT}.properties[spec].properties[replicas].default: Invalid value: "string": in body must be of type integer: "string"`,
    ]);
    expect(
      check(
        withSpec({ type: 'object', default: { size: 'big' }, properties: { size: { type: 'integer' } } }),
      ),
    ).toEqual([
      `${ROOT}.properties[spec].default.size: Invalid value: "string": size in body must be of type integer: "string"`,
    ]);
    expect(
      check(withSpec({ type: 'object', default: { other: 1 }, properties: { size: { type: 'integer' } } })),
    ).toEqual([`${ROOT}.properties[spec].default: Invalid value: {"other":1}: must not have unknown fields`]);
  });

  it('reports every problem, sorted like the apiserver sorts structural errors', () => {
    const messages = check(
      withSpec({ type: 'object', properties: { b: {}, a: {}, list: { type: 'array' } } }),
    );
    expect(messages).toEqual([
      `${ROOT}.properties[spec].properties[a].type: Required value: must not be empty for specified object fields`,
      `${ROOT}.properties[spec].properties[b].type: Required value: must not be empty for specified object fields`,
      `${ROOT}.properties[spec].properties[list].items: Required value: must be specified`,
    ]);
  });

  it('does not trip over properties named like Object.prototype members', () => {
    expect(
      check(
        withSpec({
          type: 'object',
          properties: { constructor: { type: 'string' }, toString: { type: 'string' } },
        }),
      ),
    ).toEqual([]);
  });

  it('accepts every CRD this project ships and bundles in the sandbox', () => {
    const files = [
      ...readdirSync(new URL('../../../manifest/install/', import.meta.url)).map(
        (name) => new URL(`../../../manifest/install/${name}`, import.meta.url),
      ),
      ...readdirSync(new URL('../crds/', import.meta.url)).map(
        (name) => new URL(`../crds/${name}`, import.meta.url),
      ),
    ].filter((url) => url.pathname.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    let checked = 0;
    for (const file of files) {
      for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const crd = document.toJS() as {
          spec?: { versions?: { schema?: { openAPIV3Schema?: JsonSchemaProps } }[] };
        } | null;
        (crd?.spec?.versions ?? []).forEach((version, index) => {
          const schema = version.schema?.openAPIV3Schema;
          if (schema === undefined) return;
          checked += 1;
          expect(
            checkStructuralSchema(schema, `spec.versions[${index}].schema.openAPIV3Schema`),
            file.pathname,
          ).toEqual([]);
        });
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
