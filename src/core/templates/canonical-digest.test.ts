import { describe, expect, it } from 'vitest';
import { canonicalJson, workflowDigest } from './canonical-digest.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"e":2,"f":1}]},"b":1}',
    );
  });

  it('digests equal data equally, whatever the key order', () => {
    expect(workflowDigest({ a: 1, b: 2 })).toBe(workflowDigest({ b: 2, a: 1 }));
    expect(workflowDigest({ a: 1 })).not.toBe(workflowDigest({ a: '1' }));
  });
});
