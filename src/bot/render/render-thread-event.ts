import type { ApprovalHistoryEntry } from '../../core/resources/aegis-alert.js';
import {
  escapeMrkdwn,
  formatDuration,
  inlineCode,
  personReference,
  shortText,
  slackDate,
  truncateEscaped,
} from './mrkdwn.js';
import { fitMessage } from './slack-limits.js';
import type { SlackMessage } from './slack-message.js';

/** One pod step of an alert's Workflow, as plain data. */
export interface WorkflowStepView {
  /** Argo's display name, e.g. `cordon` or `start(1)` for a retry. */
  readonly name: string;
  /** Argo's node phase: Pending, Running, Succeeded, Failed, Error, Skipped, Omitted. */
  readonly phase: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly message?: string;
  /** The last lines of the step's log (failed steps). */
  readonly logTail?: string;
}

/** Something that happened to an alert and gets one reply in its thread. Plain data; see `alertThreadEvents`. */
export type ThreadEvent =
  | { readonly kind: 'rule-matched'; readonly rule: string; readonly template?: string }
  | { readonly kind: 'step-finished'; readonly workflowName: string; readonly step: WorkflowStepView }
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
    case 'rule-matched': {
      const template =
        event.template === undefined ? '' : ` → template ${inlineCode(shortText(event.template, 200))}`;
      return reply(`:dart: Matched rule ${inlineCode(shortText(event.rule, 200))}${template}.`);
    }
    case 'step-finished':
      return renderStep(event.step);
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

const logTailLines = 20;
const logTailLimit = 1_500;

/** One line per finished step; a failed step adds its message and the tail of its log. */
function renderStep(step: WorkflowStepView): SlackMessage {
  const duration =
    step.startedAt !== undefined && step.finishedAt !== undefined
      ? ` after ${formatDuration(Date.parse(step.finishedAt) - Date.parse(step.startedAt))}`
      : '';
  const name = inlineCode(shortText(step.name, 200));
  const ok = step.phase === 'Succeeded';
  const skipped = step.phase === 'Skipped' || step.phase === 'Omitted';
  const emoji = ok ? ':heavy_check_mark:' : skipped ? ':fast_forward:' : ':x:';
  const verb = ok ? 'succeeded' : skipped ? 'was skipped' : step.phase === 'Error' ? 'errored' : 'failed';
  let text = `${emoji} Step ${name} ${verb}${duration}.`;
  if (!ok && !skipped && step.message !== undefined) text += `\n> ${shortText(step.message, 500)}`;
  if (!ok && !skipped && step.logTail !== undefined && step.logTail.trim() !== '') {
    const lines = step.logTail.replace(/\n+$/, '').split('\n').slice(-logTailLines).join('\n');
    const tail = lines.length > logTailLimit ? `…${lines.slice(-logTailLimit)}` : lines;
    const { text: escaped } = truncateEscaped(tail.replace(/```/g, '`\u200b`\u200b`'), logTailLimit + 200);
    text += `\nLast lines of its log:\n\`\`\`\n${escaped}\n\`\`\``;
  }
  return reply(text);
}

/** Replies stay plain; the root message carries the state colour. */
function reply(text: string): SlackMessage {
  return fitMessage({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
}
