import { describe, expect, it } from 'vitest';
import { compileLinearPattern } from './index.js';

describe('compileLinearPattern', () => {
  it('compiles RE2 syntax: flag groups, named groups (both spellings), classes', () => {
    for (const source of ['(?i)gpu.*', '(?P<node>dev[0-9]+)', '(?<node>dev[0-9]+)', '[[:alpha:]]+', 'a{2,5}'])
      expect(compileLinearPattern(source).ok, source).toBe(true);
  });

  it('anchors when asked, so a type pattern does not match a longer type', () => {
    const compiled = compileLinearPattern('NodeCritical.*', { anchored: true });
    expect(compiled.ok && compiled.pattern.test('NodeCriticalIssue')).toBe(true);
    expect(compiled.ok && compiled.pattern.test('xNodeCriticalIssue')).toBe(false);
    const alternation = compileLinearPattern('A|B', { anchored: true });
    expect(alternation.ok && alternation.pattern.test('AB')).toBe(false);
  });

  it('refuses back-references, look-arounds and possessive quantifiers, saying why', () => {
    for (const [source, feature] of [
      ['(a)\\1', 'back-references'],
      ['a(?=b)', 'look-arounds'],
      ['(?<!a)b', 'look-arounds'],
      ['a++', 'possessive quantifiers'],
    ] as const) {
      const compiled = compileLinearPattern(source);
      expect(compiled.ok, source).toBe(false);
      expect(!compiled.ok && compiled.message, source).toContain(feature);
      expect(!compiled.ok && compiled.message, source).toContain('linear time');
    }
    const invalid = compileLinearPattern('Node(Issue');
    expect(!invalid.ok && invalid.message).toBe(
      'is not a valid regular expression (RE2 syntax): missing closing ): `Node(Issue`',
    );
    expect(compileLinearPattern('a'.repeat(5000))).toEqual({
      ok: false,
      message: 'is 5000 characters long (at most 4096)',
    });
  });

  it('replaces every non-empty match, with its groups, case-insensitively when asked', () => {
    const compiled = compileLinearPattern('key-([0-9]+)(x)?', { caseInsensitive: true });
    if (!compiled.ok) throw new Error(compiled.message);
    expect(
      compiled.pattern.replaceAll('a KEY-12 b key-3x', (match, groups) => `<${match}|${groups.join(',')}>`),
    ).toBe('a <KEY-12|12,> b <key-3x|3,x>');
    const empty = compileLinearPattern('x*');
    expect(empty.ok && empty.pattern.replaceAll('abxxc', () => '_')).toBe('ab_c');
  });
});
