import type { KnownBlock } from '@slack/types';
import { stateBadge, stateColors, stateLabels } from './alert-state.js';
import type { AlertDisplayState } from './alert-state.js';
import { escapeMrkdwn, inlineCode, slackDate } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

/** One alert of a storm group, as plain data. */
export interface StormMember {
  /** `namespace/name` of the AegisAlert. */
  readonly alert: string;
  /** e.g. `Node gpu-node-7`. */
  readonly object: string;
  readonly node?: string;
  readonly severity?: string;
  readonly state: AlertDisplayState;
  readonly count: number;
}

export interface StormGroupSummary {
  readonly type: string;
  /** Group id, shown small so operators can refer to it. */
  readonly group: string;
  readonly total: number;
  readonly byState: Readonly<Partial<Record<AlertDisplayState, number>>>;
  /** The newest few members, newest first. */
  readonly newest: readonly StormMember[];
  readonly firstAt: string;
  readonly lastAt: string;
}

const stateOrder: readonly AlertDisplayState[] = [
  'firing',
  'awaiting-approval',
  'running',
  'failed',
  'succeeded',
  'silenced',
  'resolved',
];

/** The group's colour: the most urgent state any member is in. */
export function groupDisplayState(byState: StormGroupSummary['byState']): AlertDisplayState {
  return stateOrder.find((state) => (byState[state] ?? 0) > 0) ?? 'resolved';
}

/** The root message of a storm group: a running summary; the members are listed in its thread. */
export function renderStormGroup(summary: StormGroupSummary): SlackMessage {
  const state = groupDisplayState(summary.byState);
  const counts = stateOrder
    .filter((candidate) => (summary.byState[candidate] ?? 0) > 0)
    .map((candidate) => `${stateLabels[candidate]}: *${summary.byState[candidate] ?? 0}*`)
    .join(' · ');
  const newest = summary.newest.map(memberLine).join('\n');
  const details: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: counts === '' ? 'No members yet.' : counts } },
  ];
  if (newest !== '') {
    details.push({ type: 'section', text: { type: 'mrkdwn', text: `*Newest*\n${newest}` } });
  }
  details.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `First ${slackDate(summary.firstAt, '{ago}')} · last ${slackDate(summary.lastAt, '{ago}')} · every alert is listed in this thread · group ${inlineCode(summary.group)}`,
      },
    ],
  });
  const title = `${stateBadge(state)}  :rotating_light: *Alert storm: ${summary.total} × ${escapeMrkdwn(summary.type)}*`;
  return {
    text: `Alert storm: ${summary.total} × ${escapeMrkdwn(summary.type)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }],
    attachments: [{ color: stateColors[state], blocks: details }],
  };
}

/** Members per digest reply: one reply per group of a typical storm, sections cut well under 3,000 characters. */
export const stormDigestPageSize = 50;
const sectionBudget = 2_800;

/** One reply in a storm group's thread listing a page of its members (numbered from `firstIndex`). */
export function renderStormDigest(
  type: string,
  firstIndex: number,
  members: readonly StormMember[],
): SlackMessage {
  const sections: string[] = [];
  let current = '';
  members.forEach((member, offset) => {
    const line = `${firstIndex + offset + 1}. ${memberLine(member)}`.slice(0, sectionBudget);
    if (current !== '' && current.length + 1 + line.length > sectionBudget) {
      sections.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  });
  if (current !== '') sections.push(current);
  const last = firstIndex + members.length;
  return {
    text: `${escapeMrkdwn(type)}: alerts ${firstIndex + 1}–${last}`,
    blocks: sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  };
}

function memberLine(member: StormMember): string {
  const node =
    member.node === undefined || member.node === '' || member.object.endsWith(member.node)
      ? ''
      : ` on ${escapeMrkdwn(member.node)}`;
  const severity = member.severity === undefined ? '' : ` · ${escapeMrkdwn(member.severity)}`;
  const count = member.count > 1 ? ` · ×${member.count}` : '';
  return `${stateBadge(member.state)} ${escapeMrkdwn(member.object)}${node}${severity}${count} · ${inlineCode(member.alert)}`;
}
