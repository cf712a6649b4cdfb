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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSocketMode, type FakeSocketMode } from './support/fake-slack-socket-mode.js';
import { postAsBot, shown } from './support/fake-slack-messages.js';
import { clickOn } from './support/slack-payloads.js';
import {
  opsChannel,
  readRepoFile,
  startSlackServe,
  type SlackServeEnvironment,
} from './support/slack-serve-environment.js';

const botToken = 'xoxb-socket-token';
const appToken = 'xapp-1-A0AEGIS-socket-token';
const approver = 'U0APPROVER';
const outsider = 'U0OUTSIDER';
/** The Socket Mode client waits about 5 s (its ping interval) before it reconnects. */
const reconnectTimeoutMs = 20_000;

let env: SlackServeEnvironment;
let socket: FakeSocketMode;

/** `/aegis help` over the newest connection: acknowledged, with the help as the ack's payload. */
async function helpOverSocket(): Promise<{ connection: number; payload: Record<string, unknown> }> {
  const sentAt = Date.now();
  const ack = await socket.slashCommand({ text: 'help', user: approver, channel: opsChannel });
  // Slack wants the ack within 3 s.
  expect(ack.at - sentAt).toBeLessThan(3_000);
  expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
  expect(JSON.stringify(ack.payload)).toContain('/aegis silence');
  return { connection: ack.connection, payload: ack.payload ?? {} };
}

beforeAll(async () => {
  socket = await startFakeSocketMode();
  env = await startSlackServe({
    name: 'aegis-slack-socket-',
    botToken,
    socketMode: { appToken, socket },
    timeoutMs: 60_000,
  });
  // The cordon example, with approval required.
  await env.applyCordonExample([approver]);
}, 180_000);

afterAll(async () => {
  await env?.close();
  await socket?.close();
});

describe('Slack over Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('opens the connection with the app-level token and is connected once serve has started', () => {
    const opens = env.slack.callsOf('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.token).toBe(appToken);
    expect(opens[0]?.error).toBeUndefined();
    expect(socket.connections).toHaveLength(1);
    expect(socket.openConnections()).toHaveLength(1);
    // Everything else went with the bot token.
    expect(env.slack.calls.filter((call) => call.token === appToken)).toHaveLength(1);
  });

  it('serves no Slack routes on the Aegis HTTP port', async () => {
    for (const path of ['/slack/events', '/slack/interactions', '/slack/commands']) {
      const response = await fetch(`${env.serve.httpUrl}${path}`, {
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
    const golden = JSON.parse(await readRepoFile('src/bot/inbound/render/__golden__/help.json')) as {
      text: string;
      blocks: unknown[];
    };
    // The same reply HTTP mode answers (one renderer), carried in the ack.
    expect(help.payload).toEqual({ response_type: 'ephemeral', text: golden.text, blocks: golden.blocks });
  });

  it('acknowledges a mention and answers it in its thread', async () => {
    // A message in the channel to mention the bot in.
    const ts = await postAsBot(env.slack, botToken, opsChannel, 'anyone around?');
    const ack = await socket.event({
      type: 'app_mention',
      user: outsider,
      text: '<@U0AEGIS> why is dev1 unhealthy?',
      ts,
      channel: opsChannel,
      event_ts: ts,
    });
    expect(ack.payload ?? {}).toEqual({});
    // No LLM is configured: the answer is the command list, in the mention's thread.
    const answer = await env.waitFor('the answer in the thread', () => env.replies(ts)[0]);
    expect(answer.text).toBe('I can only run commands for now: try /aegis help.');
  });

  it('an approver clicking Approve over Socket Mode runs the Workflow; a non-approver is refused', async () => {
    const fingerprint = await env.postExampleAlert('socket-mode-approval-0001');
    const { ts: rootTs } = await env.rootMessageOf(fingerprint);
    const request = await env.approvalRequestIn(rootTs);
    expect(shown(request)).toContain('kubectl cordon dev1');
    // The Workflow exists from the request on, suspended: what runs is what the message shows.
    const workflowsBefore = await env.workflowNames();

    // A non-approver: acknowledged, refused privately, nothing runs.
    const refusedAck = await socket.interactive(clickOn(outsider, request, 'aegis_approve'));
    expect(refusedAck.payload ?? {}).toEqual({});
    const refusal = await env.waitFor('the ephemeral refusal', () =>
      env.slack.callsOf('chat.postEphemeral').find((call) => call.params['user'] === outsider),
    );
    expect(refusal.params['channel']).toBe(opsChannel);
    expect(refusal.params['thread_ts']).toBe(rootTs);
    expect(String(refusal.params['text'])).toContain(`${outsider} may not approve this run`);
    expect((await env.alertWithFingerprint(fingerprint))?.status?.approval?.state).toBe('Pending');

    // The approver: the decision is recorded as HTTP mode records it, and the suspended Workflow is resumed.
    await socket.interactive(clickOn(approver, request, 'aegis_approve'));
    const { workflow } = await env.succeededAfterApproval(fingerprint, approver);
    expect(workflowsBefore).toContain(workflow);
    // The request loses its buttons and says who decided.
    await env.waitForDecision([request.ts], approver);
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
    expect(env.slack.callsOf('apps.connections.open')).toHaveLength(before + 2);
  }, 60_000);

  it('stopping serve closes the connection and opens no new one', async () => {
    const opened = socket.connections.length;
    await env.stopServe();
    await env.waitFor('the connection to close', () =>
      socket.openConnections().length === 0 ? true : undefined,
    );
    expect(socket.connections.at(-1)?.closedBy).toBe('app');
    // Longer than the client's reconnect delay (about 5 s): no reconnect follows a deliberate stop.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(socket.connections).toHaveLength(opened);
    expect(env.slack.callsOf('apps.connections.open')).toHaveLength(opened);
  }, 30_000);
});
