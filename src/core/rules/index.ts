/**
 * Alert-to-rule matching (pure): compiling AegisAlertOpsRules (anchored type patterns, exact status, label
 * selector, template reference) and the index that matches alerts against them.
 */
export {
  alertConditionStatuses,
  compileRule,
  describeRuleProblems,
  ruleKey,
  type AlertConditionStatus,
  type CompiledCondition,
  type CompiledRule,
  type CompileRuleResult,
  type RuleProblem,
  type RuleSource,
  type TemplateReference,
} from './compile-rule.js';
export {
  ruleNotFound,
  tooManyRulesFound,
  unmatchedTriggerStatus,
  upstreamTooManyRulesFound,
  type AlertToMatch,
  type MatchResult,
} from './match-result.js';
export { RuleIndex } from './rule-index.js';
export {
  compileTypePattern,
  isLiteralType,
  requiredPrefix,
  typeMatches,
  type TypeMatcher,
} from './type-pattern.js';
