import type { Button, KnownBlock, MrkdwnElement } from '@slack/types';
import { approvalCardFrom } from './approval-card.js';
import type { ApprovalCard, ApprovalDecisionView } from './approval-card.js';
import type { AlertLike } from './alert-state.js';
import { inlineCode, personReference, shortText, slackDate, truncateEscaped } from './mrkdwn.js';
import { cutMrkdwn, fitMessage, slackLimits } from './slack-limits.js';
import { approvalBlockId, approveActionId, rejectActionId, viewManifestActionId } from './slack-message.js';
import type { SlackMessage } from './slack-message.js';
import { commandText, workflowScript } from './workflow-script.js';

/** Steps shown on the card; a longer workflow says how many more the manifest holds. */
const stepsShown = 4;
const stepTextLimit = 2_400;
const approversShown = 20;

/** The approval message of `alert` now (undefined when it never asked for approval). */
export function renderApproval(alert: AlertLike, now: number): SlackMessage | undefined {
  const card = approvalCardFrom(alert, now);
  return card === undefined ? undefined : renderApprovalCard(card);
}

/**
 * The approval card: what will run (the steps' commands first, the whole manifest behind "View manifest"),
 * who may approve, how many must and how many have, until when, and every decision so far. While pending it
 * has Approve / Reject buttons; once decided they are replaced by who decided, when and why.
 */
export function renderApprovalCard(card: ApprovalCard): SlackMessage {
  const target = `${shortText(card.alertType, 200)} on ${shortText(card.target, 300)}`;
  const blocks: KnownBlock[] = [
    section(`${heading(card)}\n${target}`),
    { type: 'section', fields: facts(card).map(mrkdwn) },
  ];
  if (card.reason !== undefined) blocks.push(section(`*Why:* ${shortText(card.reason, 1_000)}`));
  blocks.push(...scriptBlocks(card));
  const decisions = card.decisions.slice(-10).map(decisionLine);
  if (decisions.length > 0) blocks.push(section(decisions.join('\n')));
  if (card.state === 'pending') {
    blocks.push({
      type: 'actions',
      block_id: approvalBlockId,
      elements: [
        button(approveActionId, 'Approve', card.alert, 'primary'),
        button(rejectActionId, 'Reject', card.alert, 'danger'),
      ],
    });
  }
  return fitMessage({ text: fallbackText(card, target), blocks });
}

function heading(card: ApprovalCard): string {
  switch (card.state) {
    case 'pending':
      return ':raised_hand: *Approval needed before this runs*';
    case 'approved':
      return ':white_check_mark: *Approved*: the run goes ahead';
    case 'rejected':
      return ':no_entry: *Rejected*: nothing runs';
    case 'expired': {
      const when = card.expiresAt === undefined ? '' : ` before ${slackDate(card.expiresAt)}`;
      return `:hourglass: *Approval expired*: nobody decided${when}; nothing ran`;
    }
    case 'cancelled':
      return ':heavy_minus_sign: *Approval cancelled*: nothing ran';
  }
}

/** A Slack user (`U…`, `W…`) or user group (`S…`) id becomes a mention; anything else stays text. */
export function approverMention(approver: string): string {
  if (/^S[A-Z0-9]{2,30}$/.test(approver)) return `<!subteam^${approver}>`;
  if (/^[UW][A-Z0-9]{2,30}$/.test(approver)) return `<@${approver}>`;
  return shortText(approver, 60);
}

function facts(card: ApprovalCard): string[] {
  const who =
    card.approvers.length === 0
      ? 'anyone'
      : card.approvers.slice(0, approversShown).map(approverMention).join(', ') +
        (card.approvers.length > approversShown ? ` and ${card.approvers.length - approversShown} more` : '');
  const self =
    card.allowSelfApproval || card.requestedBy === undefined
      ? ''
      : ` (not ${personReference(card.requestedBy)})`;
  const fields = [
    `*Who may approve*\n${who}${self}`,
    `*Approvals*\n${card.approvals} of ${card.minApprovals} in`,
  ];
  if (card.expiresAt !== undefined && (card.state === 'pending' || card.state === 'expired')) {
    fields.push(`*${card.state === 'expired' ? 'Expired' : 'Expires'}*\n${slackDate(card.expiresAt)}`);
  }
  fields.push(`*Requested*\n${slackDate(card.requestedAt)}`);
  if (card.requestedBy !== undefined) fields.push(`*Requested by*\n${personReference(card.requestedBy)}`);
  fields.push(`*Rule*\n${inlineCode(shortText(card.rule ?? 'none', 200))}`);
  fields.push(`*Template*\n${inlineCode(shortText(card.template ?? 'unknown', 200))}`);
  return fields;
}

function decisionLine(entry: ApprovalDecisionView): string {
  const group = entry.group === undefined ? '' : ` (as ${approverMention(entry.group)})`;
  const emoji = {
    Approved: ':white_check_mark:',
    Rejected: ':no_entry:',
    Expired: ':hourglass:',
    Cancelled: ':heavy_minus_sign:',
  }[entry.decision];
  const why = entry.reason === undefined ? '' : `: “${shortText(entry.reason, 300)}”`;
  // Aegis itself (expiry, cancellation) needs no "by".
  const who =
    entry.via === 'controller'
      ? ''
      : ` by ${personReference(entry.by)}${group} via ${shortText(entry.via, 20)}`;
  return `${emoji} *${entry.decision}*${who} ${slackDate(entry.at)}${why}`;
}

/** The script first: each step's image and command; the whole manifest behind the "View manifest" button. */
function scriptBlocks(card: ApprovalCard): KnownBlock[] {
  if (card.manifest === undefined) {
    const text =
      card.manifestDigest === undefined
        ? '_The rendered workflow is not available._'
        : `_The rendered workflow is too large to keep; sha256 ${inlineCode(card.manifestDigest)}._`;
    return [section(text)];
  }
  const viewButton = button(viewManifestActionId, 'View manifest', card.alert);
  const steps = workflowScript(card.manifest);
  if (steps.length === 0) {
    // Not a Workflow we can read: show the manifest itself, cut to fit.
    return [
      { ...section(`*What will run*\n${codeBlock(card.manifest, stepTextLimit)}`), accessory: viewButton },
    ];
  }
  const blocks: KnownBlock[] = steps.slice(0, stepsShown).map((step, index) => {
    const image = step.image === undefined ? '' : ` in ${inlineCode(shortText(step.image, 200))}`;
    const title = `${index === 0 ? '*What will run*\n' : ''}${steps.length > 1 ? `${index + 1}. ` : ''}${inlineCode(shortText(step.name, 100))}${image}`;
    const block = section(`${title}\n${codeBlock(commandText(step), stepTextLimit)}`);
    return index === 0 ? { ...block, accessory: viewButton } : block;
  });
  if (steps.length > stepsShown) {
    blocks.push(context(`${steps.length - stepsShown} more step(s): see the manifest.`));
  }
  return blocks;
}

/** Escaped text in a code block, cut to `limit`; a ``` inside cannot close it early. */
function codeBlock(text: string, limit: number): string {
  const { text: body, truncated } = truncateEscaped(text.replace(/```/g, '`\u200b`\u200b`'), limit - 12);
  return `\`\`\`\n${body.replace(/\n+$/, '')}${truncated ? '\n…' : ''}\n\`\`\``;
}

/** The text fallback: the same facts in plain words (mentions included, so approvers are notified). */
function fallbackText(card: ApprovalCard, target: string): string {
  const state: Record<ApprovalCard['state'], string> = {
    pending: 'Approval needed',
    approved: 'Approved',
    rejected: 'Rejected',
    expired: 'Approval expired',
    cancelled: 'Approval cancelled',
  };
  const parts = [`${state[card.state]}: ${target}`, `${card.approvals} of ${card.minApprovals} approvals`];
  if (card.state === 'pending') {
    parts.push(
      `who may approve: ${card.approvers.length === 0 ? 'anyone' : card.approvers.slice(0, approversShown).map(approverMention).join(', ')}`,
    );
    if (card.expiresAt !== undefined) parts.push(`expires ${card.expiresAt}`);
  }
  const last = card.decisions.at(-1);
  if (card.state !== 'pending' && last !== undefined) {
    const who = last.via === 'controller' ? '' : ` by ${personReference(last.by)}`;
    parts.push(
      `${last.decision.toLowerCase()}${who} at ${last.at}${last.reason === undefined ? '' : `: ${shortText(last.reason, 200)}`}`,
    );
  }
  const first = card.manifest === undefined ? undefined : workflowScript(card.manifest)[0];
  if (first !== undefined) parts.push(`runs: ${shortText(commandText(first), 300)}`);
  return cutMrkdwn(parts.join(' — '), slackLimits.fallbackText);
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text },
    value,
    ...(style === undefined ? {} : { style }),
  };
}

function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

function section(text: string): KnownBlock & { type: 'section' } {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}
