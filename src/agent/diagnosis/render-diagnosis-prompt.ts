/**
 * The LLM input of a diagnosis: `prompts/diagnosis/<kind>.md` (or the same path under AEGIS_PROMPTS_DIR) with
 * the findings, events and logs filled in, redacted, and cut so the whole prompt stays within its token
 * budget (logs are cut first, then events, then findings).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagnosisFacts, Finding } from '../../core/diagnosis/index.js';
import { formatFinding } from '../../core/diagnosis/index.js';
import { AegisError } from '../../core/errors.js';
import { estimateTokens } from '../llm/index.js';
import { builtInPromptsDir } from '../prompts/index.js';
import type { Redactor } from '../redaction/index.js';

export interface DiagnosisPromptInput {
  /** Node, Pod, PyTorchJob or Workflow. */
  readonly kind: string;
  /** e.g. `Pod team-a/trainer-0`. */
  readonly object: string;
  readonly findings: readonly Finding[];
  readonly facts: DiagnosisFacts;
  readonly language: string;
  readonly keywords: readonly string[];
}

export const diagnosisPromptTokenBudget = 6_000;

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The template for `kind`: the override directory's `diagnosis/<kind>.md` wins over the built-in one. */
export async function loadDiagnosisPrompt(kind: string, overrideDir?: string): Promise<string> {
  const file = `${kind.toLowerCase()}.md`;
  if (!/^[a-z]+\.md$/.test(file))
    throw new AegisError('PROMPT_NAME_INVALID', `no diagnosis prompt for kind ${kind}`);
  if (overrideDir !== undefined && overrideDir !== '') {
    const override = await readIfPresent(join(overrideDir, 'diagnosis', file));
    if (override !== undefined) return override;
  }
  const path = join(builtInPromptsDir, 'diagnosis', file);
  const text = await readIfPresent(path);
  if (text === undefined) throw new AegisError('PROMPT_MISSING', `the prompt file ${path} does not exist`);
  return text;
}

function eventsOf(facts: DiagnosisFacts): string[] {
  if (facts.kind === 'Missing') return [];
  const events =
    facts.kind === 'PyTorchJob'
      ? [...facts.events, ...facts.analysedPods.flatMap((pod) => pod.events)]
      : facts.kind === 'Workflow'
        ? [...facts.events, ...facts.stepPods.flatMap((pod) => pod.events)]
        : facts.events;
  return events
    .slice(0, 30)
    .map((event) => `${event.type} ${event.reason} ×${event.count}: ${event.message}`);
}

function logsOf(findings: readonly Finding[]): string[] {
  return findings
    .filter((finding) => finding.code === 'ContainerLog' || finding.code === 'CollectorSection')
    .map((finding) => `${finding.message}\n${finding.evidence.join('\n')}`);
}

function cutToTokens(text: string, tokens: number): string {
  const chars = Math.max(0, tokens * 4);
  return text.length <= chars ? text : `${text.slice(0, chars)}\n… [cut to fit the prompt budget]`;
}

export function fillDiagnosisPrompt(
  template: string,
  input: DiagnosisPromptInput,
  redactor: Redactor,
): string {
  const findings = input.findings
    .filter(
      (finding) =>
        finding.severity !== 'info' || !['ContainerLog', 'CollectorSection'].includes(finding.code),
    )
    .map((finding) => `[${finding.severity}] ${formatFinding(finding)}`)
    .join('\n');
  const parts = {
    findings: redactor.redact(findings === '' ? '(none)' : findings),
    events: redactor.redact(eventsOf(input.facts).join('\n') || '(none)'),
    logs: redactor.redact(logsOf(input.findings).join('\n\n') || '(none)'),
  };
  const fill = (values: typeof parts): string =>
    template
      .split('{{object}}')
      .join(input.object)
      .split('{{language}}')
      .join(input.language)
      .split('{{keywords}}')
      .join(input.keywords.join(', '))
      .split('{{findings}}')
      .join(values.findings)
      .split('{{events}}')
      .join(values.events)
      .split('{{logs}}')
      .join(values.logs);
  // What is left for the data once the template itself is counted, spent on findings, then events, then logs.
  let left = diagnosisPromptTokenBudget - estimateTokens(fill({ findings: '', events: '', logs: '' })) - 50;
  const take = (text: string): string => {
    const kept = cutToTokens(text, Math.max(0, left));
    left -= estimateTokens(kept);
    return kept;
  };
  return fill({ findings: take(parts.findings), events: take(parts.events), logs: take(parts.logs) });
}
