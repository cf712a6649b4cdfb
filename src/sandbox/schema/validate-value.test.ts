import { describe, expect, it } from 'vitest';
import type { JsonSchemaProps } from '../types.js';
import { validateValue } from './validate-value.js';

const spec = (properties: Record<string, JsonSchemaProps>, extra: JsonSchemaProps = {}): JsonSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties, ...extra } },
});

const messages = (value: unknown, schema: JsonSchemaProps): string[] =>
  validateValue(value, schema, { resourceRoot: true }).map((cause) => `${cause.field}: ${cause.message}`);

describe('validateValue: types', () => {
  it('reports a wrong type like the apiserver', () => {
    expect(validateValue({ spec: { count: 'three' } }, spec({ count: { type: 'integer' } }))).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.count',
        message: 'Invalid value: "string": spec.count in body must be of type integer: "string"',
      },
    ]);
  });

  it('rejects a fraction for an integer, accepts whole numbers for number', () => {
    const schema = spec({ count: { type: 'integer' }, ratio: { type: 'number' } });
    expect(messages({ spec: { count: 1.5, ratio: 2 } }, schema)).toEqual([
      'spec.count: Invalid value: "number": spec.count in body must be of type integer: "number"',
    ]);
    expect(messages({ spec: { count: 2, ratio: 0.5 } }, schema)).toEqual([]);
  });

  it('checks booleans, strings, objects and arrays', () => {
    const schema = spec({
      flag: { type: 'boolean' },
      name: { type: 'string' },
      nested: { type: 'object' },
      list: { type: 'array', items: { type: 'string' } },
    });
    expect(messages({ spec: { flag: 'true', name: 5, nested: [], list: {} } }, schema)).toEqual([
      'spec.flag: Invalid value: "string": spec.flag in body must be of type boolean: "string"',
      'spec.name: Invalid value: "integer": spec.name in body must be of type string: "integer"',
      'spec.nested: Invalid value: "array": spec.nested in body must be of type object: "array"',
      'spec.list: Invalid value: "object": spec.list in body must be of type array: "object"',
    ]);
  });

  it('accepts null only where nullable', () => {
    const schema = spec({ maybe: { type: 'string', nullable: true }, never: { type: 'string' } });
    expect(messages({ spec: { maybe: null, never: null } }, schema)).toEqual([
      'spec.never: Invalid value: "null": spec.never in body must be of type string: "null"',
    ]);
  });

  it('accepts an integer or a string for x-kubernetes-int-or-string and nothing else', () => {
    const schema = spec({ port: { 'x-kubernetes-int-or-string': true } });
    expect(messages({ spec: { port: 8080 } }, schema)).toEqual([]);
    expect(messages({ spec: { port: 'http' } }, schema)).toEqual([]);
    expect(messages({ spec: { port: true } }, schema)).toEqual([
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
    expect(messages({ spec: { port: 1.5 } }, schema)).toHaveLength(1);
  });

  it('does not check the type of an untyped x-kubernetes-preserve-unknown-fields node', () => {
    const schema = spec({ free: { 'x-kubernetes-preserve-unknown-fields': true } });
    expect(messages({ spec: { free: [1, 'a', { b: null }] } }, schema)).toEqual([]);
    expect(messages({ spec: { free: 'text' } }, schema)).toEqual([]);
  });
});

describe('validateValue: constraints', () => {
  it('reports missing required fields at their own path', () => {
    const schema = spec(
      { type: { type: 'string' }, status: { type: 'string' } },
      { required: ['type', 'status'] },
    );
    expect(validateValue({ spec: { status: 'Firing' } }, schema)).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.type', message: 'Required value' },
    ]);
    const root: JsonSchemaProps = {
      type: 'object',
      required: ['spec'],
      properties: { spec: { type: 'object' } },
    };
    expect(messages({ metadata: {} }, root)).toEqual(['spec: Required value']);
  });

  it('lists the supported values of an enum in schema order', () => {
    const schema = spec({
      status: { type: 'string', enum: ['Firing', 'Resolved'] },
      level: { type: 'integer', enum: [1, 2] },
    });
    expect(validateValue({ spec: { status: 'X', level: 3 } }, schema)).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.status',
        message: 'Unsupported value: "X": supported values: "Firing", "Resolved"',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.level',
        message: 'Unsupported value: 3: supported values: "1", "2"',
      },
    ]);
    expect(messages({ spec: { status: 'Resolved', level: 2 } }, schema)).toEqual([]);
  });

  it('checks minimum and maximum, inclusive and exclusive', () => {
    const schema = spec({
      replicas: { type: 'integer', minimum: 1, maximum: 10 },
      ratio: { type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true },
    });
    expect(messages({ spec: { replicas: 0, ratio: 0 } }, schema)).toEqual([
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      'spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0',
    ]);
    expect(messages({ spec: { replicas: 11, ratio: 1 } }, schema)).toEqual([
      'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
      'spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
    ]);
    expect(messages({ spec: { replicas: 10, ratio: 0.5 } }, schema)).toEqual([]);
  });

  it('checks string length in characters, and patterns', () => {
    const schema = spec({ name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-zé]+$' } });
    expect(validateValue({ spec: { name: 'toolong' } }, schema)).toEqual([
      { reason: 'FieldValueTooLong', field: 'spec.name', message: 'Too long: may not be more than 5 bytes' },
    ]);
    expect(messages({ spec: { name: 'A' } }, schema)).toEqual([
      'spec.name: Invalid value: "A": spec.name in body should be at least 2 chars long',
      `spec.name: Invalid value: "A": spec.name in body should match '^[a-zé]+$'`,
    ]);
    expect(messages({ spec: { name: 'éééé' } }, schema)).toEqual([]);
  });

  it('checks minItems and maxItems', () => {
    const schema = spec({ list: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 } });
    expect(validateValue({ spec: { list: ['a', 'b', 'c'] } }, schema)).toEqual([
      { reason: 'FieldValueTooMany', field: 'spec.list', message: 'Too many: 3: must have at most 2 items' },
    ]);
    expect(messages({ spec: { list: [] } }, schema)).toEqual([
      'spec.list: Invalid value: 0: spec.list in body should have at least 1 items',
    ]);
  });

  it('checks date-time and date formats loosely and ignores formats it does not know', () => {
    const schema = spec({
      at: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      x: { type: 'string', format: 'hostname-ish' },
    });
    expect(messages({ spec: { at: '2026-11-02T10:00:00Z', day: '2026-02-28', x: '!' } }, schema)).toEqual([]);
    expect(messages({ spec: { at: '2026-11-02T10:00:00.123+02:00' } }, schema)).toEqual([]);
    expect(validateValue({ spec: { at: 'yesterday', day: '2026-02-30' } }, schema)).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.at',
        message: 'Invalid value: "yesterday": spec.at in body must be of type date-time: "yesterday"',
      },
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.day',
        message: 'Invalid value: "2026-02-30": spec.day in body must be of type date: "2026-02-30"',
      },
    ]);
  });
});

describe('validateValue: nesting', () => {
  it('names items of arrays of objects with their index', () => {
    const schema = spec({
      alertConditions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type'],
          properties: { type: { type: 'string' }, status: { type: 'string', enum: ['Firing', 'Resolved'] } },
        },
      },
    });
    expect(messages({ spec: { alertConditions: [{ type: 'A' }, { status: 'Bad' }] } }, schema)).toEqual([
      'spec.alertConditions[1].type: Required value',
      'spec.alertConditions[1].status: Unsupported value: "Bad": supported values: "Firing", "Resolved"',
    ]);
  });

  it('validates the values of additionalProperties maps under their keys', () => {
    const schema = spec({
      limits: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
    });
    expect(messages({ spec: { limits: { cpu: 1, gpu: -1, mem: 'x' } } }, schema)).toEqual([
      'spec.limits.gpu: Invalid value: -1: spec.limits.gpu in body should be greater than or equal to 0',
      'spec.limits.mem: Invalid value: "string": spec.limits.mem in body must be of type integer: "string"',
    ]);
  });

  it('validates status like any other part of the object, but never the root metadata', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } },
        status: { type: 'object', properties: { count: { type: 'integer' } } },
      },
    };
    expect(messages({ metadata: { name: 'much-too-long' }, status: { count: 'x' } }, schema)).toEqual([
      'status.count: Invalid value: "string": status.count in body must be of type integer: "string"',
    ]);
  });

  it('requires a non-empty apiVersion and kind in embedded resources', () => {
    const schema = spec({
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
      },
    });
    expect(messages({ spec: { template: { kind: '', metadata: { anything: 1 } } } }, schema)).toEqual([
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Invalid value: "": must not be empty',
    ]);
    expect(messages({ spec: { template: { apiVersion: 'v1', kind: 'Pod' } } }, schema)).toEqual([]);
  });

  it('reports against a field prefix when validating a default', () => {
    expect(
      validateValue(
        { size: 'x' },
        { type: 'object', properties: { size: { type: 'integer' } } },
        { fieldPrefix: 'a.default' },
      ),
    ).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'a.default.size',
        message: 'Invalid value: "string": size in body must be of type integer: "string"',
      },
    ]);
  });
});
