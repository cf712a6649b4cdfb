import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMeta, entries, envelope, type Fields, type Meta } from './encode-for-tests.js';
import { decodeKubernetesProtobuf } from './index.js';

const decode = (kind: string, raw: Fields) => decodeKubernetesProtobuf(envelope('v1', kind, raw)).object;

const text = fc.string({ maxLength: 12, unit: 'grapheme' });
const key = fc.string({ minLength: 1, maxLength: 8 });
const strings = fc.dictionary(key, text, { maxKeys: 4 });
const binaries = fc.dictionary(key, fc.uint8Array({ maxLength: 16 }), { maxKeys: 4 });
const meta: fc.Arbitrary<Meta> = fc.record(
  { name: text, namespace: text, labels: strings, annotations: strings },
  { requiredKeys: [] },
);

const nonEmpty = <T extends object>(name: string, value: T | undefined): Record<string, T> =>
  value !== undefined && Object.keys(value).length > 0 ? { [name]: value } : {};
const nonBlank = (name: string, value: string | undefined): Record<string, string> =>
  value === undefined || value === '' ? {} : { [name]: value };

/** The JSON the decoder should produce: empty strings and empty maps left out. */
const expectedMeta = (m: Meta): Record<string, unknown> => ({
  ...nonBlank('name', m.name),
  ...nonBlank('namespace', m.namespace),
  ...nonEmpty('labels', m.labels),
  ...nonEmpty('annotations', m.annotations),
});

const base64 = (map: Record<string, Uint8Array>): Record<string, string> =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));

describe('encode then decode', () => {
  it('ConfigMaps decode to what was encoded', () => {
    const immutable = fc.option(fc.boolean(), { nil: undefined });
    fc.assert(
      fc.property(meta, strings, binaries, immutable, (m, data, binaryData, frozen) => {
        const raw: Fields = { 1: encodeMeta(m), 2: entries(data), 3: entries(binaryData), 4: frozen };
        expect(decode('ConfigMap', raw)).toEqual({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: expectedMeta(m),
          ...nonEmpty('data', data),
          ...nonEmpty('binaryData', base64(binaryData)),
          ...(frozen === undefined ? {} : { immutable: frozen }),
        });
      }),
    );
  });

  it('Secrets decode to what was encoded', () => {
    fc.assert(
      fc.property(meta, binaries, strings, text, (m, data, stringData, type) => {
        const raw: Fields = { 1: encodeMeta(m), 2: entries(data), 3: type, 4: entries(stringData) };
        expect(decode('Secret', raw)).toEqual({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: expectedMeta(m),
          ...nonEmpty('data', base64(data)),
          ...nonBlank('type', type),
          ...nonEmpty('stringData', stringData),
        });
      }),
    );
  });

  it('int64 values survive the varint encoding', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (seconds) => {
        expect(decode('DeleteOptions', { 1: BigInt(seconds) })['gracePeriodSeconds']).toBe(seconds);
      }),
    );
  });
});
