/**
 * AegisAlertOpsRule handling: the rule reconciler (Recorded/Invalid status, conditions, events) and the rule
 * matcher the alert reconciler asks which rule an alert triggers.
 */
export { createRuleMatcher, type RuleMatcher } from './rule-matcher.js';
export { startRuleIndexFeeder, type RuleIndexFeeder } from './rule-index-feeder.js';
export { createRuleReconciler, judgeRule, type RecordedReconcilerDependencies } from './rule-reconciler.js';
export {
  optionalLogger,
  ruleControllerName,
  runtimeOptions,
  startRuleController,
  type RecordedControllerOptions,
} from './rule-controller.js';
export {
  createRuleSource,
  createTemplateSource,
  ruleResource,
  templateResource,
  type RecordedObject,
  type RuleObject,
  type TemplateObject,
} from './rule-resources.js';
export {
  currentRecordedStatus,
  kubeTime,
  planRecordedStatus,
  recordedConditionTypes,
  type CurrentRecordedStatus,
  type RecordedStatusFields,
  type RecordedStatusPlan,
  type Verdict,
} from './recorded-status.js';
export {
  writeRecordedStatus,
  type EventRecorder,
  type RecordedObjectIdentity,
  type StatusWriter,
} from './write-recorded-status.js';
export type { AlertToMatch, CompiledRule, MatchResult, TemplateReference } from '../../core/rules/index.js';
