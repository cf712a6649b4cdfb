/**
 * Agent replies as `AskAgent` answers them (an answered turn with a token-sized usage), for the tests of what
 * shows them to people: the Slack agent port and `aegis chat`. No model is involved.
 */
import type { AgentReply } from '../../src/agent/index.js';

type Proposal = AgentReply['proposals'][number];

/** An answered turn with `answer`, `proposals` and `citations`. */
export function answeredReply(
  answer: string,
  proposals: Proposal[] = [],
  citations: AgentReply['citations'] = [],
): AgentReply {
  return {
    answer,
    citations,
    proposals,
    usage: {
      modelCalls: 1,
      toolCalls: 1,
      inputTokens: 1,
      outputTokens: 1,
      totalTokens: 2,
      durationMs: 1,
      modelMs: 1,
      toolMs: 0,
    },
    stop: 'answered',
  };
}

/** A proposal that created the ops request `request` (to cordon dev1 in monitoring), pending approval. */
export function pendingCordonProposal(request: string, message: string): Proposal {
  return {
    status: 'pending_approval',
    request,
    namespace: 'monitoring',
    template: 'monitoring/cordon',
    parameters: { node: 'dev1' },
    message,
  };
}
