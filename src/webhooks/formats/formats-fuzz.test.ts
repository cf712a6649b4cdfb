/**
 * Random and malformed bodies never make a parser throw: every input gives a ConversionResult whose entries
 * are well-formed (accepted alerts are complete, refusals have a path and a reason).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlertmanagerPayload } from './alertmanager-format.js';
import type { ConversionResult } from './conversion-result.js';
import { parseCustomPayload } from './custom-format.js';
import { recogniseKnownFormat } from './recognise-format.js';

const nastyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'type',
  'Type',
  'status',
  'involvedObject',
  'InvolvedObject',
  'kind',
  'name',
  'namespace',
  'node',
  'details',
  'fingerprint',
  'startsAt',
  'alerts',
  'labels',
  'annotations',
  'alertname',
  'pod',
  'instance',
  'job',
  'involved_object_name',
  'involved_object_kind',
  'description',
  '',
);
const nastyString = fc.oneof(
  fc.string(),
  fc.constantFrom('Firing', 'resolved', 'Pod', 'Node', '0001-01-01T00:00:00Z', '2026-03-05T10:00:00Z', ''),
  fc.string({ unit: 'grapheme' }),
);
const key = fc.oneof(nastyKey, fc.string());

/** JSON values biased towards the keys the parsers look at. */
const { value: jsonish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
}));

function wellFormed(result: ConversionResult): void {
  expect(Array.isArray(result.accepted)).toBe(true);
  expect(Array.isArray(result.refused)).toBe(true);
  for (const { index, alert } of result.accepted) {
    expect(Number.isInteger(index)).toBe(true);
    expect(alert.type).not.toBe('');
    expect(alert.involvedObject.name).not.toBe('');
    expect(alert.fingerprint).not.toBe('');
    expect(['Firing', 'Resolved']).toContain(alert.status);
    for (const value of Object.values(alert.details)) expect(typeof value).toBe('string');
  }
  for (const refusal of result.refused) {
    expect(typeof refusal.path).toBe('string');
    expect(refusal.reason.length).toBeGreaterThan(0);
    expect(refusal.reason.length).toBeLessThan(400);
  }
}

function parseAll(body: unknown): void {
  wellFormed(parseAlertmanagerPayload(body));
  wellFormed(parseCustomPayload(body));
  recogniseKnownFormat(body);
}

/** JSON.parse of a serialised value, so `__proto__` keys become own properties as in a real request body. */
function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

describe('parsers never throw', () => {
  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => parseAll(value)),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary JavaScript values (including non-JSON ones)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withMap: true, withSet: true, withDate: true, withNullPrototype: true }),
        (value) => parseAll(value),
      ),
      { numRuns: 500 },
    );
  });

  it('on values shaped like the formats, with prototype-pollution keys', () => {
    fc.assert(
      fc.property(jsonish, (value) => {
        parseAll(value);
        parseAll(roundTrip(value));
        parseAll({ alerts: [value] });
        parseAll(roundTrip({ alerts: [value, { labels: value, status: 'firing' }] }));
        parseAll([value]);
        parseAll({ type: 'T', status: 'Firing', involvedObject: value, details: value, fingerprint: value });
      }),
      { numRuns: 1000 },
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('on prototype-pollution payloads, without polluting', () => {
    const bodies = [
      '{"__proto__":{"polluted":"yes"},"alerts":[{"__proto__":{"status":"firing"},"labels":{"__proto__":{"alertname":"x"}}}]}',
      '{"constructor":{"prototype":{"polluted":"yes"}},"type":"T","status":"Firing","involvedObject":{"name":"n"},"details":{"__proto__":{"polluted":"yes"}}}',
      '[{"__proto__":[]},{"type":{"__proto__":"x"}}]',
      '{"alerts":[{"status":"firing","labels":{"alertname":"A","node":"n","__proto__":"x","constructor":"y"}}]}',
    ];
    for (const body of bodies) parseAll(JSON.parse(body) as unknown);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('on deep nesting and huge strings', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level += 1) deep = level % 2 === 0 ? [deep] : { details: deep };
    parseAll(deep);
    parseAll({ alerts: [deep] });
    parseAll({ type: 'T', status: 'Firing', involvedObject: deep, details: deep });
    const huge = 'x'.repeat(5_000_000);
    parseAll(huge);
    parseAll({
      type: huge,
      status: huge,
      involvedObject: { kind: huge, name: huge },
      details: { [huge]: huge },
      fingerprint: huge,
    });
    parseAll({ alerts: [{ status: huge, labels: { alertname: huge, [huge]: huge }, startsAt: huge }] });
    parseAll({ alerts: [{ status: 'firing', labels: { alertname: 'A', pod: huge }, startsAt: huge }] });
    parseAll({
      alerts: Array.from({ length: 2_000 }, (_, index) => ({
        status: 'firing',
        labels: { alertname: `A${index}`, node: 'n' },
      })),
    });
  });
});
