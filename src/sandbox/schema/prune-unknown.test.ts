import { describe, expect, it } from 'vitest';
import type { JsonSchemaProps } from '../types.js';
import { pruneUnknownFields } from './prune-unknown.js';

const schema: JsonSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer' },
        steps: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        selectors: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { match: { type: 'string' } } },
        },
        anything: { type: 'object', additionalProperties: true },
        free: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { typed: { type: 'object', properties: { keep: { type: 'string' } } } },
        },
        freeList: {
          type: 'array',
          items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
        },
      },
    },
  },
};

const root = (
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', labels: { a: 'b' }, somethingOdd: 1 },
  spec,
  ...extra,
});

describe('pruneUnknownFields', () => {
  it('drops unknown fields and reports their paths', () => {
    const result = pruneUnknownFields(root({ size: 1, bogus: true, other: { deep: 1 } }), schema, {
      resourceRoot: true,
    });
    expect(result.value).toEqual(root({ size: 1 }));
    expect(result.prunedPaths).toEqual(['spec.bogus', 'spec.other']);
  });

  it('never prunes apiVersion, kind or metadata at the resource root, but drops other unknown root fields', () => {
    const result = pruneUnknownFields(root({}, { extra: 1 }), schema, { resourceRoot: true });
    expect(result.value).toEqual(root({}));
    expect(result.prunedPaths).toEqual(['extra']);
  });

  it('prunes inside arrays of objects with indexed paths', () => {
    const result = pruneUnknownFields(root({ steps: [{ name: 'a' }, { name: 'b', image: 'x' }] }), schema, {
      resourceRoot: true,
    });
    expect(result.value).toEqual(root({ steps: [{ name: 'a' }, { name: 'b' }] }));
    expect(result.prunedPaths).toEqual(['spec.steps[1].image']);
  });

  it('keeps every key of an additionalProperties map and prunes inside its values', () => {
    const result = pruneUnknownFields(
      root({
        labels: { team: 'gpu', 'app.kubernetes.io/name': 'x' },
        selectors: { a: { match: 'x', nope: 1 } },
      }),
      schema,
      { resourceRoot: true },
    );
    expect(result.value).toEqual(
      root({ labels: { team: 'gpu', 'app.kubernetes.io/name': 'x' }, selectors: { a: { match: 'x' } } }),
    );
    expect(result.prunedPaths).toEqual(['spec.selectors.a.nope']);
  });

  it('keeps anything under additionalProperties: true', () => {
    const result = pruneUnknownFields(root({ anything: { a: { b: [1, { c: 2 }] } } }), schema, {
      resourceRoot: true,
    });
    expect(result.value).toEqual(root({ anything: { a: { b: [1, { c: 2 }] } } }));
    expect(result.prunedPaths).toEqual([]);
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields, but prunes declared properties again', () => {
    const result = pruneUnknownFields(
      root({
        free: { any: { thing: 1 }, typed: { keep: 'y', drop: 'n' } },
        freeList: [{ x: 1 }, { y: [2] }],
      }),
      schema,
      { resourceRoot: true },
    );
    expect(result.value).toEqual(
      root({ free: { any: { thing: 1 }, typed: { keep: 'y' } }, freeList: [{ x: 1 }, { y: [2] }] }),
    );
    expect(result.prunedPaths).toEqual(['spec.free.typed.drop']);
  });

  it('keeps apiVersion, kind and metadata of embedded resources and prunes the rest', () => {
    const template = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { image: 'i', extra: 1 },
      junk: 2,
    };
    const result = pruneUnknownFields(root({ template }), schema, { resourceRoot: true });
    expect(result.value).toEqual(
      root({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { image: 'i' } } }),
    );
    expect(result.prunedPaths).toEqual(['spec.template.spec.extra', 'spec.template.junk']);
  });

  it('keeps everything when the root preserves unknown fields', () => {
    const value = root({ whatever: [1, 2] }, { status: { anything: true } });
    const result = pruneUnknownFields(
      value,
      { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      {
        resourceRoot: true,
      },
    );
    expect(result.value).toEqual(value);
    expect(result.prunedPaths).toEqual([]);
  });

  it('returns a new value and leaves the input untouched', () => {
    const input = root({ size: 1, bogus: true, steps: [{ name: 'a', x: 1 }] });
    const before = structuredClone(input);
    const result = pruneUnknownFields(input, schema, { resourceRoot: true });
    expect(input).toEqual(before);
    expect(result.value).not.toBe(input);
    (result.value as { metadata: { labels: Record<string, string> } }).metadata.labels['a'] = 'changed';
    expect(input).toEqual(before);
  });

  it('treats keys named like Object.prototype members as ordinary unknown fields', () => {
    const input = JSON.parse('{"spec":{"constructor":1,"__proto__":{"polluted":true},"size":2}}') as unknown;
    const result = pruneUnknownFields(input, schema);
    expect(result.value).toEqual({ spec: { size: 2 } });
    expect(result.prunedPaths).toEqual(['spec.constructor', 'spec.__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
