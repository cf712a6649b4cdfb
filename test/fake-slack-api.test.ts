import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlackApi } from './support/fake-slack-api.js';
import type { FakeSlackApi } from './support/fake-slack-api.js';
import { startFakeSocketMode } from './support/fake-slack-socket-mode.js';

let slack: FakeSlackApi;

beforeAll(async () => {
  slack = await startFakeSlackApi();
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => slack.reset());

async function form(method: string, fields: Record<string, string>, token = 'xoxb-test'): Promise<Response> {
  return await fetch(`${slack.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function json(method: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${slack.url}${method}`, {
    method: 'POST',
    headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('fake Slack Web API', () => {
  it('posts, updates and threads messages, and rebuilds what the channel shows', async () => {
    const root = (await (
      await form('chat.postMessage', {
        channel: 'C1',
        text: 'first',
        blocks: JSON.stringify([{ type: 'divider' }]),
      })
    ).json()) as { ok: boolean; ts: string; channel: string };
    expect(root).toMatchObject({ ok: true, channel: 'C1' });
    expect(root.ts).toMatch(/^\d{10}\.\d{6}$/);

    const reply = await json('chat.postMessage', { channel: 'C1', text: 'reply', thread_ts: root.ts });
    expect(reply['ts']).not.toBe(root.ts);
    expect(await json('chat.update', { channel: 'C1', ts: root.ts, text: 'edited' })).toMatchObject({
      ok: true,
    });
    expect(await json('chat.update', { channel: 'C1', ts: '1.000001', text: 'x' })).toEqual({
      ok: false,
      error: 'message_not_found',
    });

    const [shown, ...others] = slack.messages('C1');
    expect(others).toEqual([]);
    expect(shown).toMatchObject({ text: 'edited', updates: 1, blocks: [{ type: 'divider' }] });
    expect(shown?.replies.map((message) => message.text)).toEqual(['reply']);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(2);
    expect(slack.calls[0]).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-test', status: 200 });
  });

  it('answers 429 with Retry-After when told to, then recovers', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 3, count: 2, channel: 'C2' });
    const other = await form('chat.postMessage', { channel: 'C1', text: 'unaffected' });
    expect(other.status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const limited = await form('chat.postMessage', { channel: 'C2', text: 'x' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
    }
    expect((await form('chat.postMessage', { channel: 'C2', text: 'x' })).status).toBe(200);
    expect(slack.messages('C2')).toHaveLength(1);
  });

  it('answers errors, auth, users and groups like Slack', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect(await json('chat.postMessage', { channel: 'C9', text: 'x' })).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect(await (await form('auth.test', {}, '')).json()).toEqual({ ok: false, error: 'not_authed' });
    slack.setGroupMembers('S1', ['U1', 'U2']);
    expect(await json('usergroups.users.list', { usergroup: 'S1' })).toEqual({
      ok: true,
      users: ['U1', 'U2'],
    });
    expect(await json('usergroups.users.list', { usergroup: 'S2' })).toMatchObject({ ok: false });
    slack.setUser({ id: 'U1', name: 'ada' });
    expect(await json('users.info', { user: 'U1' })).toMatchObject({
      ok: true,
      user: { id: 'U1', name: 'ada' },
    });
    expect(await json('conversations.open', { users: 'U1' })).toMatchObject({
      ok: true,
      channel: { id: 'DU1' },
    });
    expect(await json('views.open', { trigger_id: 't', view: { type: 'modal' } })).toMatchObject({
      ok: true,
      view: { type: 'modal' },
    });
    expect(await json('chat.postEphemeral', { channel: 'C1', user: 'U1', text: 'x' })).toMatchObject({
      ok: true,
    });
  });

  it('opens Socket Mode connections only for an app-level token, with single-use ws:// links', async () => {
    const socket = await startFakeSocketMode({ timeoutMs: 2_000 });
    const api = await startFakeSlackApi({ socketModeUrl: () => socket.connectionUrl() });
    try {
      const open = async (token: string) =>
        (await (
          await fetch(`${api.url}apps.connections.open`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { ok: boolean; url?: string; error?: string };
      expect(await open('xoxb-test')).toEqual({ ok: false, error: 'not_allowed_token_type' });
      const first = await open('xapp-1-test');
      const second = await open('xapp-1-test');
      expect(first.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[-0-9a-f]+&app_id=A0AEGIS$/);
      expect(second.url).not.toBe(first.url);
      // Not a WebSocket upgrade: refused.
      const plain = await fetch((first.url ?? '').replace('ws://', 'http://'));
      await plain.text();
      expect(plain.status).toBe(426);
      expect(socket.connections).toHaveLength(0);
    } finally {
      await api.close();
      await socket.close();
    }
  });
});
