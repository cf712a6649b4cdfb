import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAegisError } from '../errors.js';
import { compareByCodePoint, detailsFingerprint } from './fingerprint.js';

describe('detailsFingerprint (upstream AI rule)', () => {
  it('hashes key+value+":" over sorted keys, skipping empty values, cut to 63 hex digits', () => {
    // printf 'a1:b2:' | sha256sum
    const full = '7ad15a3697a371a8c7fac4f480d377fffee396d2f128e1d49e38a51aa2594368';
    expect(detailsFingerprint({ b: '2', a: '1', c: '' })).toBe(full.slice(0, 63));
    expect(detailsFingerprint({ b: '2', a: '1', c: '' })).toHaveLength(63);
  });

  it('does not depend on insertion order', () => {
    expect(detailsFingerprint({ node: 'dev1', alertname: 'NodeHasEmergencyEvent' })).toBe(
      detailsFingerprint({ alertname: 'NodeHasEmergencyEvent', node: 'dev1' }),
    );
    expect(detailsFingerprint({ node: 'dev1', alertname: 'NodeHasEmergencyEvent' })).toBe(
      '6c65f14597fe83565729d040d316053f5911b6022fb69d1f1c3f1b3b5409eb2',
    );
  });

  it('throws a clear AegisError when details are empty or all values are empty', () => {
    for (const details of [{}, { a: '' }]) {
      let thrown: unknown;
      try {
        detailsFingerprint(details);
      } catch (error) {
        thrown = error;
      }
      expect(isAegisError(thrown)).toBe(true);
      expect(isAegisError(thrown) && thrown.code).toBe('ALERT_DETAILS_EMPTY');
      expect(String(thrown)).toMatch(/cannot compute a fingerprint/);
    }
  });

  it('sorts keys as Go does (UTF-8 byte order = code point order), not by UTF-16 units', () => {
    const emoji = '\u{1F600}';
    const replacement = '\uFFFD';
    expect([emoji, replacement].sort()).toEqual([emoji, replacement]); // JavaScript's default
    expect([emoji, replacement].sort(compareByCodePoint)).toEqual([replacement, emoji]); // Go's order
    expect(compareByCodePoint('a', 'ab')).toBeLessThan(0);
    expect(compareByCodePoint('b', 'ab')).toBeGreaterThan(0);
    expect(compareByCodePoint('abc', 'abc')).toBe(0);
  });

  it('property: compareByCodePoint orders well-formed strings as their UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (left, right) => {
        expect(Math.sign(compareByCodePoint(left, right))).toBe(
          Math.sign(Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'))),
        );
      }),
      { numRuns: 300 },
    );
  });
});
