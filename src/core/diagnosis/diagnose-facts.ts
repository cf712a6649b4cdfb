/**
 * From facts to the diagnosis result: run the analyzer of the kind, sort findings by severity, and say whether
 * the object is Healthy, UnHealthy or Unknown (missing object).
 */
import { analyzeNode } from './analyze-node.js';
import { analyzePod } from './analyze-pod.js';
import { analyzePyTorchJob } from './analyze-pytorchjob.js';
import { analyzeWorkflow } from './analyze-workflow.js';
import type { DiagnosisFacts } from './diagnosis-facts.js';
import { failure, formatFinding, type Finding } from './finding.js';

export type DiagnosisVerdict = 'Healthy' | 'UnHealthy' | 'Unknown';

export interface DiagnosisOutcome {
  readonly verdict: DiagnosisVerdict;
  readonly findings: readonly Finding[];
}

export function diagnoseFacts(facts: DiagnosisFacts): DiagnosisOutcome {
  if (facts.kind === 'Missing') {
    return { verdict: 'Unknown', findings: [failure('ObjectNotFound', facts.reason)] };
  }
  const findings =
    facts.kind === 'Pod'
      ? analyzePod(facts)
      : facts.kind === 'Node'
        ? analyzeNode(facts)
        : facts.kind === 'PyTorchJob'
          ? analyzePyTorchJob(facts)
          : analyzeWorkflow(facts);
  const verdict = findings.some((finding) => finding.severity === 'failure') ? 'UnHealthy' : 'Healthy';
  return { verdict, findings };
}

/** `status.result` as the CRD holds it (strings, as upstream). */
export function resultOf(outcome: DiagnosisOutcome): {
  status: DiagnosisVerdict;
  failures: string[];
  warnings: string[];
  infos: string[];
} {
  const of = (severity: Finding['severity']): string[] =>
    outcome.findings.filter((finding) => finding.severity === severity).map(formatFinding);
  return { status: outcome.verdict, failures: of('failure'), warnings: of('warning'), infos: of('info') };
}
