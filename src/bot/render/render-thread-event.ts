import type { ApprovalHistoryEntry } from '../../core/resources/aegis-alert.js';
import { escapeMrkdwn, formatDuration, inlineCode, personReference, shortText, slackDate } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

/** Something that happened to an alert and gets one reply in its thread. Plain data; see `alertThreadEvents`. */
export type ThreadEvent =
  | { readonly kind: 'workflow-started'; readonly workflowName: string; readonly at?: string }
  | {
      readonly kind: 'workflow-finished';
      readonly workflowName: string;
      readonly outcome: 'Succeeded' | 'Failed';
      readonly startedAt?: string;
      readonly finishedAt?: string;
      readonly message?: string;
    }
  | { readonly kind: 'resolved'; readonly at?: string }
  | { readonly kind: 'trigger-failed'; readonly triggerStatus: string; readonly message?: string }
  | { readonly kind: 'approval-decided'; readonly entry: ApprovalHistoryEntry };

export function renderThreadEvent(event: ThreadEvent): SlackMessage {
  switch (event.kind) {
    case 'workflow-started': {
      const when = event.at === undefined ? '' : ` at ${slackDate(event.at, '{time_secs}')}`;
      return reply(`:arrow_forward: Workflow ${inlineCode(event.workflowName)} started${when}.`);
    }
    case 'workflow-finished': {
      const duration =
        event.startedAt !== undefined && event.finishedAt !== undefined
          ? ` after ${formatDuration(Date.parse(event.finishedAt) - Date.parse(event.startedAt))}`
          : '';
      const succeeded = event.outcome === 'Succeeded';
      const head = succeeded
        ? `:white_check_mark: Workflow ${inlineCode(event.workflowName)} succeeded${duration}.`
        : `:x: Workflow ${inlineCode(event.workflowName)} failed${duration}.`;
      const why =
        event.message === undefined || event.message === '' ? '' : `\n> ${shortText(event.message, 500)}`;
      return reply(head + why);
    }
    case 'resolved': {
      const when = event.at === undefined ? '' : ` at ${slackDate(event.at, '{time_secs}')}`;
      return reply(`:white_circle: Alert resolved${when}.`);
    }
    case 'trigger-failed': {
      const why =
        event.message === undefined || event.message === '' ? '' : `\n> ${shortText(event.message, 500)}`;
      return reply(`:warning: No workflow started: ${escapeMrkdwn(event.triggerStatus)}.${why}`);
    }
    case 'approval-decided': {
      const { entry } = event;
      const verb = decisionVerb(entry.decision);
      const who = entry.via === 'controller' ? 'Aegis' : personReference(entry.by);
      const reason =
        entry.reason === undefined || entry.reason === '' ? '' : `\n> ${shortText(entry.reason, 500)}`;
      const text = `${decisionEmoji(entry.decision)} ${who} ${verb} the run via ${escapeMrkdwn(entry.via)} at ${slackDate(entry.at)}.${reason}`;
      return reply(text);
    }
  }
}

export function decisionVerb(decision: ApprovalHistoryEntry['decision']): string {
  switch (decision) {
    case 'Approved':
      return 'approved';
    case 'Rejected':
      return 'rejected';
    case 'Expired':
      return 'let expire';
    case 'Cancelled':
      return 'cancelled';
  }
}

function decisionEmoji(decision: ApprovalHistoryEntry['decision']): string {
  switch (decision) {
    case 'Approved':
      return ':white_check_mark:';
    case 'Rejected':
      return ':no_entry:';
    case 'Expired':
      return ':hourglass:';
    case 'Cancelled':
      return ':heavy_minus_sign:';
  }
}

/** Replies stay plain; the root message carries the state colour. */
function reply(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
