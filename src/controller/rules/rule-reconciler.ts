/**
 * The AegisAlertOpsRule reconciler. Level-based: read the rule from the watch cache, judge its spec with
 * `compileRule` (pure), and write `Recorded` or `Invalid` with every problem through /status, only when that
 * changes what the rule says. Matching itself does not wait for this status: the rule matcher compiles rules
 * from the same cache (see rule-matcher.ts), so the status is what people read, not a gate.
 */
import { compileRule, describeRuleProblems } from '../../core/rules/index.js';
import type { RuleSource } from '../../core/rules/index.js';
import { reconcileDone } from '../runtime/index.js';
import type { ReconcileFunction, WatchedObject, WatchSource } from '../runtime/index.js';
import { planRecordedStatus } from './recorded-status.js';
import { currentRecordedStatus } from './recorded-status.js';
import type { Verdict } from './recorded-status.js';
import { ruleResource } from './rule-resources.js';
import type { RuleObject } from './rule-resources.js';
import { writeRecordedStatus } from './write-recorded-status.js';
import type { EventRecorder, StatusWriter } from './write-recorded-status.js';

export interface RecordedReconcilerDependencies<T extends WatchedObject> {
  /** The cache the controller's events come from. */
  readonly source: WatchSource<T>;
  readonly status: StatusWriter;
  readonly events?: EventRecorder | undefined;
  readonly now?: (() => Date) | undefined;
}

/** The verdict on a rule's spec: every problem, by field, in one message. */
export function judgeRule(rule: RuleSource): Verdict {
  const result = compileRule(rule);
  if (result.ok) {
    const { templateRef } = result.compiled;
    return {
      valid: true,
      message: `the rule is valid and matches alerts to AegisOpsTemplate ${templateRef.namespace}/${templateRef.name}`,
    };
  }
  return { valid: false, message: describeRuleProblems(result.problems) };
}

export function createRuleReconciler(
  dependencies: RecordedReconcilerDependencies<RuleObject>,
): ReconcileFunction {
  const now = dependencies.now ?? (() => new Date());
  return async (key, context) => {
    const rule = dependencies.source.get(key.namespace, key.name);
    // Gone (the matcher drops it on the delete event) or going: nothing to record.
    if (rule === undefined || rule.metadata?.deletionTimestamp !== undefined) return reconcileDone;
    let verdict: Verdict;
    try {
      verdict = judgeRule(rule);
    } catch (error) {
      // compileRule does not throw; this keeps a future bug from turning into endless retries.
      verdict = { valid: false, message: `the rule could not be checked: ${String(error)}` };
    }
    const plan = planRecordedStatus({
      current: currentRecordedStatus(rule.status),
      generation: rule.metadata?.generation,
      verdict,
      now: now(),
      noun: 'rule',
    });
    await writeRecordedStatus(
      {
        apiVersion: `${ruleResource.group}/${ruleResource.version}`,
        kind: ruleResource.kind,
        namespace: key.namespace,
        name: key.name,
        uid: rule.metadata?.uid,
        resourceVersion: rule.metadata?.resourceVersion,
      },
      plan,
      { status: dependencies.status, events: dependencies.events, logger: context.logger },
    );
    return reconcileDone;
  };
}
