import { describe, expect, it } from 'vitest';
import type { JsonSchemaProps } from '../types.js';
import { applyDefaults } from './apply-defaults.js';

const schema: JsonSchemaProps = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string', default: 'never' } } },
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: { type: 'integer', default: 1 },
        color: { type: 'string', default: 'red' },
        note: { type: 'string', nullable: true, default: 'n' },
        plain: { type: 'string' },
        retry: {
          type: 'object',
          default: { limit: 3 },
          properties: { limit: { type: 'integer' }, backoff: { type: 'string', default: '10s' } },
        },
        steps: {
          type: 'array',
          items: {
            type: 'object',
            default: { name: 'step' },
            properties: { name: { type: 'string' }, timeout: { type: 'integer', default: 60 } },
          },
        },
        limits: { type: 'object', additionalProperties: { type: 'string', default: '1' } },
        tags: { type: 'array', default: ['a'], items: { type: 'string' } },
      },
    },
  },
};

describe('applyDefaults', () => {
  it('fills missing fields, recursing into defaulted objects', () => {
    expect(applyDefaults({ metadata: { name: 'x' } }, schema, { resourceRoot: true })).toEqual({
      metadata: { name: 'x' },
      spec: { replicas: 1, color: 'red', note: 'n', retry: { limit: 3, backoff: '10s' }, tags: ['a'] },
    });
  });

  it('keeps values that are set, including falsy ones', () => {
    const value = { spec: { replicas: 0, color: '', tags: [], retry: { limit: 0, backoff: '1s' } } };
    expect(applyDefaults(value, schema)).toEqual({
      spec: { replicas: 0, color: '', note: 'n', tags: [], retry: { limit: 0, backoff: '1s' } },
    });
  });

  it('defaults items of arrays of objects, and null items when the item schema has a default', () => {
    expect(
      applyDefaults({ spec: { steps: [{ name: 'a' }, null, { name: 'c', timeout: 5 }] } }, schema),
    ).toMatchObject({
      spec: {
        steps: [
          { name: 'a', timeout: 60 },
          { name: 'step', timeout: 60 },
          { name: 'c', timeout: 5 },
        ],
      },
    });
  });

  it('replaces a null that is not nullable by the default, keeps a nullable null, and drops other nulls', () => {
    const result = applyDefaults({ spec: { replicas: null, note: null, plain: null } }, schema) as {
      spec: Record<string, unknown>;
    };
    expect(result.spec['replicas']).toBe(1);
    expect(result.spec['note']).toBeNull();
    expect(result.spec).not.toHaveProperty('plain');
  });

  it('defaults null values of additionalProperties maps', () => {
    const result = applyDefaults({ spec: { limits: { cpu: null, gpu: '8' } } }, schema) as {
      spec: { limits: unknown };
    };
    expect(result.spec.limits).toEqual({ cpu: '1', gpu: '8' });
  });

  it('never defaults the root metadata', () => {
    expect(applyDefaults({ metadata: {} }, schema, { resourceRoot: true })).toMatchObject({ metadata: {} });
  });

  it('hands out copies of defaults, never the schema objects themselves', () => {
    const first = applyDefaults({}, schema) as { spec: { retry: { limit: number } } };
    first.spec.retry.limit = 99;
    const second = applyDefaults({}, schema) as { spec: { retry: { limit: number } } };
    expect(second.spec.retry.limit).toBe(3);
  });

  it('leaves the input untouched', () => {
    const input = { spec: { steps: [{ name: 'a' }] } };
    const before = structuredClone(input);
    applyDefaults(input, schema);
    expect(input).toEqual(before);
  });
});
