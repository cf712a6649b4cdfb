/** What one agent turn answers, and the plain messages for a turn that had to stop early. */
import type { ProposalResult } from '../tools/index.js';

export interface AskAgentInput {
  /** One Slack thread (`slack:<channel>:<threadTs>`) or one `aegis chat` session. */
  conversationId: string;
  text: string;
  /** Chat user id or user name of the asker; the requester of any proposal. */
  user: string;
  channel?: string | undefined;
  /** The alert whose thread the question was asked in; the agent reads it and gives it to the model. */
  alertContext?: { namespace?: string | undefined; name: string } | undefined;
  surface?: 'slack' | 'terminal' | undefined;
  /** Ends the turn early (e.g. the CLI on Ctrl-C). */
  signal?: AbortSignal | undefined;
}

/** A tool call the answer rests on. */
export interface AgentCitation {
  tool: string;
  input: unknown;
  ok: boolean;
}

export interface AgentUsage {
  modelCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Wall time of the turn. */
  durationMs: number;
  /** Time inside model calls; `durationMs - modelMs` is what Aegis adds (tools included). */
  modelMs: number;
  /** Time inside tool calls (cluster reads, the ops request), summed. */
  toolMs: number;
}

/** Why the turn ended: an answer, or one of the limits. */
export type AgentStopReason = 'answered' | 'step_limit' | 'timeout' | 'budget';

export interface AgentReply {
  answer: string;
  citations: AgentCitation[];
  /** Every propose_ops_run result of the turn; `pending_approval` ones created an ops request. */
  proposals: ProposalResult[];
  usage: AgentUsage;
  stop: AgentStopReason;
}

export function stopMessage(
  reason: Exclude<AgentStopReason, 'answered'>,
  detail: { maxSteps: number; timeoutMs: number; budgetMessage?: string | undefined },
): string {
  switch (reason) {
    case 'step_limit':
      return `I stopped after ${detail.maxSteps} steps without reaching an answer. Try a narrower question (one node, one pod or one alert).`;
    case 'timeout':
      return `I stopped after ${Math.round(detail.timeoutMs / 1000)} s without reaching an answer. Try again, or ask a narrower question.`;
    case 'budget':
      return detail.budgetMessage ?? 'The assistant has used up its token budget for now; try again later.';
  }
}

/** A line per proposal, so a stopped turn still tells the user what is waiting for approval. */
export function describeProposals(proposals: readonly ProposalResult[]): string {
  return proposals
    .filter((proposal) => proposal.status === 'pending_approval')
    .map(
      (proposal) =>
        `Proposed: run ${proposal.template} as ops request ${proposal.request}, pending approval (nothing runs until someone approves it).`,
    )
    .join('\n');
}
