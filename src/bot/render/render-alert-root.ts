import type { KnownBlock, MrkdwnElement } from '@slack/types';
import { alertCardFrom } from './alert-card.js';
import type { AlertCard, AlertCardContext } from './alert-card.js';
import { stateBadge, stateColors, stateLabels } from './alert-state.js';
import type { AlertLike } from './alert-state.js';
import { formatDuration, inlineCode, shortText, slackDate, slackLink } from './mrkdwn.js';
import { fitMessage } from './slack-limits.js';
import type { SlackMessage } from './slack-message.js';
import { opsStateLine } from './ops-state-line.js';

export type AlertRootContext = AlertCardContext;

/** Detail fields on the card itself; the rest are listed in the thread ("more"). */
export const cardDetailFields = 8;
const detailValueLimit = 150;

/** The root message of an alert thread, from the AegisAlert (see `renderAlertCard`). */
export function renderAlertRoot(alert: AlertLike, context: AlertRootContext): SlackMessage {
  return renderAlertCard(alertCardFrom(alert, context));
}

/** `Node gpu-node-7`, `Pod ml/trainer-0` (plain text, not escaped). */
export function objectLabel(card: Pick<AlertCard, 'object' | 'reference'>): string {
  const { kind, name, namespace } = card.object;
  const qualified = name === undefined ? undefined : namespace === undefined ? name : `${namespace}/${name}`;
  return [kind, qualified].filter((part) => part !== undefined).join(' ') || card.reference;
}

/**
 * The root card: what is wrong, where, how bad and how often, the alert's own details and links, and what
 * Aegis does about it (the state line). Resolved and silenced alerts collapse to one line. Times are Slack
 * date tokens, so every reader sees their own time zone and the card needs no edit to stay current.
 */
export function renderAlertCard(card: AlertCard): SlackMessage {
  if (card.state === 'resolved' || card.state === 'silenced') return renderCollapsed(card);
  const object = objectLabel(card);
  const severity = card.severity === undefined ? '' : ` · ${shortText(card.severity, 40)}`;
  const title = `${stateBadge(card.state)}${severity}  *${shortText(card.type, 200)}* on ${shortText(object, 300)}`;
  const blocks: KnownBlock[] = [];
  if (card.summary !== undefined) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `>${shortText(card.summary, 500)}` } });
  }
  blocks.push({ type: 'section', fields: factFields(card).map(mrkdwn) });
  const shown = card.details.slice(0, cardDetailFields);
  if (shown.length > 0) {
    blocks.push({
      type: 'section',
      fields: shown.map((field) =>
        mrkdwn(`*${shortText(field.key, 60)}*\n${shortText(field.value, detailValueLimit)}`),
      ),
    });
  }
  // The host is shown beside our label, so where a link from alert data leads is never hidden.
  const links = card.links.map(
    (link) => `${slackLink(link.url, link.label)} (${shortText(new URL(link.url).host, 100)})`,
  );
  if (links.length > 0) blocks.push(context(`:link: ${links.join(' · ')}`));
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: opsStateLine(card, 'mrkdwn') } });
  const footer = [`alert ${inlineCode(card.reference)}`];
  if (card.ops.template !== undefined)
    footer.push(`template ${inlineCode(shortText(card.ops.template, 200))}`);
  const more = card.details.length - shown.length;
  if (more > 0) footer.push(`${more} more detail${more === 1 ? '' : 's'} in the thread`);
  if (card.group !== undefined) footer.push(`storm group ${inlineCode(card.group)}`);
  blocks.push(context(footer.join(' · ')));
  return fitMessage({
    text: fallbackText(card),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }],
    attachments: [{ color: stateColors[card.state], blocks }],
  });
}

function factFields(card: AlertCard): string[] {
  const { kind, name, namespace, node } = card.object;
  const fields = [`*${shortText(kind ?? 'Object', 60)}*\n${shortText(name ?? card.reference, 150)}`];
  if (namespace !== undefined) fields.push(`*Namespace*\n${shortText(namespace, 150)}`);
  if (node !== undefined && !(kind === 'Node' && node === name))
    fields.push(`*Node*\n${shortText(node, 150)}`);
  fields.push(`*Severity*\n${shortText(card.severity ?? 'unknown', 60)}`);
  fields.push(`*Count*\n${card.count}`);
  if (card.firstSeen !== undefined) fields.push(`*First seen*\n${slackDate(card.firstSeen)}`);
  if (card.lastSeen !== undefined) fields.push(`*Last seen*\n${slackDate(card.lastSeen)}`);
  // Ten fields at most in a section: the cluster parameters share what is left.
  for (const parameter of card.cluster.slice(0, 10 - fields.length)) {
    fields.push(`*${shortText(capitalised(parameter.key), 60)}*\n${shortText(parameter.value, 150)}`);
  }
  return fields;
}

/** One line for resolved and silenced alerts: state, duration, outcome. */
function renderCollapsed(card: AlertCard): SlackMessage {
  const object = objectLabel(card);
  const parts = [`${stateBadge(card.state)}  *${shortText(card.type, 200)}* on ${shortText(object, 300)}`];
  const lasted = duration(card);
  if (card.state === 'resolved' && lasted !== undefined) parts.push(`after ${lasted}`);
  if (card.count > 1) parts.push(`×${card.count}`);
  const outcome = opsStateLine(card, 'mrkdwn');
  const cluster = card.cluster.map((parameter) => shortText(parameter.value, 60)).join(', ');
  const footer = [outcome, `alert ${inlineCode(card.reference)}`];
  if (cluster !== '') footer.push(cluster);
  return fitMessage({
    text: fallbackText(card),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: parts.join(' · ') } }],
    attachments: [{ color: stateColors[card.state], blocks: [context(footer.join(' · '))] }],
  });
}

function duration(card: AlertCard): string | undefined {
  if (card.firstSeen === undefined || card.resolvedAt === undefined) return undefined;
  const milliseconds = Date.parse(card.resolvedAt) - Date.parse(card.firstSeen);
  return Number.isFinite(milliseconds) ? formatDuration(milliseconds) : undefined;
}

/** The notification / screen-reader text: the same facts in one sentence. */
function fallbackText(card: AlertCard): string {
  const severity = card.severity === undefined ? '' : ` (${shortText(card.severity, 40)})`;
  const head = `${stateLabels[card.state]}${severity}: ${shortText(card.type, 200)} on ${shortText(objectLabel(card), 300)}`;
  const parts = [head];
  if (card.state === 'resolved') {
    const lasted = duration(card);
    if (lasted !== undefined) parts.push(`after ${lasted}`);
  } else if (card.count > 1) {
    parts.push(`${card.count} times`);
  }
  if (card.summary !== undefined && card.state !== 'resolved' && card.state !== 'silenced') {
    parts.push(shortText(card.summary, 300));
  }
  parts.push(opsStateLine(card, 'plain'));
  return parts.join(' — ');
}

function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
