import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toOpenApiSchema } from './to-openapi.js';
import type { OpenApiSchema } from './to-openapi.js';

function walk(node: OpenApiSchema, visit: (node: OpenApiSchema, path: string) => void, path = ''): void {
  visit(node, path);
  const properties = node.properties as Record<string, OpenApiSchema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) walk(child, visit, `${path}.${name}`);
  if (node.items !== undefined) walk(node.items as OpenApiSchema, visit, `${path}[]`);
  if (typeof node.additionalProperties === 'object')
    walk(node.additionalProperties as OpenApiSchema, visit, `${path}.*`);
}

describe('toOpenApiSchema', () => {
  const sample = z.object({
    name: z.string().min(1).describe('the name'),
    count: z.int32().min(0).meta({ format: 'int32' }),
    big: z.int().meta({ format: 'int64' }),
    at: z.iso.datetime({ offset: true }),
    labels: z.record(z.string(), z.string()).optional(),
    open: z.looseObject({ known: z.string() }),
    anything: z.record(z.string(), z.unknown()),
    kind: z.literal('Thing'),
    maybe: z.string().nullable().optional(),
    flag: z.boolean().default(false),
  });

  it('keeps types, descriptions, defaults and required fields', () => {
    const schema = toOpenApiSchema(sample);
    const properties = schema.properties as Record<string, OpenApiSchema>;
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['name', 'count', 'big', 'at', 'open', 'anything', 'kind']);
    expect(properties.name).toEqual({ description: 'the name', minLength: 1, type: 'string' });
    expect(properties.count).toEqual({ format: 'int32', minimum: 0, type: 'integer' });
    expect(properties.big).toEqual({ format: 'int64', type: 'integer' });
    expect(properties.at).toEqual({ format: 'date-time', type: 'string' });
    expect(properties.kind).toEqual({ enum: ['Thing'], type: 'string' });
    expect(properties.maybe).toEqual({ nullable: true, type: 'string' });
    expect(properties.flag).toEqual({ default: false, type: 'boolean' });
  });

  it('turns open objects into preserve-unknown-fields and never mixes properties with additionalProperties', () => {
    const schema = toOpenApiSchema(sample);
    const properties = schema.properties as Record<string, OpenApiSchema>;
    expect(properties.labels).toEqual({ additionalProperties: { type: 'string' }, type: 'object' });
    expect(properties.anything).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(properties.open?.['x-kubernetes-preserve-unknown-fields']).toBe(true);
    walk(schema, (node, path) => {
      expect(node, path).not.toHaveProperty('$schema');
      expect(node, path).not.toHaveProperty('anyOf');
      if (node.properties !== undefined) expect(node, path).not.toHaveProperty('additionalProperties');
    });
  });

  it('refuses what a structural schema cannot say, naming the path', () => {
    expect(() => toOpenApiSchema(z.object({ either: z.union([z.string(), z.int()]) }), 'spec')).toThrow(
      /spec\.either: unions/,
    );
    expect(() => toOpenApiSchema(z.object({ free: z.unknown() }), 'spec')).toThrow(
      /spec\.free: .*needs a type/,
    );
  });
});
