/**
 * The agent's answer as a Slack message: the model's text (Markdown turned into mrkdwn, and escaped, so model
 * output can never become a mention such as `<!channel>` or a link it was not given), the pending proposals,
 * and the tool calls the answer rests on. Pure; snapshot-tested.
 */
import type { KnownBlock } from '@slack/types';
// Open item of issue 11: the Slack rendering of agent answers is to move to src/bot (the agent returning a
// channel-neutral reply); until then this is the one allowed arrow from src/agent to src/bot.
// eslint-disable-next-line no-restricted-imports
import { escapeMrkdwn, inlineCode } from '../../bot/render/index.js';
import type { AgentReply } from '../agent-loop/index.js';

export interface AgentSlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** Slack rejects section texts longer than 3,000 characters. */
const sectionLimit = 2_900;
const fallbackLimit = 3_000;

export const placeholderMessage: AgentSlackMessage = {
  text: 'looking…',
  blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: ':mag: looking…' }] }],
};

/** Markdown the models write → Slack mrkdwn, on already escaped text. */
export function markdownToMrkdwn(markdown: string): string {
  return escapeMrkdwn(markdown)
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/__(.+?)__/g, '_$1_')
    .replace(/^(\s*)[-*]\s+/gm, '$1• ');
}

function sections(text: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let rest = text;
  while (rest.length > 0) {
    let cut = rest.length <= sectionLimit ? rest.length : rest.lastIndexOf('\n', sectionLimit);
    if (cut <= 0) cut = sectionLimit;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: rest.slice(0, cut) } });
    rest = rest.slice(cut).replace(/^\n+/, '');
    if (blocks.length >= 10) break;
  }
  return blocks;
}

function describeInput(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const values = Object.values(input as Record<string, unknown>)
    .filter((value): value is string | number | boolean =>
      ['string', 'number', 'boolean'].includes(typeof value),
    )
    .map(String);
  return values.join(' ').slice(0, 80);
}

export function renderAgentAnswer(
  reply: Pick<AgentReply, 'answer' | 'citations' | 'proposals' | 'stop'>,
): AgentSlackMessage {
  const blocks: KnownBlock[] = sections(markdownToMrkdwn(reply.answer));
  for (const proposal of reply.proposals) {
    if (proposal.status !== 'pending_approval') continue;
    const parameters = Object.entries(proposal.parameters)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:hourglass_flowing_sand: *Proposed run, pending approval:* ${inlineCode(proposal.template)}${parameters === '' ? '' : ` with ${inlineCode(parameters)}`} as ops request ${inlineCode(proposal.request)}. Nothing runs until someone approves it.`,
      },
    });
  }
  const sources = [
    ...new Set(reply.citations.map((citation) => `${citation.tool} ${describeInput(citation.input)}`.trim())),
  ];
  if (sources.length > 0) {
    const shown = sources.slice(0, 12).map((source) => inlineCode(source));
    const more = sources.length > shown.length ? ` and ${sources.length - shown.length} more` : '';
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Read: ${shown.join(', ')}${more}` }],
    });
  }
  const text =
    reply.answer.length > fallbackLimit ? `${reply.answer.slice(0, fallbackLimit - 1)}…` : reply.answer;
  return { text: escapeMrkdwn(text), blocks };
}
