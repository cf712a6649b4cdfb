import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LabelSelectorError,
  formatLabelSelector,
  isValidLabelKey,
  isValidLabelValue,
  labelSelectorFromObject,
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from './label-selector.js';

const matches = (selector: string, labels?: Record<string, string>): boolean =>
  matchesLabelSelector(parseLabelSelector(selector), labels);

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    expect(parseLabelSelector('a=1,b==2,c!=3,d in (x,y),e notin (z),f,!g')).toEqual([
      { key: 'a', operator: 'Equals', values: ['1'] },
      { key: 'b', operator: 'Equals', values: ['2'] },
      { key: 'c', operator: 'NotEquals', values: ['3'] },
      { key: 'd', operator: 'In', values: ['x', 'y'] },
      { key: 'e', operator: 'NotIn', values: ['z'] },
      { key: 'f', operator: 'Exists', values: [] },
      { key: 'g', operator: 'DoesNotExist', values: [] },
    ]);
  });

  it('treats the empty and blank string as everything', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('   ')).toEqual([]);
    expect(matches('', undefined)).toBe(true);
  });

  it('tolerates whitespace everywhere between tokens', () => {
    expect(parseLabelSelector('  app = web ,  tier in(a , b) , ! gone ,env notin ( x )  ')).toEqual([
      { key: 'app', operator: 'Equals', values: ['web'] },
      { key: 'tier', operator: 'In', values: ['a', 'b'] },
      { key: 'gone', operator: 'DoesNotExist', values: [] },
      { key: 'env', operator: 'NotIn', values: ['x'] },
    ]);
  });

  it('accepts prefixed keys and empty values', () => {
    expect(parseLabelSelector('kubernetes.io/hostname=node-1,team=')).toEqual([
      { key: 'kubernetes.io/hostname', operator: 'Equals', values: ['node-1'] },
      { key: 'team', operator: 'Equals', values: [''] },
    ]);
    expect(parseLabelSelector('k in (a,)')).toEqual([{ key: 'k', operator: 'In', values: ['a', ''] }]);
    expect(parseLabelSelector('k notin ()')).toEqual([{ key: 'k', operator: 'NotIn', values: [''] }]);
  });

  it('reports syntax errors with the position', () => {
    expect(() => parseLabelSelector('a b')).toThrow(
      `unable to parse label selector "a b": found 'b' at position 2, expected: '=', '==', '!=', 'in', 'notin', ',' or end of string`,
    );
    expect(() => parseLabelSelector('a=b,')).toThrow(
      'found end of string at position 4, expected: a label key',
    );
    expect(() => parseLabelSelector('k in a')).toThrow("found 'a' at position 5, expected: '('");
    expect(() => parseLabelSelector('k in (a')).toThrow("expected: ',' or ')'");
    expect(() => parseLabelSelector('k>1')).toThrow("found '>' at position 1");
    expect(() => parseLabelSelector('a=b c')).toThrow(
      "found 'c' at position 4, expected: ',' or end of string",
    );
    expect(() => parseLabelSelector('a=b=c')).toThrow(LabelSelectorError);
  });

  it('validates keys and values', () => {
    expect(() => parseLabelSelector('a%b=c')).toThrow(
      /^unable to parse requirement: invalid label key "a%b" at position 0: name part must consist of/,
    );
    expect(() => parseLabelSelector('Bad_Prefix/x')).toThrow('invalid label key "Bad_Prefix/x"');
    expect(() => parseLabelSelector(`${'k'.repeat(64)}`)).toThrow(
      'name part must be no more than 63 characters',
    );
    expect(() => parseLabelSelector('app=-web')).toThrow(
      /^unable to parse requirement: invalid label value "-web" for key "app" at position 4/,
    );
    expect(() => parseLabelSelector(`app in (ok,${'v'.repeat(64)})`)).toThrow(
      'must be no more than 63 characters',
    );
  });
});

describe('key and value validation', () => {
  it('accepts valid keys', () => {
    for (const key of [
      'a',
      'A-b_c.d',
      'example.com/name',
      'a.b-c.d/X',
      `${'p'.repeat(253)}/${'n'.repeat(63)}`,
    ]) {
      expect(isValidLabelKey(key), key).toBe(true);
    }
  });
  it('rejects invalid keys', () => {
    for (const key of [
      '',
      '-a',
      'a-',
      '/a',
      'a/',
      'a/b/c',
      'UPPER.com/a',
      `${'p'.repeat(254)}/n`,
      'a b',
      '.a',
    ]) {
      expect(isValidLabelKey(key), key).toBe(false);
    }
  });
  it('checks values', () => {
    expect(isValidLabelValue('')).toBe(true);
    expect(isValidLabelValue('v1.2_3-x')).toBe(true);
    expect(isValidLabelValue('v'.repeat(63))).toBe(true);
    expect(isValidLabelValue('v'.repeat(64))).toBe(false);
    expect(isValidLabelValue('a/b')).toBe(false);
    expect(isValidLabelValue('_a')).toBe(false);
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'web', tier: 'front', empty: '' };
  it('matches equality operators', () => {
    expect(matches('app=web', labels)).toBe(true);
    expect(matches('app==web', labels)).toBe(true);
    expect(matches('app=db', labels)).toBe(false);
    expect(matches('app!=db', labels)).toBe(true);
    expect(matches('app!=web', labels)).toBe(false);
    expect(matches('empty=', labels)).toBe(true);
  });
  it('matches set operators', () => {
    expect(matches('tier in (front,back)', labels)).toBe(true);
    expect(matches('tier in (back)', labels)).toBe(false);
    expect(matches('tier notin (back)', labels)).toBe(true);
    expect(matches('tier notin (front)', labels)).toBe(false);
    expect(matches('app,!missing', labels)).toBe(true);
    expect(matches('!app', labels)).toBe(false);
    expect(matches('empty', labels)).toBe(true);
  });
  it('handles a missing key like the API server', () => {
    expect(matches('zone!=a', labels)).toBe(true);
    expect(matches('zone notin (a)', labels)).toBe(true);
    expect(matches('zone=a', labels)).toBe(false);
    expect(matches('zone in (a)', labels)).toBe(false);
    expect(matches('zone', labels)).toBe(false);
    expect(matches('!zone', undefined)).toBe(true);
    expect(matches('zone!=a', undefined)).toBe(true);
    expect(matches('constructor', {})).toBe(false);
  });
  it('ANDs requirements', () => {
    expect(matches('app=web,tier=front', labels)).toBe(true);
    expect(matches('app=web,tier=back', labels)).toBe(false);
  });
});

describe('labelSelectorFromObject', () => {
  it('selects everything when empty', () => {
    expect(labelSelectorFromObject(undefined)).toEqual([]);
    expect(labelSelectorFromObject(null)).toEqual([]);
    expect(labelSelectorFromObject({})).toEqual([]);
  });
  it('converts matchLabels and matchExpressions', () => {
    const requirements = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
        { key: 'zone', operator: 'NotIn', values: ['a'] },
        { key: 'gpu', operator: 'Exists' },
        { key: 'cordoned', operator: 'DoesNotExist', values: [] },
      ],
    });
    expect(requirements.map((r) => r.operator)).toEqual(['Equals', 'In', 'NotIn', 'Exists', 'DoesNotExist']);
    expect(matchesLabelSelector(requirements, { app: 'web', tier: 'back', gpu: 'true' })).toBe(true);
    expect(matchesLabelSelector(requirements, { app: 'web', tier: 'back', gpu: 'true', zone: 'a' })).toBe(
      false,
    );
  });
  it('names the field path in errors', () => {
    const bad = (matchExpressions: { key: string; operator: string; values?: string[] }[]) => () =>
      labelSelectorFromObject({ matchExpressions: [{ key: 'ok', operator: 'Exists' }, ...matchExpressions] });
    expect(bad([{ key: 'a', operator: 'Equals', values: ['x'] }])).toThrow(
      'matchExpressions[1].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    );
    expect(bad([{ key: 'a', operator: 'In' }])).toThrow('matchExpressions[1].values: Required value');
    expect(bad([{ key: 'a', operator: 'NotIn', values: [] }])).toThrow(
      'matchExpressions[1].values: Required value',
    );
    expect(bad([{ key: 'a', operator: 'Exists', values: ['x'] }])).toThrow(
      'matchExpressions[1].values: Forbidden',
    );
    expect(bad([{ key: 'a b', operator: 'Exists' }])).toThrow(
      'matchExpressions[1].key: Invalid value: "a b": name part',
    );
    expect(bad([{ key: 'a', operator: 'In', values: ['x y'] }])).toThrow(
      'matchExpressions[1].values[0]: Invalid value',
    );
    expect(() => labelSelectorFromObject({ matchLabels: { 'a/b/c': 'x' } })).toThrow(
      'matchLabels: Invalid value: "a/b/c"',
    );
    expect(() => labelSelectorFromObject({ matchLabels: { a: 'x y' } })).toThrow(
      'matchLabels.a: Invalid value: "x y"',
    );
  });
});

describe('format and parse round trip', () => {
  const alnum = fc.constantFrom(...'abcXYZ019');
  const inner = fc.constantFrom(...'ab9-_.');
  const name = fc
    .tuple(alnum, fc.array(inner, { maxLength: 8 }), fc.option(alnum, { nil: undefined }))
    .map(([first, middle, last]) => (last === undefined ? first : `${first}${middle.join('')}${last}`));
  const value = fc.oneof(fc.constant(''), name);
  const prefix = fc.constantFrom('example.com', 'aegis.io', 'a-b.c9');
  const key = fc
    .tuple(fc.option(prefix, { nil: undefined }), name)
    .map(([p, n]) => (p === undefined ? n : `${p}/${n}`));
  const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
    fc.record({
      key,
      operator: fc.constantFrom('Equals' as const, 'NotEquals' as const),
      values: value.map((v) => [v]),
    }),
    fc.record({
      key,
      operator: fc.constantFrom('In' as const, 'NotIn' as const),
      values: fc.uniqueArray(value, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      key,
      operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
      values: fc.constant<string[]>([]),
    }),
  );
  const labels = fc.dictionary(key, value, { maxKeys: 6 });

  it('formatting then parsing keeps the requirements and the matches', () => {
    fc.assert(
      fc.property(
        fc.array(requirement, { maxLength: 5 }),
        fc.array(labels, { maxLength: 5 }),
        (reqs, labelSets) => {
          const parsed = parseLabelSelector(formatLabelSelector(reqs));
          expect(parsed).toEqual(reqs);
          for (const set of labelSets) {
            // Also try label sets built from the requirements, so matches are not always false.
            const derived = Object.fromEntries(reqs.map((r) => [r.key, r.values[0] ?? '']));
            for (const candidate of [set, derived, { ...set, ...derived }]) {
              expect(matchesLabelSelector(parsed, candidate)).toBe(matchesLabelSelector(reqs, candidate));
            }
          }
        },
      ),
    );
  });
});
