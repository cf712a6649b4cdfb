/** Replies to `/aegis checks` and `/aegis check node <node>`. */
import type { ClusterCheckSummary } from '../inbound-services.js';
import { code, context, escapeText, reply, section, type ChatReply } from './blocks.js';

const listLimit = 30;

export function renderChecks(checks: readonly ClusterCheckSummary[]): ChatReply {
  if (checks.length === 0) return reply('ephemeral', 'There are no cluster health checks.');
  const sorted = [...checks].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
  const lines = sorted.slice(0, listLimit).map((check) => {
    const schedule = check.schedule === undefined ? 'once' : code(check.schedule);
    const last = check.lastRound;
    const round =
      last === undefined
        ? 'no round finished yet'
        : `last round: ${last.succeeded ?? 0}/${last.desired ?? 0} nodes checked, ${last.failingNodes ?? 0} with problems, ${last.uncheckedNodes ?? 0} not checked` +
          (last.completionTime === undefined
            ? ''
            : `, <!date^${Math.floor(Date.parse(last.completionTime) / 1000)}^{date_short_pretty} {time}|${escapeText(last.completionTime)}>`);
    return `${code(`${check.namespace}/${check.name}`)} ${schedule} · ${escapeText(check.phase ?? 'Pending')} (round ${check.round ?? 0}) · ${round}`;
  });
  const more = sorted.length > listLimit ? [context(`…and ${sorted.length - listLimit} more`)] : [];
  return reply('ephemeral', `${checks.length} cluster health checks`, [
    section(`*${checks.length}* cluster health checks:`),
    section(lines.join('\n')),
    ...more,
    context(`Check one node now: ${code('/aegis check node <node>')}`),
  ]);
}

export function renderCheckStarted(node: string, check: string): ChatReply {
  return reply('in_channel', `Checking node ${node}`, [
    section(`:stethoscope: Checking node ${code(node)} now (${code(check)}); the result follows here.`),
  ]);
}

export function renderChecksDisabled(): ChatReply {
  return reply('ephemeral', 'Health checks are turned off (AEGIS_HEALTHCHECKS=false).');
}

export interface NodeCheckResultView {
  name: string;
  node: string;
  status: string;
  /** Why it could not check the node (status Failed). */
  reason?: string | undefined;
  items: {
    module: string;
    item?: string | undefined;
    condition?: string | undefined;
    status?: boolean | undefined;
    message?: string | undefined;
  }[];
}

/** The result of `/aegis check node`, posted when the check finished. */
export function renderNodeCheckResult(view: NodeCheckResultView): ChatReply {
  const failing = view.items.filter((item) => item.status === true);
  if (view.status !== 'Succeeded') {
    return reply('in_channel', `Node ${view.node} could not be checked`, [
      section(
        `:grey_question: Node ${code(view.node)} could not be checked (${code(view.name)}): ${escapeText(view.reason ?? view.status)}`,
      ),
    ]);
  }
  const line = (item: NodeCheckResultView['items'][number]) =>
    `${item.status === true ? ':red_circle:' : ':large_green_circle:'} ${code(`${item.module}/${item.item ?? ''}`)}${item.condition === undefined ? '' : ` ${escapeText(item.condition)}`}${item.message === undefined ? '' : `: ${escapeText(item.message.slice(0, 200))}`}`;
  const headline =
    failing.length === 0
      ? `:white_check_mark: Node ${code(view.node)} passed all ${view.items.length} checks (${code(view.name)})`
      : `:warning: Node ${code(view.node)}: ${failing.length} of ${view.items.length} checks failed (${code(view.name)})`;
  return reply(
    'in_channel',
    failing.length === 0
      ? `Node ${view.node} is healthy`
      : `Node ${view.node}: ${failing.length} checks failed`,
    [
      section(headline),
      ...(view.items.length === 0
        ? []
        : [section(view.items.slice(0, listLimit).map(line).join('\n').slice(0, 3000))]),
    ],
  );
}
