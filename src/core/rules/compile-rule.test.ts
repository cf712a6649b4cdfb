import { describe, expect, it } from 'vitest';
import { compileRule, describeRuleProblems } from './compile-rule.js';
import type { RuleSource } from './compile-rule.js';
import { compileTypePattern, requiredPrefix } from './type-pattern.js';

function rule(spec: unknown, name = 'r', namespace = 'monitoring'): RuleSource {
  return { metadata: { name, namespace, generation: 3 }, spec };
}

const reference = { kind: 'AegisOpsTemplate', apiVersion: 'aegis.io/v1alpha1', name: 'cordon' };

describe('compileRule', () => {
  it('compiles the canonical rule; the template namespace defaults to the rule namespace', () => {
    const result = compileRule(
      rule({
        alertConditions: [{ type: 'NodeHasEmergencyEvent', status: 'Firing' }],
        opsTemplate: reference,
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.compiled.key).toBe('monitoring/r');
    expect(result.compiled.generation).toBe(3);
    expect(result.compiled.templateRef).toEqual({
      kind: 'AegisOpsTemplate',
      namespace: 'monitoring',
      name: 'cordon',
    });
    expect(result.compiled.conditions[0]?.type).toEqual({ kind: 'literal', value: 'NodeHasEmergencyEvent' });
    expect(Object.isFrozen(result.compiled.spec)).toBe(true);
  });

  it('keeps an explicit template namespace and applies approval defaults', () => {
    const result = compileRule(
      rule({
        alertConditions: [{ type: 'A', status: 'Resolved' }],
        opsTemplate: { ...reference, namespace: 'ops' },
        approval: {},
      }),
    );
    expect(result.ok && result.compiled.templateRef.namespace).toBe('ops');
    expect(result.ok && result.compiled.spec.approval).toMatchObject({
      required: true,
      minApprovals: 1,
      allowSelfApproval: false,
    });
  });

  it('reports every problem with its field', () => {
    const result = compileRule(
      rule({
        alertConditions: [
          { type: 'Node(Issue', status: 'Firing' },
          { type: 'Ok', status: 'firing' },
          { status: 'Firing' },
        ],
        opsTemplate: { name: 'Bad_Name' },
        selector: { matchLabels: { 'bad key!': 'x' } },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.problems.map((problem) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'spec.alertConditions[0].type',
        'spec.alertConditions[1].status',
        'spec.alertConditions[2].type',
        'spec.opsTemplate.kind',
        'spec.opsTemplate.name',
        'spec.selector',
      ]),
    );
    const text = describeRuleProblems(result.problems);
    expect(text).toContain('spec.alertConditions[0].type: is not a valid regular expression');
    expect(text).toContain(
      'spec.alertConditions[1].status: must be exactly "Firing" or "Resolved", not "firing"',
    );
    expect(text).toContain('spec.alertConditions[2].type: is required');
  });

  it('refuses a wrong template kind, a missing spec and a missing name', () => {
    const wrongKind = compileRule(
      rule({
        alertConditions: [{ type: 'A', status: 'Firing' }],
        opsTemplate: { kind: 'ConfigMap', name: 'x' },
      }),
    );
    expect(!wrongKind.ok && wrongKind.problems.map((problem) => problem.field)).toEqual([
      'spec.opsTemplate.kind',
    ]);
    const noSpec = compileRule({ metadata: { namespace: 'n' } });
    expect(!noSpec.ok && noSpec.problems.map((problem) => problem.field)).toEqual(['metadata.name', 'spec']);
    const noConditions = compileRule(rule({ alertConditions: [], opsTemplate: reference }));
    expect(!noConditions.ok && noConditions.problems[0]?.field).toBe('spec.alertConditions');
  });
});

describe('compileTypePattern', () => {
  it('treats types without metacharacters, and upstream ^Type, as literals', () => {
    expect(compileTypePattern('NodeCriticalIssue')).toEqual({
      ok: true,
      matcher: { kind: 'literal', value: 'NodeCriticalIssue' },
    });
    expect(compileTypePattern('^NodeCriticalIssue')).toEqual({
      ok: true,
      matcher: { kind: 'literal', value: 'NodeCriticalIssue' },
    });
    expect(compileTypePattern('^NodeCriticalIssue$')).toEqual({
      ok: true,
      matcher: { kind: 'literal', value: 'NodeCriticalIssue' },
    });
  });

  it('anchors patterns and understands RE2 flag groups and named groups', () => {
    const pattern = compileTypePattern('Node.*Issue');
    const regex = pattern.ok && pattern.matcher.kind === 'pattern' ? pattern.matcher.regex : undefined;
    expect(regex?.test('NodeDiskIssue')).toBe(true);
    expect(regex?.test('NodeDiskIssueDisappeared')).toBe(false);
    const insensitive = compileTypePattern('(?i)node.*');
    expect(
      insensitive.ok && insensitive.matcher.kind === 'pattern' && insensitive.matcher.regex.test('NODEX'),
    ).toBe(true);
    expect(compileTypePattern('(?P<x>A|B)').ok).toBe(true);
    expect(requiredPrefix('Node.*Issue')).toBe('Node');
    expect(requiredPrefix('^GpuX?Lost')).toBe('Gpu');
    expect(requiredPrefix('Ab{0,2}')).toBe('A');
    expect(requiredPrefix('Node(A|B)')).toBe('');
    expect(requiredPrefix('N+ode')).toBe('N');
  });

  it('matches in linear time and refuses what only a backtracking engine can run', () => {
    const nested = compileTypePattern('(x+x+)+y');
    const regex = nested.ok && nested.matcher.kind === 'pattern' ? nested.matcher.regex : undefined;
    // 31 x froze the process for 70 s with a backtracking engine; RE2 answers at once.
    expect(regex?.test('x'.repeat(31))).toBe(false);
    expect(regex?.test(`${'x'.repeat(100_000)}y`)).toBe(true);
    const backReference = compileTypePattern('(Gpu)\\1');
    expect(backReference.ok).toBe(false);
    expect(!backReference.ok && backReference.message).toContain('back-references');
    expect(!backReference.ok && backReference.message).toContain('linear time');
    expect(compileTypePattern('Node(?!X)')).toMatchObject({ ok: false });
  });
});
