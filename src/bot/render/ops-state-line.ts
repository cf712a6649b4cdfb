/**
 * The card's state line: what Aegis is doing about the alert, in words, following the ops status (rule
 * matched, awaiting approval, running, succeeded or failed, silenced, resolved). `plain` is the same sentence
 * for the text fallback: no Slack tokens, no emoji.
 */
import type { AlertCard } from './alert-card.js';
import { formatDuration, inlineCode, shortText, slackDate } from './mrkdwn.js';

type Style = 'mrkdwn' | 'plain';

const triggerProblems: Readonly<Record<string, string>> = {
  TooManyRulesFound: 'more than one rule matches',
  TooManyRuletFound: 'more than one rule matches',
  TemplateNotFound: 'the rule’s template does not exist',
  TemplateInvalid: 'the rule’s template is invalid',
  TemplateUnsafe: 'an alert value is unsafe for the template',
  RuleErrorFound: 'the rule has an error',
  TriggerFailed: 'the workflow could not be started',
};

export function opsStateLine(card: AlertCard, style: Style): string {
  const ops = card.ops;
  const emoji = (name: string): string => (style === 'mrkdwn' ? `:${name}: ` : '');
  const code = (text: string): string =>
    style === 'mrkdwn' ? inlineCode(shortText(text, 200)) : shortText(text, 200);
  const when = (iso: string): string => (style === 'mrkdwn' ? slackDate(iso) : iso);
  const rule = ops.rule === undefined ? '' : `Rule ${code(ops.rule)} matched · `;
  const workflow = ops.workflowName === undefined ? 'the workflow' : `workflow ${code(ops.workflowName)}`;
  const why = ops.message === undefined || ops.message === '' ? '' : `: ${shortText(ops.message, 300)}`;
  const ran =
    ops.startedAt !== undefined && ops.finishedAt !== undefined
      ? ` after ${formatDuration(Date.parse(ops.finishedAt) - Date.parse(ops.startedAt))}`
      : '';

  if (card.state === 'silenced')
    return `${emoji('mute')}Silenced${card.silenced === undefined ? '' : `: ${shortText(card.silenced, 300)}`}`;
  switch (ops.phase) {
    case 'Succeeded':
      return `${emoji('white_check_mark')}${rule}${capital(workflow)} succeeded${ran}`;
    case 'Failed':
      return `${emoji('x')}${rule}${capital(workflow)} failed${ran}${why}`;
    case 'Running':
      return `${emoji('arrow_forward')}${rule}${capital(workflow)} running${ops.startedAt === undefined ? '' : ` since ${when(ops.startedAt)}`}`;
    default:
      break;
  }
  const approval = ops.approval;
  if (approval !== undefined) {
    switch (approval.state) {
      case 'pending': {
        if (card.state === 'resolved')
          return `${emoji('heavy_minus_sign')}${rule}resolved before anyone approved; nothing ran`;
        const expires = approval.expiresAt === undefined ? '' : ` · expires ${when(approval.expiresAt)}`;
        return `${emoji('raised_hand')}${rule}awaiting approval (${approval.approvals} of ${approval.needed})${expires}`;
      }
      case 'expired':
        return `${emoji('hourglass')}${rule}approval expired; nothing ran`;
      case 'rejected':
        return `${emoji('no_entry')}${rule}run rejected; nothing ran`;
      case 'cancelled':
        return `${emoji('heavy_minus_sign')}${rule}approval cancelled; nothing ran${why}`;
      case 'approved':
        if (ops.triggerStatus !== 'Triggered')
          return `${emoji('white_check_mark')}${rule}approved; starting the workflow`;
        break;
    }
  }
  const trigger = ops.triggerStatus;
  if (trigger === 'Triggered') return `${emoji('gear')}${rule}${capital(workflow)} created, waiting to run`;
  if (trigger === 'RuleNotFound') return `${emoji('grey_question')}No rule matches this alert; nothing runs`;
  if (trigger === 'Rejected') return `${emoji('no_entry')}${rule}run rejected; nothing ran`;
  if (trigger !== undefined && trigger !== 'AwaitingApproval') {
    return `${emoji('warning')}Nothing ran: ${triggerProblems[trigger] ?? shortText(trigger, 60)}${why}`;
  }
  if (card.state === 'resolved') return 'Resolved before any rule ran';
  return `${emoji('mag')}Looking for a matching rule`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
