import { describe, expect, it } from 'vitest';
import type { AgentReply } from '../agent-loop/index.js';
import { answeredReply, pendingCordonProposal } from '../../../test/support/agent-replies.js';
import { createSlackAgentPort, type AgentSlackClient, type ApprovalThreadPort } from './slack-agent-port.js';

const question = { text: 'cordon it', user: 'U0ASKER', channel: 'C0OPS', threadTs: '1700000000.000100' };

const reply = (proposals: AgentReply['proposals']): AgentReply =>
  answeredReply('I proposed cordoning dev1.', proposals);

const pending = pendingCordonProposal('opsrequest-cordon-abcde', 'pending');

function recordingSlack(log: string[]): AgentSlackClient {
  return {
    postMessage: ({ channel, threadTs }) => {
      log.push(`post ${channel} ${threadTs ?? ''}`);
      return Promise.resolve({ channel, ts: '1700000000.000200' });
    },
    updateMessage: ({ channel, ts }) => {
      log.push(`update ${channel} ${ts}`);
      return Promise.resolve({ channel, ts });
    },
  };
}

describe('the Slack agent port and proposals', () => {
  it('shows each pending proposal in the thread it was asked in, after the answer', async () => {
    const log: string[] = [];
    const approvalThreads: ApprovalThreadPort = {
      showApprovalInThread: (request, thread) => {
        log.push(`show ${request.namespace}/${request.name} in ${thread.channel} ${thread.threadTs}`);
        return Promise.resolve();
      },
    };
    const port = createSlackAgentPort({
      askAgent: () =>
        Promise.resolve(reply([pending, { status: 'invalid', template: 'monitoring/x', message: 'no' }])),
      slack: recordingSlack(log),
      approvalThreads,
    });
    await port.answer(question);
    expect(log).toEqual([
      'post C0OPS 1700000000.000100',
      'update C0OPS 1700000000.000200',
      'show monitoring/opsrequest-cordon-abcde in C0OPS 1700000000.000100',
    ]);
  });

  it('answers anyway when the approval message cannot be shown in the thread', async () => {
    const log: string[] = [];
    const port = createSlackAgentPort({
      askAgent: () => Promise.resolve(reply([pending])),
      slack: recordingSlack(log),
      approvalThreads: { showApprovalInThread: () => Promise.reject(new Error('redis down')) },
    });
    await expect(port.answer(question)).resolves.toBeUndefined();
    expect(log).toEqual(['post C0OPS 1700000000.000100', 'update C0OPS 1700000000.000200']);
  });
});
