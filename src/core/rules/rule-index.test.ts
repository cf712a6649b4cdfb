import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesLabelSelector, labelSelectorFromObject } from '../label-selector.js';
import type { RuleSource } from './compile-rule.js';
import { unmatchedTriggerStatus } from './match-result.js';
import type { MatchResult } from './match-result.js';
import { RuleIndex } from './rule-index.js';

type Condition = { type: string; status: string };

function rule(
  name: string,
  conditions: Condition[],
  selector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  },
  namespace = 'monitoring',
): RuleSource {
  return {
    metadata: { name, namespace },
    spec: {
      alertConditions: conditions,
      opsTemplate: { kind: 'AegisOpsTemplate', name: `${name}-template` },
      ...(selector === undefined ? {} : { selector }),
    },
  };
}

function names(result: MatchResult): string[] {
  if (result.kind === 'none') return [];
  if (result.kind === 'matched') return [result.rule.name];
  return result.rules.map((compiled) => compiled.name);
}

describe('RuleIndex', () => {
  it('matches anchored: NodeCriticalIssue does not match NodeCriticalIssueDisappeared', () => {
    const index = new RuleIndex();
    index.upsert(rule('cordon', [{ type: 'NodeCriticalIssue', status: 'Firing' }]));
    index.upsert(rule('uncordon', [{ type: 'NodeCriticalIssueDisappeared', status: 'Firing' }]));
    index.upsert(rule('helm-style', [{ type: '^NodeCriticalIssue', status: 'Resolved' }]));
    expect(names(index.match({ type: 'NodeCriticalIssue', status: 'Firing' }))).toEqual(['cordon']);
    expect(names(index.match({ type: 'NodeCriticalIssueDisappeared', status: 'Firing' }))).toEqual([
      'uncordon',
    ]);
    expect(names(index.match({ type: 'NodeCriticalIssueDisappeared', status: 'Resolved' }))).toEqual([]);
    expect(names(index.match({ type: 'NodeCriticalIssue', status: 'Resolved' }))).toEqual(['helm-style']);
    expect(names(index.match({ type: 'NodeCriticalIssue', status: 'firing' }))).toEqual([]);
  });

  it('matches explicit patterns, after literals, and reports several matches in key order', () => {
    const index = new RuleIndex();
    index.upsert(rule('z-pattern', [{ type: 'Node.*Issue', status: 'Firing' }]));
    index.upsert(rule('a-literal', [{ type: 'NodeGpuIssue', status: 'Firing' }]));
    const result = index.match({ type: 'NodeGpuIssue', status: 'Firing' });
    expect(result.kind).toBe('many');
    expect(names(result)).toEqual(['a-literal', 'z-pattern']);
    expect(unmatchedTriggerStatus(result)).toBe('TooManyRulesFound');
    const single = index.match({ type: 'NodeDiskIssue', status: 'Firing' });
    expect(single.kind === 'matched' && single.templateRef).toEqual({
      kind: 'AegisOpsTemplate',
      namespace: 'monitoring',
      name: 'z-pattern-template',
    });
    expect(names(index.match({ type: 'NodeDiskIssueX', status: 'Firing' }))).toEqual([]);
    expect(unmatchedTriggerStatus(index.match({ type: 'Other', status: 'Firing' }))).toBe('RuleNotFound');
  });

  it('evaluates the selector against the alert labels', () => {
    const index = new RuleIndex();
    index.upsert(rule('gpu', [{ type: 'NodeDown', status: 'Firing' }], { matchLabels: { pool: 'gpu' } }));
    index.upsert(
      rule('cpu', [{ type: 'NodeDown', status: 'Firing' }], {
        matchExpressions: [{ key: 'pool', operator: 'NotIn', values: ['gpu'] }],
      }),
    );
    expect(names(index.match({ type: 'NodeDown', status: 'Firing', labels: { pool: 'gpu' } }))).toEqual([
      'gpu',
    ]);
    expect(names(index.match({ type: 'NodeDown', status: 'Firing', labels: { pool: 'cpu' } }))).toEqual([
      'cpu',
    ]);
    expect(names(index.match({ type: 'NodeDown', status: 'Firing' }))).toEqual(['cpu']);
  });

  it('follows updates and removals; an invalid update removes the rule', () => {
    const index = new RuleIndex();
    index.upsert(rule('r', [{ type: 'A', status: 'Firing' }]));
    expect(names(index.match({ type: 'A', status: 'Firing' }))).toEqual(['r']);
    index.upsert(rule('r', [{ type: 'B', status: 'Firing' }]));
    expect(names(index.match({ type: 'A', status: 'Firing' }))).toEqual([]);
    expect(names(index.match({ type: 'B', status: 'Firing' }))).toEqual(['r']);
    const invalid = index.upsert(rule('r', [{ type: 'B(', status: 'Firing' }]));
    expect(invalid.ok).toBe(false);
    expect(index.size).toBe(0);
    expect(names(index.match({ type: 'B', status: 'Firing' }))).toEqual([]);
    index.upsert(rule('p', [{ type: 'B.*', status: 'Firing' }]));
    expect(names(index.match({ type: 'Bx', status: 'Firing' }))).toEqual(['p']);
    expect(index.remove({ namespace: 'monitoring', name: 'p' })).toBe(true);
    expect(names(index.match({ type: 'Bx', status: 'Firing' }))).toEqual([]);
    expect(index.remove('monitoring/p')).toBe(false);
  });

  it('matches exactly what a linear scan of every rule matches (random rule sets)', () => {
    const typeAtom = fc.constantFrom('Node', 'Gpu', 'Issue', 'Down', 'X');
    const literal = fc.array(typeAtom, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
    const pattern = fc.oneof(
      literal,
      literal.map((text) => `${text}.*`),
      fc.tuple(literal, literal).map(([a, b]) => `(${a}|${b})`),
      literal.map((text) => `^${text}`),
      literal.map((text) => `.*${text}`),
      literal.map((text) => `${text}X?`),
      literal.map((text) => `${text}e*Down`),
      literal.map((text) => `(?i)${text.toLowerCase()}`),
    );
    const status = fc.constantFrom('Firing', 'Resolved');
    const labels = fc.dictionary(fc.constantFrom('pool', 'zone'), fc.constantFrom('a', 'b'), { maxKeys: 2 });
    const selector = fc.option(
      fc.oneof(
        labels.map((matchLabels) => ({ matchLabels })),
        fc.constantFrom('pool', 'zone').map((key) => ({ matchExpressions: [{ key, operator: 'Exists' }] })),
      ),
      { nil: undefined },
    );
    const ruleSpec = fc.record({
      conditions: fc.array(fc.record({ type: pattern, status }), { minLength: 1, maxLength: 3 }),
      selector,
    });
    const alert = fc.record({ type: literal, status, labels });

    fc.assert(
      fc.property(
        fc.array(ruleSpec, { maxLength: 12 }),
        fc.array(fc.nat({ max: 11 }), { maxLength: 4 }),
        fc.array(alert, { minLength: 1, maxLength: 8 }),
        (specs, removed, alerts) => {
          const index = new RuleIndex();
          const rules = specs.map((spec, position) =>
            rule(`r${String(position).padStart(2, '0')}`, spec.conditions, spec.selector),
          );
          for (const each of rules) index.upsert(each);
          const live = rules.filter((_, position) => !removed.includes(position));
          for (const position of removed) index.remove(`monitoring/r${String(position).padStart(2, '0')}`);
          for (const candidate of alerts) {
            const expected = live
              .filter((each) => {
                const spec = each.spec as { alertConditions: Condition[]; selector?: object };
                const conditionMatches = spec.alertConditions.some(
                  (condition) =>
                    condition.status === candidate.status &&
                    (condition.type.startsWith('(?i)')
                      ? new RegExp(`^(?:${condition.type.slice(4)})$`, 'i')
                      : new RegExp(`^(?:${condition.type})$`)
                    ).test(candidate.type),
                );
                return (
                  conditionMatches &&
                  matchesLabelSelector(labelSelectorFromObject(spec.selector), candidate.labels)
                );
              })
              .map((each) => each.metadata?.name ?? '')
              .sort();
            expect(names(index.match(candidate))).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
