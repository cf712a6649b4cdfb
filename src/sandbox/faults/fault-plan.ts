import { z } from 'zod';

/** The verbs a fault rule can select, as kube-apiserver names them (watch apart from list). */
export const faultVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;
export type FaultVerb = (typeof faultVerbs)[number];

/** The error answers a rule can inject; each is what kube-apiserver itself sends in that situation. */
export const faultCodes = [500, 429, 409] as const;
export type FaultCode = (typeof faultCodes)[number];

const rate = z.number().min(0).max(1);

const faultRuleSchema = z.strictObject({
  /** `workflows`, `workflows.argoproj.io`, `pods/status`, or `*` (every resource). */
  resource: z.string().min(1).default('*'),
  /** Verbs the rule applies to; every verb when omitted. */
  verbs: z.array(z.enum(faultVerbs)).min(1).optional(),
  /** Fraction of the matching requests answered with one of `errors`. */
  errorRate: rate.default(0),
  /** Codes drawn uniformly for an injected error (409 only hits writes; reads get 500 instead). */
  errors: z.array(z.union([z.literal(500), z.literal(429), z.literal(409)])).min(1).default([500]),
  /** `Retry-After` of an injected 429, in seconds. */
  retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
  /** Added before the request is served. */
  latencyMs: z.number().int().min(0).max(600_000).default(0),
  /** Open watches are ended (cleanly, as an API server restart or timeout would) after this long. */
  watchCloseAfterMs: z.number().int().min(1).max(3_600_000).optional(),
  /** Fraction of watches resumed from a resourceVersion that are answered `410 Gone` (too old). */
  goneOnResumeRate: rate.default(0),
});

export const faultPlanSchema = z.strictObject({
  rules: z.array(faultRuleSchema).max(100).default([]),
  /** Seed of the random draws, so a run can be replayed. */
  seed: z.number().int().optional(),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultPlan = z.infer<typeof faultPlanSchema>;

/** Parse a plan (from the admin route or the `--faults` file), with errors that name the field. */
export function parseFaultPlan(input: unknown): FaultPlan {
  const result = faultPlanSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(plan)'}: ${issue.message}`);
  throw new FaultPlanError(`invalid fault plan: ${problems.join('; ')}`);
}

export class FaultPlanError extends Error {
  override name = 'FaultPlanError';
}

/** Whether a rule selects a request on `plural[/subresource]` of `group` with `verb`. */
export function ruleSelects(rule: FaultRule, verb: FaultVerb, group: string, resource: string): boolean {
  if (rule.verbs !== undefined && !rule.verbs.includes(verb)) return false;
  if (rule.resource === '*') return true;
  if (rule.resource === resource) return true;
  const qualified = group === '' ? resource : `${resource.split('/')[0]}.${group}${resource.includes('/') ? `/${resource.split('/')[1]}` : ''}`;
  if (rule.resource === qualified) return true;
  // `workflows` also selects `workflows/status`, as a rule on a resource would in an admission webhook.
  const base = resource.split('/')[0] ?? resource;
  return rule.resource === base || rule.resource === (group === '' ? base : `${base}.${group}`);
}
