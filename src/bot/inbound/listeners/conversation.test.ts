import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.js';
import type { AegisAlert } from '../../../core/resources/index.js';
import type { InboundServices } from '../inbound-services.js';
import { createSlackGroupResolver } from '../slack-group-resolver.js';
import type { SlackWebApi } from '../slack-web-api.js';
import { handleConversation, stripMention } from './conversation.js';
import { noChatOperators } from '../commands/chat-rights.js';
import type { ListenerContext } from './listener-context.js';

const threadAlert = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlert',
  metadata: { name: 'mem-1', namespace: 'monitoring' },
  spec: { type: 'NodeMemoryPressure', status: 'Firing' },
  status: { slack: { channel: 'C1', ts: '100.1' } },
} as AegisAlert;

function setup(agent?: ListenerContext['agent']) {
  const posts: Parameters<SlackWebApi['postMessage']>[0][] = [];
  const slack: SlackWebApi = {
    postEphemeral: () => Promise.resolve(),
    postMessage: (args) => {
      posts.push(args);
      return Promise.resolve();
    },
    openView: () => Promise.resolve(),
    publishHome: () => Promise.resolve(),
  };
  const services = { alerts: { list: () => Promise.resolve([threadAlert]) } } as unknown as InboundServices;
  const context: ListenerContext = {
    services,
    slack,
    groups: createSlackGroupResolver(
      { usergroups: { users: { list: () => Promise.resolve({ users: [] }) } } },
      1000,
    ),
    agent,
    logger: silentLogger,
    metrics: { request: () => undefined, listenerFailed: () => undefined },
    clock: () => new Date(),
    rights: noChatOperators,
  };
  return { posts, context };
}

describe('handleConversation', () => {
  it('hands a reply in an alert thread to the agent with the alert, and posts its answer in the thread', async () => {
    const questions: unknown[] = [];
    const { posts, context } = setup({
      answer: (question) => {
        questions.push(question);
        return Promise.resolve({ text: 'It is the page cache.' });
      },
    });
    await handleConversation(
      { kind: 'thread_reply', text: 'why?', user: 'U1', channel: 'C1', ts: '100.5', threadTs: '100.1' },
      context,
    );
    expect(questions).toEqual([
      {
        text: 'why?',
        user: 'U1',
        channel: 'C1',
        threadTs: '100.1',
        alertRef: { namespace: 'monitoring', name: 'mem-1' },
      },
    ]);
    expect(posts).toEqual([{ channel: 'C1', text: 'It is the page cache.', threadTs: '100.1' }]);
  });

  it('without an agent: help for mentions and DMs, silence for thread chatter', async () => {
    const { posts, context } = setup();
    await handleConversation(
      { kind: 'thread_reply', text: 'looking', user: 'U1', channel: 'C1', ts: '100.5', threadTs: '100.1' },
      context,
    );
    expect(posts).toEqual([]);
    await handleConversation({ kind: 'direct', text: 'hi', user: 'U1', channel: 'D1', ts: '5.1' }, context);
    expect(posts[0]).toMatchObject({
      channel: 'D1',
      text: 'I can only run commands for now: try /aegis help.',
    });
    expect(posts[0]).not.toHaveProperty('threadTs');
  });

  it('an agent failure is explained in plain words', async () => {
    const { posts, context } = setup({ answer: () => Promise.reject(new Error('boom')) });
    await handleConversation(
      { kind: 'mention', text: '<@UBOT> hi', user: 'U1', channel: 'C9', ts: '7.1', botUserId: 'UBOT' },
      { ...context, newReference: () => 'r1' },
    );
    expect(posts).toEqual([{ channel: 'C9', text: 'internal error, see logs (ref r1)', threadTs: '7.1' }]);
  });

  it('strips the bot mention', () => {
    expect(stripMention('<@UBOT|aegis>  why   now', 'UBOT')).toBe('why now');
  });
});

describe('createSlackGroupResolver', () => {
  it('caches members per group for the TTL and does not cache failures', async () => {
    let time = 0;
    const calls: string[] = [];
    let fail = true;
    const resolver = createSlackGroupResolver(
      {
        usergroups: {
          users: {
            list: ({ usergroup }) => {
              calls.push(usergroup);
              if (usergroup === 'S0BAD' && fail) return Promise.reject(new Error('no_such_subteam'));
              return Promise.resolve({ ok: true, users: ['U1'] });
            },
          },
        },
      },
      1_000,
      { clock: () => time },
    );
    expect(await resolver.groupsOf('U1', ['S0A', 'U2', 'S0BAD'])).toEqual(['S0A']);
    expect(await resolver.groupsOf('U1', ['S0A'])).toEqual(['S0A']);
    expect(calls).toEqual(['S0A', 'S0BAD']);
    fail = false;
    time = 1_001;
    expect(await resolver.groupsOf('U1', ['S0A', 'S0BAD'])).toEqual(['S0A', 'S0BAD']);
    expect(calls).toEqual(['S0A', 'S0BAD', 'S0A', 'S0BAD']);
  });
});
