/**
 * Socket Mode end to end: `aegis serve` on the sandbox with SLACK_APP_TOKEN set, exactly as a user configures
 * it, against two loopback fakes: the Slack Web API (SLACK_API_URL), whose `apps.connections.open` hands out
 * the URL of the fake Socket Mode WebSocket server, and that server, which says `hello` and then delivers
 * envelopes as Slack does (`slash_commands`, `interactive`, `events_api`, each with an `envelope_id`) and
 * records the acknowledgements.
 *
 * Proves: the connection is opened with the app-level token; `/aegis help` is acknowledged with its answer;
 * a mention is acknowledged and answered in its thread; an approver's button click runs the Workflow and
 * records the decision as HTTP mode does (a non-approver's is refused, privately); Slack's `disconnect`
 * message and a socket the server closes are both followed by a new connection that works; the Aegis HTTP
 * port serves no Slack routes; stopping serve closes the connection and opens no new one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startServe, type RunningServe } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import type { AegisAlert } from '../src/core/resources/index.js';
import { findFreePort } from '../src/platform/index.js';
import { startFakeSlackApi, type FakeMessage, type FakeSlackApi } from './support/fake-slack-api.js';
import { startFakeSocketMode, type FakeSocketMode } from './support/fake-slack-socket-mode.js';

const channel = 'C0AEGISOPS';
const botToken = 'xoxb-socket-token';
const appToken = 'xapp-1-A0AEGIS-socket-token';
const approver = 'U0APPROVER';
const outsider = 'U0OUTSIDER';
const namespace = 'monitoring';
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace } as const;
const timeoutMs = 60_000;
/** The Socket Mode client waits about 5 s (its ping interval) before it reconnects. */
const reconnectTimeoutMs = 20_000;

let running: RunningServe | undefined;
let slack: FakeSlackApi;
let socket: FakeSocketMode;
let stateDir: string;

const repoFile = async (path: string): Promise<string> =>
  await readFile(new URL(`../${path}`, import.meta.url), 'utf8');

function serve(): RunningServe {
  if (running === undefined) throw new Error('serve is not running');
  return running;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function alertWithFingerprint(fingerprint: string): Promise<AegisAlert | undefined> {
  const list = (await serve().kubeClients.customObjects.listNamespacedCustomObject({
    ...aegis,
    plural: 'aegisalerts',
  })) as { items: AegisAlert[] };
  return list.items.find((alert) => alert.metadata.labels?.['fingerprint'] === fingerprint);
}

async function workflowNames(): Promise<string[]> {
  const list = (await serve().kubeClients.customObjects.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'workflows',
  })) as { items: { metadata: { name: string } }[] };
  return list.items.map((item) => item.metadata.name);
}

const shown = (message: FakeMessage): string =>
  JSON.stringify([message.text, message.blocks, message.attachments]);

interface Button {
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly text: string };
}

function buttonsOf(message: FakeMessage): { blockId: string; buttons: Button[] } | undefined {
  const blocks = (message.blocks ?? []) as { type: string; block_id?: string; elements?: unknown[] }[];
  const actions = blocks.find((block) => block.type === 'actions');
  if (actions === undefined) return undefined;
  return { blockId: actions.block_id ?? '', buttons: (actions.elements ?? []) as Button[] };
}

function replies(rootTs: string): FakeMessage[] {
  return slack.messages(channel).find((message) => message.ts === rootTs)?.replies ?? [];
}

/** A button click as Slack delivers it over Socket Mode: an `interactive` envelope with a block_actions payload. */
function blockActions(user: string, message: FakeMessage, actionId: string): Record<string, unknown> {
  const found = buttonsOf(message);
  const button = found?.buttons.find((candidate) => candidate.action_id === actionId);
  if (found === undefined || button === undefined) throw new Error(`no ${actionId} button on the message`);
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0AEGIS',
    token: 'legacy-verification-token',
    team: { id: 'T0FAKE', domain: 'fake' },
    trigger_id: `trigger-${user}`,
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    channel: { id: message.channel, name: 'aegis-ops' },
    message: {
      type: 'message',
      ts: message.ts,
      thread_ts: message.threadTs,
      text: message.text,
      blocks: message.blocks,
    },
    response_url: 'http://127.0.0.1:9/actions/response',
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: found.blockId,
        value: button.value,
        text: { type: 'plain_text', text: button.text.text },
        action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
      },
    ],
  };
}

/** `/aegis help` over the newest connection: acknowledged, with the help as the ack's payload. */
async function helpOverSocket(): Promise<{ connection: number; payload: Record<string, unknown> }> {
  const sentAt = Date.now();
  const ack = await socket.slashCommand({ text: 'help', user: approver, channel });
  // Slack wants the ack within 3 s.
  expect(ack.at - sentAt).toBeLessThan(3_000);
  expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
  expect(JSON.stringify(ack.payload)).toContain('/aegis silence');
  return { connection: ack.connection, payload: ack.payload ?? {} };
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'aegis-slack-socket-'));
  socket = await startFakeSocketMode();
  slack = await startFakeSlackApi({
    tokens: [botToken, appToken],
    socketModeUrl: () => socket.connectionUrl(),
  });
  const config = loadConfig({
    AEGIS_SANDBOX: 'true',
    AEGIS_HTTP_HOST: '127.0.0.1',
    AEGIS_HTTP_PORT: String(await findFreePort()),
    AEGIS_STATE_DIR: stateDir,
    SLACK_BOT_TOKEN: botToken,
    // Socket Mode needs no signing secret: the WebSocket is authenticated by the app-level token.
    SLACK_APP_TOKEN: appToken,
    SLACK_API_URL: slack.url,
    AEGIS_SLACK_CHANNEL: channel,
  });
  running = await startServe(config, { logger: silentLogger, print: () => undefined });
  const template = YAML.parse(await repoFile('examples/cordon-on-emergency/template.yaml')) as object;
  await serve().kubeClients.customObjects.createNamespacedCustomObject({
    ...aegis,
    plural: 'aegisopstemplates',
    body: template,
  });
  // The cordon example's rule, with approval required.
  const rule = YAML.parse(await repoFile('examples/cordon-on-emergency/rule.yaml')) as {
    spec: Record<string, unknown>;
  };
  rule.spec['approval'] = { required: true, approvers: [approver] };
  await serve().kubeClients.customObjects.createNamespacedCustomObject({
    ...aegis,
    plural: 'aegisalertopsrules',
    body: rule,
  });
}, 180_000);

afterAll(async () => {
  await running?.close();
  await slack?.close();
  await socket?.close();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

describe('Slack over Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('opens the connection with the app-level token and is connected once serve has started', () => {
    const opens = slack.callsOf('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.token).toBe(appToken);
    expect(opens[0]?.error).toBeUndefined();
    expect(socket.connections).toHaveLength(1);
    expect(socket.openConnections()).toHaveLength(1);
    // Everything else went with the bot token.
    expect(slack.calls.filter((call) => call.token === appToken)).toHaveLength(1);
  });

  it('serves no Slack routes on the Aegis HTTP port', async () => {
    for (const path of ['/slack/events', '/slack/interactions', '/slack/commands']) {
      const response = await fetch(`${serve().httpUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'url_verification', challenge: 'c' }),
      });
      await response.text();
      expect(response.status, path).toBe(404);
    }
  });

  it('acknowledges /aegis help with the answer', async () => {
    const help = await helpOverSocket();
    expect(help.connection).toBe(1);
    const golden = JSON.parse(await repoFile('src/bot/inbound/render/__golden__/help.json')) as {
      text: string;
      blocks: unknown[];
    };
    // The same reply HTTP mode answers (one renderer), carried in the ack.
    expect(help.payload).toEqual({ response_type: 'ephemeral', text: golden.text, blocks: golden.blocks });
  });

  it('acknowledges a mention and answers it in its thread', async () => {
    // A message in the channel to mention the bot in (the fake knows only messages posted through it).
    const posted = await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${botToken}` },
      body: JSON.stringify({ channel, text: 'anyone around?' }),
    });
    const ts = ((await posted.json()) as { ts: string }).ts;
    const ack = await socket.event({
      type: 'app_mention',
      user: outsider,
      text: '<@U0AEGIS> why is dev1 unhealthy?',
      ts,
      channel,
      event_ts: ts,
    });
    expect(ack.payload ?? {}).toEqual({});
    // No LLM is configured: the answer is the command list, in the mention's thread.
    const answer = await waitFor('the answer in the thread', () => replies(ts)[0]);
    expect(answer.text).toBe('I can only run commands for now: try /aegis help.');
  });

  it('an approver clicking Approve over Socket Mode runs the Workflow; a non-approver is refused', async () => {
    const example = JSON.parse(await repoFile('examples/alerts/custom-node-firing.json')) as {
      fingerprint: string;
    };
    const fingerprint = 'socket-mode-approval-0001';
    example.fingerprint = fingerprint;
    const response = await fetch(`${serve().httpUrl}/default/alert`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(example),
    });
    expect(response.status).toBe(202);
    const rootTs = await waitFor('the alert root message', async () => {
      const found = await alertWithFingerprint(fingerprint);
      return found?.status?.slack?.ts;
    });
    const request = await waitFor('the approval request in the thread', () =>
      replies(rootTs).find((reply) => buttonsOf(reply) !== undefined),
    );
    expect(shown(request)).toContain('kubectl cordon dev1');
    const workflowsBefore = await workflowNames();

    // A non-approver: acknowledged, refused privately, nothing runs.
    const refusedAck = await socket.interactive(blockActions(outsider, request, 'aegis_approve'));
    expect(refusedAck.payload ?? {}).toEqual({});
    const refusal = await waitFor('the ephemeral refusal', () =>
      slack.callsOf('chat.postEphemeral').find((call) => call.params['user'] === outsider),
    );
    expect(refusal.params['channel']).toBe(channel);
    expect(refusal.params['thread_ts']).toBe(rootTs);
    expect(String(refusal.params['text'])).toContain(`${outsider} may not approve this run`);
    expect((await alertWithFingerprint(fingerprint))?.status?.approval?.state).toBe('Pending');

    // The approver: the decision is recorded as HTTP mode records it, and the Workflow is created and runs.
    await socket.interactive(blockActions(approver, request, 'aegis_approve'));
    const done = await waitFor('the approved alert to succeed', async () => {
      const current = await alertWithFingerprint(fingerprint);
      return current?.status?.opsStatus?.alertOpsStatus === 'Succeeded' ? current : undefined;
    });
    expect(done.status?.approval?.state).toBe('Approved');
    expect(done.status?.approval?.history).toEqual([
      expect.objectContaining({ decision: 'Approved', by: approver, via: 'slack' }),
    ]);
    const workflow = done.status?.opsStatus?.workflowName;
    expect(workflow).toBeDefined();
    expect(workflowsBefore).not.toContain(workflow);
    expect(await workflowNames()).toContain(workflow);
    // The request loses its buttons and says who decided.
    await waitFor('the approval message to show the decision', () => {
      const decided = replies(rootTs).find((reply) => reply.ts === request.ts);
      return decided !== undefined && buttonsOf(decided) === undefined && shown(decided).includes(approver)
        ? true
        : undefined;
    });
  }, 120_000);

  it("reconnects after Slack's disconnect message, and after the server closes the socket", async () => {
    const before = socket.connections.length;
    socket.requestDisconnect('refresh_requested');
    await socket.waitForConnections(before + 1, reconnectTimeoutMs);
    // The app closed the old connection itself (the close handshake), then opened a new one.
    expect(socket.connections[before - 1]?.closedBy).toBe('app');
    expect(socket.openConnections()).toHaveLength(1);
    expect((await helpOverSocket()).connection).toBe(before + 1);

    socket.dropConnections();
    await socket.waitForConnections(before + 2, reconnectTimeoutMs);
    expect(socket.connections[before]?.closedBy).toBe('server');
    expect(socket.openConnections()).toHaveLength(1);
    expect((await helpOverSocket()).connection).toBe(before + 2);
    // Each connection came from its own apps.connections.open (single-use URLs).
    expect(slack.callsOf('apps.connections.open')).toHaveLength(before + 2);
  }, 60_000);

  it('stopping serve closes the connection and opens no new one', async () => {
    const opened = socket.connections.length;
    await serve().close();
    running = undefined;
    await waitFor('the connection to close', () =>
      socket.openConnections().length === 0 ? true : undefined,
    );
    expect(socket.connections.at(-1)?.closedBy).toBe('app');
    // Longer than the client's reconnect delay (about 5 s): no reconnect follows a deliberate stop.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(socket.connections).toHaveLength(opened);
    expect(slack.callsOf('apps.connections.open')).toHaveLength(opened);
  }, 30_000);
});
