/**
 * Checks an AegisAlertOpsRule and turns it into what matching needs. Pure; never throws. Every problem is
 * reported (not only the first) with the field at fault, for the rule's status, `aegis rule lint` and events.
 */
import { labelSelectorFromObject, LabelSelectorError } from '../label-selector.js';
import type { LabelRequirement } from '../label-selector.js';
import { aegisAlertOpsRuleSpecSchema } from '../resources/index.js';
import type { AegisAlertOpsRuleSpec } from '../resources/index.js';
import { compileTypePattern } from './type-pattern.js';
import type { TypeMatcher } from './type-pattern.js';

/** The parts of a rule object that compiling reads; a cached (read-only) AegisAlertOpsRule fits. */
export interface RuleSource {
  readonly metadata?:
    | {
        readonly name?: string | undefined;
        readonly namespace?: string | undefined;
        readonly generation?: number | undefined;
      }
    | undefined;
  readonly spec?: unknown;
}

export interface RuleProblem {
  /** e.g. `spec.alertConditions[1].type`. */
  readonly field: string;
  readonly message: string;
}

export const alertConditionStatuses = ['Firing', 'Resolved'] as const;
export type AlertConditionStatus = (typeof alertConditionStatuses)[number];

export interface CompiledCondition {
  readonly index: number;
  readonly status: AlertConditionStatus;
  readonly type: TypeMatcher;
}

export interface TemplateReference {
  readonly kind: 'AegisOpsTemplate';
  readonly namespace: string;
  readonly name: string;
}

export interface CompiledRule {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly generation: number | undefined;
  /** The spec as parsed, defaults applied (e.g. `approval.minApprovals`). Frozen. */
  readonly spec: Readonly<AegisAlertOpsRuleSpec>;
  readonly conditions: readonly CompiledCondition[];
  /** Empty selects every alert. */
  readonly selector: readonly LabelRequirement[];
  readonly templateRef: TemplateReference;
}

export type CompileRuleResult =
  | { readonly ok: true; readonly compiled: CompiledRule }
  | { readonly ok: false; readonly problems: readonly RuleProblem[] };

const dnsName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function ruleKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function fieldOf(path: readonly PropertyKey[]): string {
  let field = 'spec';
  for (const segment of path) field += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  return field;
}

function zodProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[]): RuleProblem[] {
  return issues.map((issue) => ({
    field: fieldOf(issue.path),
    message: /received undefined$/.test(issue.message) ? 'is required' : issue.message,
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function compileRule(rule: RuleSource): CompileRuleResult {
  const problems: RuleProblem[] = [];
  const name = rule.metadata?.name ?? '';
  const namespace = rule.metadata?.namespace ?? '';
  if (name === '') problems.push({ field: 'metadata.name', message: 'is required' });

  const spec: unknown = rule.spec;
  if (!isRecord(spec)) {
    problems.push({ field: 'spec', message: 'is required (alertConditions and opsTemplate)' });
    return { ok: false, problems };
  }
  const parsed = aegisAlertOpsRuleSpecSchema.safeParse(spec);
  if (!parsed.success) problems.push(...zodProblems(parsed.error.issues));
  const flagged = new Set(problems.map((problem) => problem.field));
  const check = (field: string, message: string | undefined): void => {
    if (message !== undefined && !flagged.has(field)) problems.push({ field, message });
  };

  const conditions: CompiledCondition[] = [];
  const rawConditions = Array.isArray(spec['alertConditions']) ? (spec['alertConditions'] as unknown[]) : [];
  rawConditions.forEach((condition, index) => {
    if (!isRecord(condition)) return;
    const type = condition['type'];
    const status = condition['status'];
    let matcher: TypeMatcher | undefined;
    if (typeof type === 'string' && type !== '') {
      const compiled = compileTypePattern(type);
      if (compiled.ok) matcher = compiled.matcher;
      else check(`spec.alertConditions[${index}].type`, compiled.message);
    }
    const statusOk = (alertConditionStatuses as readonly unknown[]).includes(status);
    if (!statusOk && typeof status === 'string' && status !== '') {
      check(
        `spec.alertConditions[${index}].status`,
        `must be exactly "Firing" or "Resolved", not ${JSON.stringify(status)}`,
      );
    }
    if (matcher !== undefined && statusOk) {
      conditions.push({ index, status: status as AlertConditionStatus, type: matcher });
    }
  });

  const reference = isRecord(spec['opsTemplate']) ? spec['opsTemplate'] : undefined;
  const templateNamespace =
    typeof reference?.['namespace'] === 'string' && reference['namespace'] !== ''
      ? reference['namespace']
      : namespace;
  if (reference !== undefined) {
    if (reference['kind'] === undefined || reference['kind'] === '') {
      check('spec.opsTemplate.kind', 'is required and must be "AegisOpsTemplate"');
    }
    const templateName = reference['name'];
    if (typeof templateName === 'string' && templateName !== '' && !dnsName.test(templateName)) {
      check('spec.opsTemplate.name', `${JSON.stringify(templateName)} is not a valid object name`);
    }
    if (templateNamespace !== '' && !dnsName.test(templateNamespace)) {
      check('spec.opsTemplate.namespace', `${JSON.stringify(templateNamespace)} is not a valid namespace`);
    }
  }

  let selector: LabelRequirement[] = [];
  if (spec['selector'] !== undefined && spec['selector'] !== null) {
    try {
      selector = labelSelectorFromObject(spec['selector']);
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      check('spec.selector', error.message);
    }
  }

  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return {
    ok: true,
    compiled: Object.freeze({
      key: ruleKey(namespace, name),
      namespace,
      name,
      generation: rule.metadata?.generation,
      spec: deepFreeze(parsed.data),
      conditions: Object.freeze(conditions),
      selector: deepFreeze(selector),
      templateRef: Object.freeze({
        kind: 'AegisOpsTemplate' as const,
        namespace: templateNamespace,
        name: parsed.data.opsTemplate.name,
      }),
    }),
  };
}

/** One line per problem: `spec.alertConditions[0].type: is not a valid regular expression: …`. */
export function describeRuleProblems(problems: readonly RuleProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
