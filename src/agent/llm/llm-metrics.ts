import { sharedCounter, sharedHistogram, type MetricsRegistry } from '../../metrics/index.js';

/** How a model call ended: the `outcome` label. */
export type LlmCallOutcome = 'ok' | 'error' | 'timeout' | 'budget_exceeded';

export interface LlmMetrics {
  call(outcome: LlmCallOutcome, seconds: number | undefined): void;
  tokens(prompt: number, completion: number): void;
  budgetRefused(budget: string): void;
}

/**
 * `aegis_llm_calls_total{outcome}`, `aegis_llm_tokens_total{kind=prompt|completion}`,
 * `aegis_llm_call_duration_seconds{outcome}` (one observation per call, retries included) and
 * `aegis_llm_budget_refusals_total{budget}`. No-ops without a registry.
 */
export function createLlmMetrics(metrics: MetricsRegistry | undefined): LlmMetrics {
  if (metrics === undefined)
    return { call: () => undefined, tokens: () => undefined, budgetRefused: () => undefined };
  const registry = metrics.registry;
  const calls = sharedCounter(registry, {
    name: 'aegis_llm_calls_total',
    help: 'LLM chat-completion calls, by outcome (ok, error, timeout, budget_exceeded).',
    labelNames: ['outcome'] as const,
  });
  const tokens = sharedCounter(registry, {
    name: 'aegis_llm_tokens_total',
    help: 'LLM tokens used, by kind (prompt, completion), as reported by the server.',
    labelNames: ['kind'] as const,
  });
  const duration = sharedHistogram(registry, {
    name: 'aegis_llm_call_duration_seconds',
    help: 'Time of an LLM call including retries and waiting for a concurrency slot, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
  });
  const refusals = sharedCounter(registry, {
    name: 'aegis_llm_budget_refusals_total',
    help: 'LLM calls refused before they were made because a budget was used up, by budget.',
    labelNames: ['budget'] as const,
  });
  return {
    call: (outcome, seconds) => {
      calls.inc({ outcome });
      if (seconds !== undefined) duration.observe({ outcome }, seconds);
    },
    tokens: (prompt, completion) => {
      if (prompt > 0) tokens.inc({ kind: 'prompt' }, prompt);
      if (completion > 0) tokens.inc({ kind: 'completion' }, completion);
    },
    budgetRefused: (budget) => refusals.inc({ budget }),
  };
}
