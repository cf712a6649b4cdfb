/**
 * `aegis chat`: without an LLM it says so and exits 2; with one, each line is a turn of one conversation, and
 * proposals are shown with how to approve them.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AskAgentInput } from '../src/agent/index.js';
import { noLlmMessage, runChat } from '../src/cli/index.js';
import { main } from '../src/main.js';
import { answeredReply, pendingCordonProposal } from './support/agent-replies.js';

describe('aegis chat', () => {
  it('exits 2 with a plain message when no LLM is configured', async () => {
    const out: string[] = [];
    const saved = process.env['OPENAI_BASE_URL'];
    delete process.env['OPENAI_BASE_URL'];
    const code = await main(['chat'], {
      stdout: (text) => out.push(text),
      stderr: (text) => out.push(text),
    }).finally(() => {
      if (saved !== undefined) process.env['OPENAI_BASE_URL'] = saved;
    });
    expect(code).toBe(2);
    expect(out.join('')).toBe(noLlmMessage);
  });

  it('runs one conversation, turn after turn, until exit', async () => {
    const asked: AskAgentInput[] = [];
    const input = new PassThrough();
    const out: string[] = [];
    const done = runChat(
      (question) => {
        asked.push(question);
        return Promise.resolve(
          answeredReply(
            `answer to ${question.text}`,
            question.text === 'cordon dev1' ? [pendingCordonProposal('opsrequest-cordon-abc12', '')] : [],
            [{ tool: 'get_node', input: { name: 'dev1' }, ok: true }],
          ),
        );
      },
      { input, write: (text) => out.push(text) },
      { user: 'alice', sessionId: 's1' },
    );
    input.write('why is dev1 down?\n\ncordon dev1\nexit\nnever asked\n');
    expect(await done).toBe(0);
    expect(asked.map((question) => question.text)).toEqual(['why is dev1 down?', 'cordon dev1']);
    expect(new Set(asked.map((question) => question.conversationId))).toEqual(new Set(['chat:s1']));
    expect(asked[0]).toMatchObject({ user: 'alice', surface: 'terminal' });
    const printed = out.join('');
    expect(printed).toContain('answer to why is dev1 down?');
    expect(printed).toContain('[pending approval] ops request opsrequest-cordon-abc12');
    expect(printed).toContain('aegis approve opsrequest-cordon-abc12');
    expect(printed).toContain('(read: get_node)');
  });
});
