/** What the diagnosis controller needs besides the cluster reads (core/diagnosis DiagnosisCluster). */
import type { DiagnosisFacts, DiagnosisOutcome } from '../../core/diagnosis/index.js';
import type { AegisDiagnosis } from '../../core/resources/index.js';
import type { DiagnosisTarget } from './diagnosis-target.js';

export interface DiagnosisStore {
  get(namespace: string, name: string): Promise<AegisDiagnosis | undefined>;
  patchStatus(
    namespace: string,
    name: string,
    status: Readonly<Record<string, unknown>>,
  ): Promise<AegisDiagnosis>;
  delete(namespace: string, name: string): Promise<boolean>;
}

export interface DiagnosisEventRecorder {
  record(
    subject: { apiVersion: string; kind: string; name: string; namespace: string; uid?: string },
    event: { type: 'Normal' | 'Warning'; reason: string; message: string },
  ): Promise<void>;
}

export interface ExplainInput {
  readonly target: DiagnosisTarget;
  readonly facts: DiagnosisFacts;
  readonly outcome: DiagnosisOutcome;
  readonly language: string;
  readonly signal: AbortSignal;
}

/**
 * Writes `status.explain`. Without an LLM it is the deterministic summary of the findings; with one, the
 * LLM's answer (which falls back to the deterministic summary when the LLM fails).
 */
export interface DiagnosisExplainer {
  explain(input: ExplainInput): Promise<string>;
}
