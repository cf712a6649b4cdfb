/**
 * Alert-to-rule matching for the alert reconciler: a RuleIndex fed from an AegisAlertOpsRule watch source.
 *
 *   const matcher = createRuleMatcher(createRuleSource(clients));
 *   await matcher.waitForSync();
 *   const result = matcher.match({ type, status, labels });   // matched | none | many
 */
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import { RuleIndex } from '../../core/rules/index.js';
import type { AlertToMatch, CompiledRule, MatchResult } from '../../core/rules/index.js';
import type { RuleObject } from './rule-resources.js';
import type { WatchSource } from '../runtime/index.js';
import { startRuleIndexFeeder } from './rule-index-feeder.js';

export interface RuleMatcher {
  match(alert: AlertToMatch): MatchResult;
  /** The rules taking part in matching (valid ones), ordered by `namespace/name`. */
  rules(): CompiledRule[];
  /** Resolves once the source has listed every rule (and so the index holds them). */
  waitForSync(timeoutMs?: number): Promise<void>;
  /** Stops feeding the index and releases the source (sources are reference-counted). */
  stop(): Promise<void>;
}

export function createRuleMatcher(
  source: WatchSource<RuleObject>,
  options: {
    readonly logger?: Logger;
    /** Namespaces whose rules take part (AEGIS_NAMESPACE + AEGIS_RULE_NAMESPACES); all when omitted. */
    readonly namespaces?: ReadonlySet<string>;
  } = {},
): RuleMatcher {
  const logger = options.logger ?? silentLogger;
  const index = new RuleIndex();
  const feeder = startRuleIndexFeeder(source, index, {
    logger,
    ...(options.namespaces === undefined ? {} : { namespaces: options.namespaces }),
  });
  // start() never rejects for API errors (it retries in the background); anything else is logged.
  const started = source.start().catch((error: unknown) => {
    logger.error({ err: error }, 'the rule watch could not start');
  });
  let stopping: Promise<void> | undefined;
  return {
    match: (alert) => index.match(alert),
    rules: () => index.list(),
    async waitForSync(timeoutMs) {
      await started;
      await source.waitForSync(timeoutMs);
    },
    stop() {
      stopping ??= (async () => {
        feeder.stop();
        await started;
        await source.stop();
      })();
      return stopping;
    },
  };
}
