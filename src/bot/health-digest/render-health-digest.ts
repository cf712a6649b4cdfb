/**
 * The Slack digest of one cluster-check round: only what changed since the previous round — new failures,
 * recovered items, nodes that could not be checked (newly) — with the round's counters for context. Pure; the
 * data comes from the round (controller/healthchecks RoundDigest), every value is escaped.
 */
import type { KnownBlock } from '@slack/types';
import type { RoundDigest } from '../../controller/healthchecks/index.js';
import type { FailingItem } from '../../core/health-checks/index.js';
import { escapeMrkdwn, formatDuration, inlineCode, shortText, type SlackMessage } from '../render/index.js';

/** Lines per list; the rest is counted ("…and 12 more"). */
const listLimit = 15;

function itemLine(item: FailingItem): string {
  const what = `${item.module}: ${item.item ?? ''}`;
  const tags = [item.condition, item.level].filter((tag): tag is string => tag !== undefined && tag !== '');
  const message =
    item.message === undefined || item.message === '' ? '' : `: ${shortText(item.message, 160)}`;
  return `• *${escapeMrkdwn(item.node)}* ${inlineCode(what)}${tags.length === 0 ? '' : ` (${escapeMrkdwn(tags.join(', '))})`}${message}`;
}

function list(title: string, lines: readonly string[]): KnownBlock[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, listLimit);
  const more = lines.length - shown.length;
  const text = `${title} (${lines.length})\n${shown.join('\n')}${more > 0 ? `\n…and ${more} more` : ''}`;
  return [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }];
}

export function renderHealthDigest(digest: RoundDigest): SlackMessage {
  const { changes } = digest;
  const name = `${digest.check.namespace}/${digest.check.name}`;
  const tookMs = Date.parse(digest.completionTime) - Date.parse(digest.startTime);
  const summary =
    `${digest.succeeded}/${digest.desired} nodes checked · ${digest.failingNodes} with problems · ` +
    `${changes.unchecked.length} not checked${Number.isFinite(tookMs) && tookMs >= 0 ? ` · took ${formatDuration(tookMs)}` : ''}`;
  const counts = [
    changes.newFailures.length > 0 ? `${changes.newFailures.length} new failure(s)` : '',
    changes.recovered.length > 0 ? `${changes.recovered.length} recovered` : '',
    changes.newlyUnchecked.length > 0 ? `${changes.newlyUnchecked.length} node(s) not checked` : '',
  ].filter((part) => part !== '');
  const text = `Health check ${name}, round ${digest.round}: ${counts.join(', ')}`;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `Health check ${name} · round ${digest.round}`.slice(0, 150) },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(summary) }] },
    ...list(':red_circle: *New failures*', changes.newFailures.map(itemLine)),
    ...list(':large_green_circle: *Recovered*', changes.recovered.map(itemLine)),
    ...list(
      ':grey_question: *Not checked*',
      changes.newlyUnchecked.map((node) => `• *${escapeMrkdwn(node.node)}*: ${shortText(node.reason, 200)}`),
    ),
  ];
  if (changes.stillFailing.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${changes.stillFailing.length} item(s) still failing since an earlier round (not repeated here)`,
        },
      ],
    });
  }
  return { text, blocks };
}
