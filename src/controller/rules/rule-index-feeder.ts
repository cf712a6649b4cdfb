/**
 * Keeps a RuleIndex equal to the valid rules of an AegisAlertOpsRule watch source. Validity is decided by
 * compiling the rule's current spec (exactly what the rule reconciler records), so an Invalid rule never takes
 * part in matching, and a fixed rule takes part as soon as its update arrives, without waiting for its status.
 * Rules outside the allowed namespaces (AEGIS_NAMESPACE + AEGIS_RULE_NAMESPACES) never take part.
 */
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { RuleIndex } from '../../core/rules/index.js';
import { ruleKey } from '../../core/rules/index.js';
import type { RuleObject } from './rule-resources.js';
import type { WatchEvent, WatchSource } from '../runtime/index.js';

export interface RuleIndexFeeder {
  stop(): void;
}

export function startRuleIndexFeeder(
  source: WatchSource<RuleObject>,
  index: RuleIndex,
  options: { readonly logger?: Logger; readonly namespaces?: ReadonlySet<string> } = {},
): RuleIndexFeeder {
  const logger = options.logger ?? silentLogger;
  const ignored = new Set<string>();
  const apply = (event: WatchEvent<RuleObject>): void => {
    const metadata = event.object.metadata;
    const namespace = metadata?.namespace ?? '';
    const key = ruleKey(namespace, metadata?.name ?? '');
    if (event.type === 'delete') {
      index.remove(key);
      ignored.delete(key);
      return;
    }
    // Rules come only from the namespaces the operator lists: anyone who may create a rule elsewhere must not
    // be able to make Aegis run something.
    if (options.namespaces !== undefined && !options.namespaces.has(namespace)) {
      if (!ignored.has(key)) {
        ignored.add(key);
        logger.warn(
          { rule: key, namespaces: [...options.namespaces] },
          'rule ignored: its namespace is not AEGIS_NAMESPACE nor listed in AEGIS_RULE_NAMESPACES',
        );
      }
      return;
    }
    const result = index.upsert(event.object);
    if (!result.ok)
      logger.debug({ rule: key, problems: result.problems }, 'invalid rule left out of matching');
  };
  // A running shared source hands over what it already holds as `add` events.
  const unsubscribe = source.onChange(apply);
  return { stop: unsubscribe };
}
