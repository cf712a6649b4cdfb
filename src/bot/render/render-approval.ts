import type { KnownBlock } from '@slack/types';
import type { ApprovalHistoryEntry } from '../../core/resources/aegis-alert.js';
import { alertReference, involvedObjectLabel } from './alert-state.js';
import type { AlertLike } from './alert-state.js';
import { decisionVerb } from './render-thread-event.js';
import {
  escapeMrkdwn,
  inlineCode,
  personReference,
  shortText,
  slackDate,
  truncateEscaped,
} from './mrkdwn.js';
import { approvalBlockId, approveActionId, rejectActionId, sectionTextLimit } from './slack-message.js';
import type { SlackMessage } from './slack-message.js';

/** Room in the script section for the code fences and the newlines around the script. */
const fenceOverhead = '```\n\n```'.length;

/**
 * The approval request: exactly what will run (target object, rule, template and the rendered manifest) and
 * the Approve / Reject buttons. The manifest is cut to fit Slack's section limit with a note saying where the
 * whole of it is.
 */
export function renderApprovalRequest(alert: AlertLike): SlackMessage {
  const value = alertReference(alert);
  return {
    text: `Approval needed: ${escapeMrkdwn(alert.spec.type)} on ${escapeMrkdwn(involvedObjectLabel(alert))}`,
    blocks: [
      ...whatWillRun(alert, ':raised_hand: *Approval needed before this runs*'),
      {
        type: 'actions',
        block_id: approvalBlockId,
        elements: [
          {
            type: 'button',
            action_id: approveActionId,
            text: { type: 'plain_text', text: 'Approve' },
            style: 'primary',
            value,
          },
          {
            type: 'button',
            action_id: rejectActionId,
            text: { type: 'plain_text', text: 'Reject' },
            style: 'danger',
            value,
          },
        ],
      },
    ],
  };
}

/** The request after a decision: the same facts, who decided and when, and no buttons. */
export function renderApprovalDecided(alert: AlertLike, decision: ApprovalHistoryEntry): SlackMessage {
  if (decision.decision === 'Expired') return renderExpired(alert);
  const who = decision.via === 'controller' ? 'Aegis' : personReference(decision.by);
  const reason =
    decision.reason === undefined || decision.reason === '' ? '' : `\n> ${shortText(decision.reason, 500)}`;
  const line = `*${decision.decision}* by ${who} via ${escapeMrkdwn(decision.via)} at ${slackDate(decision.at)}${reason}`;
  return {
    text: `${decision.decision}: ${escapeMrkdwn(alert.spec.type)} on ${escapeMrkdwn(involvedObjectLabel(alert))} (${decisionVerb(decision.decision)})`,
    blocks: [
      ...whatWillRun(alert, `:ballot_box_with_check: *Approval ${decision.decision.toLowerCase()}*`),
      { type: 'section', text: { type: 'mrkdwn', text: line } },
    ],
  };
}

/** The request after nobody decided in time: no buttons. */
export function renderExpired(alert: AlertLike): SlackMessage {
  const expiresAt = alert.status?.approval?.expiresAt;
  const when = expiresAt === undefined ? '' : ` at ${slackDate(expiresAt)}`;
  return {
    text: `Approval expired: ${escapeMrkdwn(alert.spec.type)} on ${escapeMrkdwn(involvedObjectLabel(alert))}`,
    blocks: [
      ...whatWillRun(alert, ':hourglass: *Approval expired*'),
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `Nobody decided in time${when}; nothing ran.` },
      },
    ],
  };
}

function whatWillRun(alert: AlertLike, heading: string): KnownBlock[] {
  const approval = alert.status?.approval;
  const facts = [
    `*Target*\n${escapeMrkdwn(involvedObjectLabel(alert))}`,
    `*Alert*\n${escapeMrkdwn(alert.spec.type)}`,
    `*Rule*\n${inlineCode(referenceText(approval?.rule))}`,
    `*Template*\n${inlineCode(referenceText(approval?.template))}`,
  ];
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: heading } },
    { type: 'section', fields: facts.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  const requester = approval?.requestedBy;
  if (requester !== undefined && requester !== '') {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Requested by ${personReference(requester)}` }],
    });
  }
  blocks.push(...scriptBlocks(alert));
  return blocks;
}

function scriptBlocks(alert: AlertLike): KnownBlock[] {
  const manifest = alert.status?.approval?.renderedManifest;
  if (manifest === undefined || manifest === '') {
    const digest = alert.status?.approval?.manifestDigest;
    const text =
      digest === undefined
        ? '_The rendered workflow is not available._'
        : `_The rendered workflow is too large to keep; sha256 ${inlineCode(digest)}._`;
    return [{ type: 'section', text: { type: 'mrkdwn', text } }];
  }
  // A manifest line of three backticks would close the code block early.
  const fenced = manifest.replace(/```/g, '`\u200b`\u200b`').replace(/\n+$/, '');
  const { text, truncated } = truncateEscaped(fenced, sectionTextLimit - fenceOverhead);
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`\n${text}\n\`\`\`` } },
  ];
  if (truncated) {
    const reference = alertReference(alert).split('/');
    const note = `:scissors: Cut to fit Slack (${manifest.length} characters in all). The whole manifest: \`kubectl get aegisalert -n ${escapeMrkdwn(reference[0] ?? '')} ${escapeMrkdwn(reference[1] ?? '')} -o jsonpath='{.status.approval.renderedManifest}'\``;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: note }] });
  }
  return blocks;
}

function referenceText(
  reference: { readonly namespace?: string | undefined; readonly name: string } | undefined,
) {
  if (reference === undefined) return 'unknown';
  return reference.namespace === undefined || reference.namespace === ''
    ? reference.name
    : `${reference.namespace}/${reference.name}`;
}
