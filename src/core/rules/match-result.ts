import type { CompiledRule, TemplateReference } from './compile-rule.js';

/** What an alert needs to be matched: its type, status and the AegisAlert's metadata.labels. */
export interface AlertToMatch {
  readonly type: string;
  readonly status: string;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/**
 * The outcome of matching one alert. `many` lists the rules in a deterministic order (by `namespace/name`).
 *
 * The alert's `status.opsStatus.triggerStatus` for the outcomes without a rule: `none` → `RuleNotFound`,
 * `many` → `TooManyRulesFound`. Upstream spells the latter `TooManyRuletFound` (sic); we write the corrected
 * spelling and the CRD accepts both, so objects written by upstream still read.
 */
export type MatchResult =
  | { readonly kind: 'matched'; readonly rule: CompiledRule; readonly templateRef: TemplateReference }
  | { readonly kind: 'none' }
  | { readonly kind: 'many'; readonly rules: readonly CompiledRule[] };

export const ruleNotFound = 'RuleNotFound';
/** Upstream writes `TooManyRuletFound`; see {@link MatchResult}. */
export const tooManyRulesFound = 'TooManyRulesFound';
export const upstreamTooManyRulesFound = 'TooManyRuletFound';

/** The trigger status for an outcome without exactly one rule, or undefined when a rule matched. */
export function unmatchedTriggerStatus(
  result: MatchResult,
): typeof ruleNotFound | typeof tooManyRulesFound | undefined {
  if (result.kind === 'none') return ruleNotFound;
  if (result.kind === 'many') return tooManyRulesFound;
  return undefined;
}
