import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeCharacter,
  isRawSafe,
  maxRawValueLength,
  rawValueProblem,
  shellQuote,
  shellQuoteProblem,
} from './shell-safety.js';

describe('rawValueProblem', () => {
  it('accepts names, addresses and paths', () => {
    for (const value of [
      'dev1',
      'gpu-node-01.example.com',
      '10.1.2.3',
      'ns/pod',
      'key=value',
      'a@b',
      '50%',
      'a+b,c',
      'A_Z:9',
    ]) {
      expect(rawValueProblem(value), value).toBeUndefined();
    }
  });

  it('names the first unsafe character', () => {
    expect(rawValueProblem('ab;c d')).toEqual({ kind: 'character', character: ';', index: 2 });
    expect(rawValueProblem('dev1；rm')).toEqual({ kind: 'character', character: '；', index: 4 });
    expect(rawValueProblem('a😀')).toEqual({ kind: 'character', character: '😀', index: 1 });
  });

  it('refuses empty, leading-dash and over-long values', () => {
    expect(rawValueProblem('')).toEqual({ kind: 'empty' });
    expect(rawValueProblem('-rf')).toEqual({ kind: 'leading-dash' });
    expect(rawValueProblem('a'.repeat(maxRawValueLength))).toBeUndefined();
    expect(rawValueProblem('a'.repeat(maxRawValueLength + 1))).toEqual({
      kind: 'too-long',
      length: maxRawValueLength + 1,
    });
  });

  it('property: every accepted value is made of the safe set only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
        if (isRawSafe(value)) expect(value).toMatch(/^[A-Za-z0-9._:/=@%+,][A-Za-z0-9._:/=@%+,-]*$/);
      }),
    );
  });
});

describe('shellQuote', () => {
  it.each([
    ['', "''"],
    ['abc', "'abc'"],
    ["it's", "'it'\\''s'"],
    ["''", "''\\'''\\'''"],
    ['$(x) `y` "z" \\', '\'$(x) `y` "z" \\\''],
  ])('%j → %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });

  it('refuses NUL and bidirectional controls only', () => {
    expect(shellQuoteProblem('a\u0000')).toContain('U+0000');
    expect(shellQuoteProblem('a\u202eb')).toContain('U+202E');
    expect(shellQuoteProblem('a\u2066b')).toContain('U+2066');
    expect(shellQuoteProblem("any 'thing' $(else)\n；\u200b")).toBeUndefined();
  });
});

describe('describeCharacter', () => {
  it.each([
    [';', '";"'],
    [' ', '" " (space)'],
    ['\n', '"\\n" (U+000A, a control character)'],
    ['\u200b', 'U+200B (an invisible zero-width character)'],
    ['\u202e', 'U+202E (a bidirectional-text control character)'],
    ['\u3000', 'U+3000 (whitespace)'],
    ['；', 'U+FF1B "；" (non-ASCII)'],
  ])('%j → %s', (character, description) => {
    expect(describeCharacter(character)).toBe(description);
  });
});
