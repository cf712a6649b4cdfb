import { describe, expect, it } from 'vitest';
import { detailsFingerprint, objectFingerprint } from '../../core/alerts/index.js';
import { parseCustomPayload } from './custom-format.js';

const valid = {
  type: 'NodeNotReady',
  status: 'Firing',
  involvedObject: { kind: 'Node', name: 'node1' },
  details: { message: 'an alert from test' },
  fingerprint: 'fp-1',
};

function refusalOf(body: unknown) {
  const result = parseCustomPayload(body);
  expect(result.accepted).toEqual([]);
  expect(result.refused).toHaveLength(1);
  return result.refused[0]!;
}

describe('parseCustomPayload: upstream TestValidate vectors', () => {
  // Upstream's table predates the fingerprint requirement and the no-op kind check; each case is given a
  // fingerprint where the table expects it to be valid, and Cluster kinds are valid now (validateKind is nil).
  const cases: [string, unknown, boolean][] = [
    ['empty type', { type: '' }, false],
    ['status Active', { type: 'NodeNotReady', status: 'Active' }, false],
    ['Node', { ...valid, involvedObject: { kind: 'Node', name: 'node1' } }, true],
    [
      'Node with namespace',
      { ...valid, involvedObject: { kind: 'Node', name: 'node1', namespace: 'kube-system' } },
      true,
    ],
    [
      'Pod with namespace',
      { ...valid, involvedObject: { kind: 'Pod', name: 'node1', namespace: 'kube-system' } },
      true,
    ],
    ['Cluster kind (valid now)', { ...valid, involvedObject: { kind: 'Cluster', name: 'cluster1' } }, true],
    ['no name', { ...valid, involvedObject: { kind: 'Node' } }, false],
    [
      'Pod without namespace',
      { ...valid, involvedObject: { kind: 'Pod', name: 'node1', namespace: '' } },
      false,
    ],
    // Beyond upstream: derived from the type and the object, as `aegis alert send` does.
    ['no fingerprint and no details', { ...valid, fingerprint: '', details: {} }, true],
  ];
  it.each(cases)('%s', (_name, body, ok) => {
    const result = parseCustomPayload(body);
    expect(result.accepted.length === 1).toBe(ok);
    expect(result.refused.length === 1).toBe(!ok);
  });

  it('decodes the TestDecodeAlert alert', () => {
    const { fingerprint: _fingerprint, ...withoutFingerprint } = valid;
    const result = parseCustomPayload(withoutFingerprint);
    expect(result.accepted[0]?.alert).toEqual({
      source: 'Default',
      type: 'NodeNotReady',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'node1' },
      details: { message: 'an alert from test' },
      fingerprint: detailsFingerprint({ message: 'an alert from test' }),
    });
  });
});

describe('parseCustomPayload: conversion rules', () => {
  it('converts one alert, keeping optional fields only when given', () => {
    const result = parseCustomPayload({
      ...valid,
      details: { severity: 'critical' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'ns', node: 'n1' },
      startsAt: '2026-03-05T10:00:00+02:00',
    });
    expect(result).toEqual({
      accepted: [
        {
          index: 0,
          alert: {
            source: 'Default',
            type: 'NodeNotReady',
            status: 'Firing',
            involvedObject: { kind: 'Pod', name: 'p', namespace: 'ns', node: 'n1' },
            details: { severity: 'critical' },
            fingerprint: 'fp-1',
            severity: 'critical',
            startsAt: '2026-03-05T10:00:00+02:00',
          },
        },
      ],
      refused: [],
    });
  });

  it('reads field names in any case at every level, as Go encoding/json', () => {
    const result = parseCustomPayload({
      Type: 'NodeNotReady',
      STATUS: 'Firing',
      involvedobject: { Kind: 'Node', NAME: 'node1', NameSpace: 'x', NoDe: 'n' },
      Details: { Message: 'kept verbatim' },
      FingerPrint: 'fp',
      StartsAT: '2026-03-05T10:00:00Z',
    });
    expect(result.accepted[0]?.alert).toMatchObject({
      type: 'NodeNotReady',
      involvedObject: { kind: 'Node', name: 'node1', namespace: 'x', node: 'n' },
      details: { Message: 'kept verbatim' },
      fingerprint: 'fp',
      startsAt: '2026-03-05T10:00:00Z',
    });
  });

  it('lets the last of several keys for one field win, and folds the Kelvin sign like Go', () => {
    const body = JSON.parse(
      '{"type":"A","TYPE":"B","status":"Firing","involvedObject":{"\u212aind":"Node","name":"n"},"fingerprint":"f"}',
    ) as unknown;
    expect(parseCustomPayload(body).accepted[0]?.alert).toMatchObject({
      type: 'B',
      involvedObject: { kind: 'Node' },
    });
  });

  it('accepts the status in any case and normalises it', () => {
    for (const [given, expected] of [
      ['firing', 'Firing'],
      ['FIRING', 'Firing'],
      ['resolved', 'Resolved'],
      ['Resolved', 'Resolved'],
    ] as const) {
      expect(parseCustomPayload({ ...valid, status: given }).accepted[0]?.alert.status).toBe(expected);
    }
    expect(refusalOf({ ...valid, status: 'Active' })).toEqual({
      index: 0,
      path: 'status',
      reason: 'must be "Firing" or "Resolved", not "Active"',
    });
    expect(refusalOf({ ...valid, status: null })).toMatchObject({ path: 'status', reason: 'is required' });
  });

  it('normalises the well-known kinds and keeps others verbatim', () => {
    expect(
      parseCustomPayload({ ...valid, involvedObject: { kind: 'node', name: 'n' } }).accepted[0]?.alert
        .involvedObject.kind,
    ).toBe('Node');
    expect(refusalOf({ ...valid, involvedObject: { kind: 'pod', name: 'p' } })).toMatchObject({
      path: 'involvedObject.namespace',
      reason: 'is required for a Pod',
    });
    expect(
      parseCustomPayload({ ...valid, involvedObject: { kind: 'PytorchJob', name: 'j' } }).accepted[0]?.alert
        .involvedObject.kind,
    ).toBe('PytorchJob');
    expect(
      parseCustomPayload({ ...valid, involvedObject: { name: 'x' } }).accepted[0]?.alert.involvedObject,
    ).toEqual({ kind: '', name: 'x' });
  });

  it('computes an empty fingerprint from the details, else from the type and object as the CLI does', () => {
    const details = { node: 'dev1', alertname: 'NodeHasEmergencyEvent', empty: '' };
    expect(parseCustomPayload({ ...valid, details, fingerprint: '' }).accepted[0]?.alert.fingerprint).toBe(
      detailsFingerprint(details),
    );
    const minimal = { type: 'NodeDown', status: 'Firing', involvedObject: { kind: 'Node', name: 'dev1' } };
    const expected = objectFingerprint({ type: 'NodeDown', kind: 'Node', name: 'dev1' });
    expect(expected).toMatch(/^obj-[0-9a-f]{16}$/);
    expect(parseCustomPayload(minimal).accepted[0]?.alert).toMatchObject({
      fingerprint: expected,
      details: {},
    });
    expect(
      parseCustomPayload({ ...minimal, details: { a: '' }, fingerprint: null }).accepted[0]?.alert
        .fingerprint,
    ).toBe(expected);
    const other = parseCustomPayload({ ...minimal, involvedObject: { kind: 'Node', name: 'dev2' } });
    expect(other.accepted[0]?.alert.fingerprint).not.toBe(expected);
  });

  it('turns numbers, booleans and null detail values into strings; refuses objects with their path', () => {
    expect(
      parseCustomPayload({ ...valid, details: { gpu: 3, healthy: false, ratio: 0.5, none: null } })
        .accepted[0]?.alert.details,
    ).toEqual({ gpu: '3', healthy: 'false', ratio: '0.5', none: '' });
    expect(refusalOf({ ...valid, details: { nested: { a: 1 } } })).toEqual({
      index: 0,
      path: 'details.nested',
      reason: 'must be a string, number or boolean, not an object',
    });
    expect(refusalOf([{ ...valid, details: { 'a.b': ['x'] } }])).toMatchObject({
      path: '[0].details["a.b"]',
      reason: 'must be a string, number or boolean, not an array',
    });
  });

  it('refuses wrong types and empty required fields with the path', () => {
    expect(refusalOf({ ...valid, type: 42 })).toEqual({
      index: 0,
      path: 'type',
      reason: 'must be a string, not a number',
    });
    expect(refusalOf({ ...valid, type: undefined })).toMatchObject({ path: 'type', reason: 'is required' });
    expect(refusalOf({ ...valid, involvedObject: 'node1' })).toMatchObject({
      path: 'involvedObject',
      reason: 'must be an object, not a string',
    });
    expect(refusalOf({ ...valid, involvedObject: undefined })).toMatchObject({
      path: 'involvedObject',
      reason: 'is required',
    });
    expect(refusalOf({ ...valid, involvedObject: { kind: 'Node', name: '' } })).toMatchObject({
      path: 'involvedObject.name',
      reason: 'must not be empty',
    });
    expect(refusalOf({ ...valid, details: 'x' })).toMatchObject({ path: 'details' });
  });

  it('validates startsAt as RFC 3339, treating Go zero time and empty as absent', () => {
    expect(refusalOf({ ...valid, startsAt: 'yesterday' })).toMatchObject({ path: 'startsAt' });
    expect(refusalOf({ ...valid, startsAt: '2026-03-05 10:00:00' })).toMatchObject({ path: 'startsAt' });
    expect(refusalOf({ ...valid, startsAt: '2026-13-05T10:00:00Z' })).toMatchObject({ path: 'startsAt' });
    expect(
      parseCustomPayload({ ...valid, startsAt: '0001-01-01T00:00:00Z' }).accepted[0]?.alert,
    ).not.toHaveProperty('startsAt');
    expect(parseCustomPayload({ ...valid, startsAt: '' }).accepted[0]?.alert).not.toHaveProperty('startsAt');
    expect(
      parseCustomPayload({ ...valid, startsAt: '2026-03-05T10:00:00.123456Z' }).accepted[0]?.alert.startsAt,
    ).toBe('2026-03-05T10:00:00.123456Z');
  });

  it('takes an array: one bad alert does not drop the others, paths carry the index', () => {
    const result = parseCustomPayload([valid, { ...valid, involvedObject: { kind: 'Node' } }, 7, valid]);
    expect(result.accepted.map((accepted) => accepted.index)).toEqual([0, 3]);
    expect(result.refused).toEqual([
      { index: 1, path: '[1].involvedObject.name', reason: 'is required' },
      { index: 2, path: '[2]', reason: 'must be an alert object, not a number' },
    ]);
    expect(parseCustomPayload([])).toEqual({ accepted: [], refused: [] });
  });

  it('refuses a body that is neither an object nor an array with path ""', () => {
    for (const body of [null, 'text', 3, true, undefined]) {
      expect(refusalOf(body)).toMatchObject({ index: 0, path: '' });
    }
  });

  it('uses the source given by the caller', () => {
    expect(parseCustomPayload(valid, { source: 'AI' }).accepted[0]?.alert.source).toBe('AI');
  });

  it('ignores unknown keys and prototype keys, and never pollutes prototypes', () => {
    const body = JSON.parse(
      '{"__proto__":{"polluted":"yes"},"constructor":{"x":1},"extra":1,"type":"T","status":"Firing",' +
        '"involvedObject":{"__proto__":{"kind":"Pod"},"name":"n"},"details":{"__proto__":"x","constructor":"c"},"fingerprint":"f"}',
    ) as unknown;
    const result = parseCustomPayload(body);
    expect(result.accepted[0]?.alert.involvedObject).toEqual({ kind: '', name: 'n' });
    expect(result.accepted[0]?.alert.details['constructor']).toBe('c');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('cuts long values echoed in reasons', () => {
    const reason = refusalOf({ ...valid, status: 'x'.repeat(10_000) }).reason;
    expect(reason.length).toBeLessThan(120);
  });
});
