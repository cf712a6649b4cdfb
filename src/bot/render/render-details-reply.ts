/**
 * The "more" of an alert's card: the details that did not fit on it, as one reply in its thread, most useful
 * first, each value cut to a readable length. Thousands of details or megabyte values still make one message
 * inside Slack's limits; what is left out is named, with the kubectl command that shows all of it. Pure.
 */
import type { KnownBlock } from '@slack/types';
import type { AlertCard } from './alert-card.js';
import { inlineCode, shortText } from './mrkdwn.js';
import { cardDetailFields } from './render-alert-root.js';
import { slackLimits } from './slack-limits.js';
import type { SlackMessage } from './slack-message.js';

const valueLimit = 300;
const sectionBudget = 2_800;
/** Text of all sections together, inside Slack's total for one message. */
const totalBudget = slackLimits.messageTextTotal - 1_000;

/** The reply listing the details the card leaves out, or undefined when the card shows them all. */
export function renderMoreDetails(card: AlertCard): SlackMessage | undefined {
  const rest = card.details.slice(cardDetailFields);
  if (rest.length === 0) return undefined;
  const sections: string[] = [];
  let current = `*More details* (${rest.length})`;
  let total = 0;
  let listed = 0;
  for (const field of rest) {
    const line = `*${shortText(field.key, 100)}*: ${shortText(field.value, valueLimit)}`;
    if (
      total + current.length + line.length + 1 > totalBudget ||
      sections.length >= slackLimits.blocksPerMessage - 3
    )
      break;
    if (current.length + line.length + 1 > sectionBudget) {
      sections.push(current);
      total += current.length;
      current = line;
    } else {
      current = `${current}\n${line}`;
    }
    listed += 1;
  }
  sections.push(current);
  const blocks: KnownBlock[] = sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  const [namespace, name] = [
    card.reference.slice(0, card.reference.indexOf('/')),
    card.reference.slice(card.reference.indexOf('/') + 1),
  ];
  const kubectl = inlineCode(`kubectl get aegisalert -n ${namespace} ${name} -o jsonpath='{.spec.details}'`);
  const left = rest.length - listed;
  const note =
    left > 0
      ? `:scissors: ${left} more not shown here. All of them: ${kubectl}`
      : `Values are cut at ${valueLimit} characters; whole values: ${kubectl}`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: note }] });
  return { text: `More details of ${shortText(card.type, 200)}: ${rest.length}`, blocks };
}
