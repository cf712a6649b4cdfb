/**
 * A finding: one root cause in an operator's words, with the evidence it rests on (the condition, event,
 * exit code or log lines). `code` is stable, for tests, metrics and the LLM prompt.
 */
export type FindingSeverity = 'failure' | 'warning' | 'info';

export interface Finding {
  readonly severity: FindingSeverity;
  readonly code: string;
  readonly message: string;
  readonly evidence: readonly string[];
}

export function failure(code: string, message: string, evidence: readonly string[] = []): Finding {
  return { severity: 'failure', code, message, evidence };
}

export function warning(code: string, message: string, evidence: readonly string[] = []): Finding {
  return { severity: 'warning', code, message, evidence };
}

export function info(code: string, message: string, evidence: readonly string[] = []): Finding {
  return { severity: 'info', code, message, evidence };
}

/** How a finding reads in `status.result` (a list of strings, as upstream): the message, then its evidence. */
export function formatFinding(finding: Finding): string {
  if (finding.evidence.length === 0) return finding.message;
  return `${finding.message}\nevidence:\n${finding.evidence.map((line) => `  ${line}`).join('\n')}`;
}

/** Prefix every message of `findings`, e.g. with the pod a PyTorchJob worker finding came from. */
export function prefixed(prefix: string, findings: readonly Finding[]): Finding[] {
  return findings.map((finding) => ({ ...finding, message: `${prefix}${finding.message}` }));
}
