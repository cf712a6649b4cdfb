/**
 * The "View manifest" modal of an approval card: the whole rendered Workflow, in code blocks of at most
 * Slack's 3,000 characters, cut (with a note saying where the rest is) past a budget well inside a modal's
 * 100 blocks. Pure; opened by the inbound listener with the click's trigger_id.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { ApprovalCard } from './approval-card.js';
import { inlineCode, shortText, truncateEscaped } from './mrkdwn.js';
import { slackLimits } from './slack-limits.js';

/** Code sections in the modal; the rest of a larger manifest is named by its kubectl command. */
const maxChunks = 24;
const chunkLimit = slackLimits.sectionText - 12;

export function renderManifestModal(card: ApprovalCard): ModalView {
  const [namespace, name] = splitReference(card.alert);
  const blocks: KnownBlock[] = [
    section(
      `*${shortText(card.alertType, 200)}* on ${shortText(card.target, 300)}\nTemplate ${inlineCode(shortText(card.template ?? 'unknown', 200))} · rule ${inlineCode(shortText(card.rule ?? 'none', 200))}`,
    ),
  ];
  const kubectl = inlineCode(
    `kubectl get aegisalert -n ${namespace} ${name} -o jsonpath='{.status.approval.renderedManifest}'`,
  );
  if (card.manifest === undefined) {
    const digest = card.manifestDigest === undefined ? '' : ` (sha256 ${inlineCode(card.manifestDigest)})`;
    blocks.push(section(`_The rendered workflow is not kept on the alert${digest}._`));
    return modal(blocks);
  }
  let rest = card.manifest.replace(/```/g, '`\u200b`\u200b`');
  let chunks = 0;
  while (rest !== '' && chunks < maxChunks) {
    const { text, truncated } = truncateEscaped(rest, chunkLimit);
    // Break at the last newline that fits, so no line is split between two blocks.
    const newline = truncated ? text.lastIndexOf('\n') : -1;
    const piece = newline > chunkLimit / 2 ? text.slice(0, newline + 1) : text;
    blocks.push(section(`\`\`\`\n${piece.replace(/\n+$/, '')}\n\`\`\``));
    rest = rest.slice(rawLength(piece));
    chunks += 1;
  }
  const note =
    rest === ''
      ? `${card.manifest.length} characters. The same from Kubernetes: ${kubectl}`
      : `:scissors: The first ${card.manifest.length - rest.length} of ${card.manifest.length} characters. All of it: ${kubectl}`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: note }] });
  return modal(blocks);
}

function modal(blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Workflow manifest' },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

/** How many raw characters an escaped piece stands for (`&amp;` is one `&`). */
function rawLength(escaped: string): number {
  return escaped.replace(/&amp;|&lt;|&gt;/g, '_').replace(/@\u2060/g, '@').length;
}

function splitReference(reference: string): [string, string] {
  const slash = reference.indexOf('/');
  return [reference.slice(0, slash), reference.slice(slash + 1)];
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: shortTextSafe(text) } };
}

function shortTextSafe(text: string): string {
  return text.length <= slackLimits.sectionText ? text : `${text.slice(0, slackLimits.sectionText - 1)}…`;
}
