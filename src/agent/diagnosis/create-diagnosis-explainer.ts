/**
 * `status.explain` from the LLM: the diagnosis prompt of the kind, answered in the diagnosis's language, cached
 * by a hash of the whole input (same findings, language and prompt → no second call). When the LLM fails, the
 * deterministic summary is written instead, with the reason, so a diagnosis never fails for want of an LLM.
 */
import { createHash } from 'node:crypto';
import { explainFindings } from '../../core/diagnosis/index.js';
import type { DiagnosisFacts, DiagnosisOutcome } from '../../core/diagnosis/index.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { LlmClient } from '../llm/index.js';
import type { Redactor } from '../redaction/index.js';
import { fillDiagnosisPrompt, loadDiagnosisPrompt } from './render-diagnosis-prompt.js';

export interface DiagnosisExplainRequest {
  readonly target: { readonly kind: string; readonly name: string; readonly namespace: string };
  readonly facts: DiagnosisFacts;
  readonly outcome: DiagnosisOutcome;
  readonly language: string;
  readonly signal: AbortSignal;
}

export interface LlmDiagnosisExplainerOptions {
  readonly llm: Pick<LlmClient, 'complete' | 'model'>;
  readonly redactor: Redactor;
  readonly promptsDir?: string;
  readonly keywords: readonly string[];
  /** Answers kept (default 500). */
  readonly cacheSize?: number;
  readonly logger?: Logger;
}

export function createLlmDiagnosisExplainer(options: LlmDiagnosisExplainerOptions): {
  explain(request: DiagnosisExplainRequest): Promise<string>;
  /** The prompt the LLM would get (for tests and the benchmark). */
  prompt(request: DiagnosisExplainRequest): Promise<string>;
} {
  const cache = new Map<string, string>();
  const cacheSize = options.cacheSize ?? 500;
  const logger = options.logger ?? silentLogger;
  const prompt = async (request: DiagnosisExplainRequest): Promise<string> => {
    const { kind, name, namespace } = request.target;
    const template = await loadDiagnosisPrompt(kind, options.promptsDir);
    return fillDiagnosisPrompt(
      template,
      {
        kind,
        object: kind === 'Node' ? `Node ${name}` : `${kind} ${namespace}/${name}`,
        findings: request.outcome.findings,
        facts: request.facts,
        language: request.language,
        keywords: options.keywords,
      },
      options.redactor,
    );
  };
  return {
    prompt,
    async explain(request) {
      const text = await prompt(request);
      const key = createHash('sha256').update(options.llm.model).update('\u0000').update(text).digest('hex');
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      try {
        const completion = await options.llm.complete({
          messages: [{ role: 'user', content: text }],
          temperature: 0,
          maxTokens: 700,
          purpose: `diagnosis of ${request.target.kind}`,
          signal: request.signal,
        });
        const answer = completion.content.trim();
        if (answer === '') throw new Error('the LLM answered with no text');
        cache.set(key, answer);
        if (cache.size > cacheSize) cache.delete(cache.keys().next().value ?? '');
        return answer;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn(
          { err: error, kind: request.target.kind },
          'LLM summary failed; writing the rule-based one',
        );
        return `${explainFindings(request.outcome)}\n(LLM summary unavailable: ${reason.slice(0, 200)})`;
      }
    },
  };
}
