import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonSchemaProps, KubeObject } from '../types.js';
import { validateCustomResource } from './validate-custom-resource.js';

const alertSchema: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['type', 'status'],
      properties: {
        type: { type: 'string', minLength: 1 },
        status: { type: 'string', enum: ['Firing', 'Resolved'] },
        severity: { type: 'string', default: 'warning' },
        involvedObject: {
          type: 'object',
          properties: { kind: { type: 'string' }, name: { type: 'string' }, node: { type: 'string' } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        port: { 'x-kubernetes-int-or-string': true },
        steps: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, retries: { type: 'integer', default: 0, minimum: 0 } },
          },
        },
      },
    },
    status: {
      type: 'object',
      properties: { count: { type: 'integer' }, startsAt: { type: 'string', format: 'date-time' } },
    },
  },
};

const alert = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlert',
  metadata: { name: 'a1', namespace: 'monitoring', labels: { team: 'gpu' } },
  spec,
  ...extra,
});

const strict = { fieldValidation: 'Strict' } as const;

describe('validateCustomResource', () => {
  it('admits a valid object, applying defaults', () => {
    const result = validateCustomResource(
      alert({ type: 'NodeDown', status: 'Firing', steps: [{ name: 'cordon' }], port: 'http' }),
      alertSchema,
      strict,
    );
    expect(result.causes).toEqual([]);
    expect(result.unknownFields).toEqual([]);
    expect(result.object).toEqual(
      alert({
        type: 'NodeDown',
        status: 'Firing',
        severity: 'warning',
        steps: [{ name: 'cordon', retries: 0 }],
        port: 'http',
      }),
    );
  });

  it('prunes unknown fields and names them as strict decoding does', () => {
    const result = validateCustomResource(
      alert(
        {
          type: 'T',
          status: 'Firing',
          foo: 1,
          involvedObject: { name: 'n', bar: 2 },
          steps: [{ name: 's', x: 1 }],
        },
        {
          extra: true,
        },
      ),
      alertSchema,
      strict,
    );
    expect(result.unknownFields).toEqual(['spec.foo', 'spec.involvedObject.bar', 'spec.steps[0].x', 'extra']);
    expect(result.object).toEqual(
      alert({
        type: 'T',
        status: 'Firing',
        severity: 'warning',
        involvedObject: { name: 'n' },
        steps: [{ name: 's', retries: 0 }],
      }),
    );
    expect(result.causes).toEqual([]);
  });

  it('still prunes with Warn, and does not report unknown fields with Ignore', () => {
    const input = alert({ type: 'T', status: 'Firing', foo: 1 });
    expect(validateCustomResource(input, alertSchema, { fieldValidation: 'Warn' }).unknownFields).toEqual([
      'spec.foo',
    ]);
    const ignored = validateCustomResource(input, alertSchema, { fieldValidation: 'Ignore' });
    expect(ignored.unknownFields).toEqual([]);
    expect(ignored.object['spec']).not.toHaveProperty('foo');
  });

  it('keeps everything under x-kubernetes-preserve-unknown-fields', () => {
    const details = { any: { nested: [1, { deep: true }] }, text: 'x' };
    const result = validateCustomResource(
      alert({ type: 'T', status: 'Firing', details }),
      alertSchema,
      strict,
    );
    expect(result.unknownFields).toEqual([]);
    expect((result.object['spec'] as Record<string, unknown>)['details']).toEqual(details);
  });

  it('reports every violation with apiserver-shaped causes, status included', () => {
    const result = validateCustomResource(
      alert(
        { type: '', status: 'X', labels: { a: 1 }, steps: [{ retries: -1 }], port: true },
        { status: { count: 'many', startsAt: 'now' } },
      ),
      alertSchema,
      strict,
    );
    expect(result.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.type',
        message: 'Invalid value: "": spec.type in body should be at least 1 chars long',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.status',
        message: 'Unsupported value: "X": supported values: "Firing", "Resolved"',
      },
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.labels.a',
        message: 'Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
      },
      { reason: 'FieldValueRequired', field: 'spec.steps[0].name', message: 'Required value' },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.steps[0].retries',
        message: 'Invalid value: -1: spec.steps[0].retries in body should be greater than or equal to 0',
      },
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.port',
        message: 'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      },
      {
        reason: 'FieldValueTypeInvalid',
        field: 'status.count',
        message: 'Invalid value: "string": status.count in body must be of type integer: "string"',
      },
      {
        reason: 'FieldValueTypeInvalid',
        field: 'status.startsAt',
        message: 'Invalid value: "now": status.startsAt in body must be of type date-time: "now"',
      },
    ]);
  });

  it('reports missing required fields after pruning a null', () => {
    const result = validateCustomResource(alert({ type: null, status: 'Firing' }), alertSchema, strict);
    expect(result.causes).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.type', message: 'Required value' },
    ]);
  });

  it('leaves the root metadata alone and returns a new object', () => {
    const input = alert({ type: 'T', status: 'Firing', foo: 1 });
    input.metadata['unexpected'] = { kept: true };
    const before = structuredClone(input);
    const result = validateCustomResource(input, alertSchema, strict);
    expect(input).toEqual(before);
    expect(result.object).not.toBe(input);
    expect(result.object.metadata).toEqual(before.metadata);
    expect(result.object.metadata).not.toBe(input.metadata);
  });

  it('works for the widget of the sandbox conformance suite', () => {
    const widgetSchema: JsonSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          required: ['size'],
          properties: {
            size: { type: 'integer', minimum: 1 },
            color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
        status: { type: 'object', properties: { phase: { type: 'string' } } },
      },
    };
    const widget = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec,
    });
    expect(
      validateCustomResource(widget({ size: 2, free: { any: { thing: 1 } } }), widgetSchema, strict).object[
        'spec'
      ],
    ).toEqual({
      size: 2,
      color: 'red',
      free: { any: { thing: 1 } },
    });
    expect(
      validateCustomResource(widget({ size: 1, bogus: true }), widgetSchema, strict).unknownFields,
    ).toEqual(['spec.bogus']);
    expect(
      validateCustomResource(widget({ size: 'big', color: 'green' }), widgetSchema, strict).causes.map(
        (c) => c.field,
      ),
    ).toEqual(['spec.size', 'spec.color']);
    expect(validateCustomResource(widget({}), widgetSchema, strict).causes).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.size', message: 'Required value' },
    ]);
  });
});

describe('validateCustomResource properties', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  const anySpec = fc.dictionary(
    fc.oneof(
      fc.constantFrom('type', 'status', 'severity', 'involvedObject', 'labels', 'details', 'port', 'steps'),
      fc.string(),
    ),
    json,
  );
  const steps = fc.array(fc.dictionary(fc.constantFrom('name', 'retries', 'other'), json), { maxLength: 3 });
  const objects = fc
    .record({ spec: anySpec, steps, status: fc.option(fc.dictionary(fc.string(), json), { nil: undefined }) })
    .map(({ spec, steps: list, status }) =>
      alert(
        { ...spec, steps: list },
        status === undefined ? {} : { status, [`x-${Object.keys(spec).length}`]: 1 },
      ),
    );

  it('admitting an admitted object again finds no unknown fields and changes nothing', () => {
    fc.assert(
      fc.property(objects, (object) => {
        const first = validateCustomResource(object, alertSchema, strict);
        const second = validateCustomResource(first.object, alertSchema, strict);
        expect(second.unknownFields).toEqual([]);
        expect(second.object).toEqual(first.object);
        expect(second.causes).toEqual(first.causes);
      }),
    );
  });

  it('never modifies its input', () => {
    fc.assert(
      fc.property(objects, (object) => {
        const before = structuredClone(object);
        validateCustomResource(object, alertSchema, strict);
        expect(object).toEqual(before);
      }),
    );
  });

  it('reports nothing unknown and keeps everything when the whole object preserves unknown fields', () => {
    const preserving: JsonSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    fc.assert(
      fc.property(objects, (object) => {
        const result = validateCustomResource(object, preserving, strict);
        expect(result.unknownFields).toEqual([]);
        expect(result.causes).toEqual([]);
        expect(result.object).toEqual(object);
      }),
    );
  });
});
