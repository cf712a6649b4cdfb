import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidLabelKey, isValidLabelValue } from '../label-selector.js';
import type { Alert } from './alert.js';
import {
  aegisAlertLabels,
  fingerprintLabelSelector,
  fingerprintLabelValue,
  labelsFromDetails,
  sanitiseLabelValue,
} from './alert-labels.js';

const nodeAlert: Alert = {
  source: 'Default',
  type: 'NodeHasEmergencyEvent',
  status: 'Firing',
  involvedObject: { kind: 'Node', name: 'dev1' },
  details: { node: 'dev1', severity: 'critical', alertname: 'NodeHasEmergencyEvent' },
  fingerprint: '5f972974ccf1ee9b',
};

describe('labelsFromDetails', () => {
  it("keeps values matching upstream's regex (TestRegexpLabelValue vectors)", () => {
    expect(labelsFromDetails({ fs: 'xfs', path: '/app', under: '_aaa', cluster2: 'A集群B' })).toEqual({
      fs: 'xfs',
    });
  });

  it("drops upstream's filtered keys and keeps node", () => {
    const details = Object.fromEntries(
      [
        'alertname',
        'pod',
        'namespace',
        'instance',
        'cluster',
        'description',
        'container',
        'endpoint',
        'env',
        'job',
        'prometheus',
        'service',
        'node',
      ].map((key) => [key, 'value1']),
    );
    expect(labelsFromDetails(details)).toEqual({ node: 'value1' });
  });

  it('drops values upstream drops (single character, empty) and values Kubernetes refuses (> 63)', () => {
    expect(labelsFromDetails({ a: 'x', b: '', c: 'y'.repeat(64), d: 'y'.repeat(63) })).toEqual({
      d: 'y'.repeat(63),
    });
  });

  it('drops keys that are not valid label keys, keeps prefixed ones', () => {
    expect(
      labelsFromDetails({
        'bad key': 'ok1',
        'a/b/c': 'ok2',
        'Example.com/gpu': 'ok3',
        'example.com/gpu': 'ok4',
        ['k'.repeat(64)]: 'ok5',
        'nvidia.com/gpu.product': 'A100-SXM4-80GB',
        __proto__: 'ok6',
      }),
    ).toEqual({ 'example.com/gpu': 'ok4', 'nvidia.com/gpu.product': 'A100-SXM4-80GB' });
  });
});

describe('sanitiseLabelValue', () => {
  it('keeps valid values', () => {
    expect(sanitiseLabelValue('NodeHasEmergencyEvent')).toBe('NodeHasEmergencyEvent');
    expect(sanitiseLabelValue('')).toBe('');
  });

  it('replaces invalid characters and appends a hash so distinct texts stay distinct', () => {
    const a = sanitiseLabelValue('Disk full on /data');
    const b = sanitiseLabelValue('Disk full on data');
    expect(a).toMatch(/^Disk-full-on-data-[0-9a-f]{10}$/);
    expect(b).toMatch(/^Disk-full-on-data-[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
    expect(sanitiseLabelValue('集群')).toMatch(/^[0-9a-f]{10}$/);
    const long = sanitiseLabelValue('T'.repeat(200));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(isValidLabelValue(long)).toBe(true);
  });
});

describe('fingerprintLabelValue', () => {
  it('is the fingerprint when it is a valid label value', () => {
    expect(fingerprintLabelValue('5f972974ccf1ee9b')).toBe('5f972974ccf1ee9b');
    expect(fingerprintLabelValue('a'.repeat(63))).toBe('a'.repeat(63));
  });

  it('is a 63-digit sha256 prefix for long or odd fingerprints', () => {
    const long = fingerprintLabelValue('a'.repeat(64));
    expect(long).toMatch(/^[0-9a-f]{63}$/);
    expect(fingerprintLabelValue('a'.repeat(64))).toBe(long);
    expect(fingerprintLabelValue('cluster/node:1')).toMatch(/^[0-9a-f]{63}$/);
    expect(fingerprintLabelValue('')).toMatch(/^[0-9a-f]{63}$/);
  });

  it('gives the selector lookups use', () => {
    expect(fingerprintLabelSelector('5f972974ccf1ee9b')).toBe('fingerprint=5f972974ccf1ee9b');
  });
});

describe('aegisAlertLabels', () => {
  it('adds the system labels after the detail labels', () => {
    expect(aegisAlertLabels(nodeAlert)).toEqual({
      node: 'dev1',
      severity: 'critical',
      'alert-source-type': 'Default',
      'alert-type': 'NodeHasEmergencyEvent',
      'alert-status': 'Firing',
      fingerprint: '5f972974ccf1ee9b',
    });
  });

  it('lets system labels win over details with the same key, and adds uuid when given', () => {
    const labels = aegisAlertLabels(
      { ...nodeAlert, details: { fingerprint: 'other', 'alert-status': 'Resolved' } },
      { uuid: '0b6c2f43-8d52-4a47-9a3f-2f4f0b7f1c11' },
    );
    expect(labels['fingerprint']).toBe('5f972974ccf1ee9b');
    expect(labels['alert-status']).toBe('Firing');
    expect(labels['uuid']).toBe('0b6c2f43-8d52-4a47-9a3f-2f4f0b7f1c11');
  });

  it('sanitises a type that is not a valid label value', () => {
    const labels = aegisAlertLabels({ ...nodeAlert, type: 'GPU Xid 79: fallen off the bus' });
    expect(labels['alert-type']).toMatch(/^GPU-Xid-79-fallen-off-the-bus-[0-9a-f]{10}$/);
  });

  it('property: every produced label key and value is a valid Kubernetes label', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.stringMatching(/^[A-Za-z0-9][-A-Za-z0-9_./]{0,80}$/),
    );
    fc.assert(
      fc.property(
        fc.dictionary(text, text),
        text,
        text,
        text,
        fc.constantFrom('Firing' as const, 'Resolved' as const),
        (details, source, type, fingerprint, status) => {
          const labels = aegisAlertLabels({
            ...nodeAlert,
            source,
            type,
            fingerprint,
            status,
            details,
          });
          for (const [key, value] of Object.entries(labels)) {
            expect(isValidLabelKey(key), `key ${JSON.stringify(key)}`).toBe(true);
            expect(isValidLabelValue(value), `value ${JSON.stringify(value)}`).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
