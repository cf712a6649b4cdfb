/**
 * The diagnosis summary posted in a thread (`/aegis diagnose`, rules with `diagnose: true`): a header line with
 * the object and verdict, the failures with their first evidence line, the summary (LLM or rule-based) as a
 * quote, and a context line with the AegisDiagnosis to `kubectl get`. Pure: plain data in, Block Kit out.
 * Everything from the cluster or the LLM is escaped, so it can never mention or link.
 */
import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn, inlineCode, truncateEscaped } from './mrkdwn.js';
import { sectionTextLimit, type SlackMessage } from './slack-message.js';

export interface DiagnosisView {
  /** `namespace/name` of the AegisDiagnosis. */
  readonly reference: string;
  /** e.g. `Pod team-a/trainer-0`. */
  readonly object: string;
  readonly phase: string;
  /** Healthy, UnHealthy or Unknown (absent while running). */
  readonly verdict?: string;
  readonly failures: readonly string[];
  readonly warnings: readonly string[];
  readonly explain?: string;
  readonly error?: string;
}

const verdictIcons: Readonly<Record<string, string>> = {
  Healthy: ':white_check_mark:',
  UnHealthy: ':red_circle:',
  Unknown: ':grey_question:',
};

function firstLines(finding: string): string {
  const [message = '', , evidence] = finding.split('\n');
  return evidence === undefined ? message : `${message}\n    ${evidence.trim()}`;
}

export function renderDiagnosis(view: DiagnosisView): SlackMessage {
  const running = view.phase !== 'Completed' && view.phase !== 'Failed';
  const icon = running
    ? ':hourglass_flowing_sand:'
    : view.phase === 'Failed'
      ? ':warning:'
      : (verdictIcons[view.verdict ?? ''] ?? ':grey_question:');
  const state = running
    ? `${view.phase}…`
    : view.phase === 'Failed'
      ? 'diagnosis failed'
      : (view.verdict ?? view.phase);
  const header = `${icon} *Diagnosis of ${escapeMrkdwn(view.object)}*: ${escapeMrkdwn(state)}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  if (view.error !== undefined) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncateEscaped(view.error, 2_000).text } });
  }
  if (view.failures.length > 0) {
    const items = view.failures.slice(0, 5).map((failure) => `• ${firstLines(failure)}`);
    if (view.failures.length > 5) items.push(`• … and ${view.failures.length - 5} more`);
    const text = truncateEscaped(items.join('\n'), sectionTextLimit - 20).text;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Failures*\n${text}` } });
  }
  if (view.explain !== undefined && view.explain !== '') {
    const quoted = truncateEscaped(view.explain, sectionTextLimit - 50)
      .text.split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: quoted } });
  }
  const warnings = view.warnings.length === 0 ? '' : ` · ${view.warnings.length} warning(s)`;
  const [namespace = '', name = ''] = view.reference.split('/');
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${inlineCode(`kubectl get adiag ${name} -n ${namespace} -o yaml`)}${warnings}`,
      },
    ],
  });
  return { text: `Diagnosis of ${view.object}: ${state}`, blocks };
}
