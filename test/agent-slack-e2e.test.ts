/**
 * The LLM issue's "Done when", end to end through `aegis serve` exactly as a user configures it: the sandbox,
 * Slack pointed at the fake Slack Web API (SLACK_API_URL) and the LLM pointed at the scripted fake
 * OpenAI-compatible server (OPENAI_BASE_URL, AEGIS_LLM_MODEL). With the cordon example applied, the README's
 * example alert gets its root message; a reply in that alert's thread (a signed Events API `message` event)
 * asking "why did this fire and what should I do?" gets a placeholder that is replaced by an answer resting on
 * the alert, the node and its events (and no secret reaches the model); "cordon it" in the same thread creates
 * an ops request that waits for approval, changes nothing, and appears in that thread as an approval message
 * (as well as in the ops request's own thread); an approver's click there then creates its Workflow.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { ProposalResult } from '../src/agent/index.js';
import { startServe, type RunningServe } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import type { AegisAlert } from '../src/core/resources/index.js';
import { findFreePort } from '../src/platform/index.js';
import {
  contentText,
  startFakeOpenAi,
  type FakeChatRequest,
  type FakeOpenAi,
} from './support/fake-openai.js';
import {
  startFakeSlackApi,
  type FakeMessage,
  type FakeRootMessage,
  type FakeSlackApi,
} from './support/fake-slack-api.js';
import { eventCallbackBody, interactionBody, signSlackRequest } from './support/slack-signing.js';

const channel = 'C0AEGISOPS';
const botToken = 'xoxb-e2e-token';
const signingSecret = 'e2e-signing-secret';
const asker = 'U0ASKER';
const approver = 'U0APPROVER';
const namespace = 'monitoring';
const node = 'dev1';
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace } as const;
/** Secrets planted in what the tools read; none may reach the model. */
const secrets = {
  annotation: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  event: 'xoxb-123-456-secret',
};
const timeoutMs = 90_000;

let running: RunningServe;
let slack: FakeSlackApi;
let fake: FakeOpenAi;
let stateDir: string;
/** The README example alert, its AegisAlert's name and its root message's ts. */
let alertName = '';
let rootTs = '';

const repoFile = async (path: string): Promise<string> =>
  await readFile(new URL(`../${path}`, import.meta.url), 'utf8');

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function alerts(): Promise<AegisAlert[]> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
    ...aegis,
    plural: 'aegisalerts',
  })) as { items: AegisAlert[] };
  return list.items;
}

async function getAlert(name: string): Promise<AegisAlert | undefined> {
  return (await alerts()).find((alert) => alert.metadata.name === name);
}

interface WorkflowItem {
  metadata: { name: string; ownerReferences?: { uid: string }[] };
}

async function workflowsOwnedBy(uid: string | undefined): Promise<WorkflowItem[]> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'workflows',
  })) as { items: WorkflowItem[] };
  return list.items.filter((item) => item.metadata.ownerReferences?.some((owner) => owner.uid === uid));
}

/** What a person sees of a message: its text, blocks and attachments. */
const shown = (message: FakeMessage): string =>
  JSON.stringify([message.text, message.blocks, message.attachments]);

function root(ts: string): FakeRootMessage | undefined {
  return slack.messages(channel).find((message) => message.ts === ts);
}

/** Every message of the channel, roots and thread replies. */
function everyMessage(): FakeMessage[] {
  return slack.messages(channel).flatMap((message) => [message, ...message.replies]);
}

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

async function postSigned(path: string, body: string, contentType: string): Promise<number> {
  const response = await fetch(`${running.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signSlackRequest(signingSecret, body) },
    body,
  });
  await response.text();
  return response.status;
}

let messageSequence = 0;
/** A person's reply in the alert's thread, as the Events API delivers it. */
async function replyInThread(text: string): Promise<void> {
  messageSequence += 1;
  const ts = `1800000000.${String(messageSequence).padStart(6, '0')}`;
  const body = eventCallbackBody(
    {
      type: 'message',
      channel,
      channel_type: 'channel',
      user: asker,
      text,
      ts,
      thread_ts: rootTs,
      event_ts: ts,
    },
    `EvAgent${messageSequence}`,
  );
  expect(await postSigned('/slack/events', body, 'application/json')).toBe(200);
}

/** A click on a button, as Slack posts it to the Interactivity Request URL. */
async function click(user: string, message: FakeMessage, actionId: string): Promise<number> {
  const found = buttonsOf(message);
  const button = found?.buttons.find((candidate) => candidate.action_id === actionId);
  if (found === undefined || button === undefined) throw new Error(`no ${actionId} button on the message`);
  const body = interactionBody({
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
  });
  return await postSigned('/slack/interactions', body, 'application/x-www-form-urlencoded');
}

function toolResults(requests: readonly FakeChatRequest[]): string {
  return (requests.at(-1)?.messages ?? [])
    .filter((message) => message.role === 'tool')
    .map((message) => contentText(message.content))
    .join('\n');
}

function noSecretIn(requests: readonly FakeChatRequest[]): void {
  for (const request of requests)
    for (const secret of Object.values(secrets)) expect(request.text).not.toContain(secret);
}

async function applyExample(file: string, plural: string): Promise<void> {
  const body = YAML.parse(await repoFile(file)) as object;
  await running.kubeClients.customObjects.createNamespacedCustomObject({ ...aegis, plural, body });
}

/** The node of the README alert, with a secret in an annotation, and its events (one carrying a token). */
async function seedNode(): Promise<void> {
  const { core } = running.kubeClients;
  await core.createNode({
    body: {
      metadata: {
        name: node,
        labels: { 'kubernetes.io/hostname': node },
        annotations: { 'example.com/registry-token': secrets.annotation, 'example.com/owner': 'ml-platform' },
      },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'KubeletNotReady',
            message: 'kernel panic',
            lastTransitionTime: new Date(),
          },
        ],
      },
    },
  });
  for (const [reason, message] of [
    ['NodeNotReady', `Node ${node} status is now: NodeNotReady`],
    ['KernelPanic', `kernel: NVRM: Xid 79, GPU has fallen off the bus (agent token ${secrets.event})`],
  ] as const) {
    await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: `${node}.` },
        involvedObject: { kind: 'Node', name: node, apiVersion: 'v1' },
        reason,
        message,
        type: 'Warning',
        count: 3,
        source: { component: 'kubelet', host: node },
        firstTimestamp: new Date(),
        lastTimestamp: new Date(),
      },
    });
  }
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'aegis-agent-slack-e2e-'));
  slack = await startFakeSlackApi({ tokens: [botToken] });
  fake = await startFakeOpenAi();
  const config = loadConfig({
    AEGIS_SANDBOX: 'true',
    AEGIS_HTTP_HOST: '127.0.0.1',
    AEGIS_HTTP_PORT: String(await findFreePort()),
    AEGIS_STATE_DIR: stateDir,
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.url,
    AEGIS_SLACK_CHANNEL: channel,
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'test',
    AEGIS_LLM_MODEL: 'fake-model',
  });
  running = await startServe(config, { logger: silentLogger, print: () => undefined });
  await seedNode();
  await applyExample('examples/cordon-on-emergency/template.yaml', 'aegisopstemplates');
  await applyExample('examples/cordon-on-emergency/rule.yaml', 'aegisalertopsrules');

  // The README example alert, and its root message in the channel.
  const example = await repoFile('examples/alerts/custom-node-firing.json');
  const fingerprint = (JSON.parse(example) as { fingerprint: string }).fingerprint;
  const response = await fetch(`${running.httpUrl}/default/alert`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: example,
  });
  expect(response.status).toBe(202);
  const alert = await waitFor('the alert with its root message', async () => {
    const found = (await alerts()).find((item) => item.metadata.labels?.['fingerprint'] === fingerprint);
    return found?.status?.slack === undefined ? undefined : found;
  });
  alertName = alert.metadata.name ?? '';
  rootTs = alert.status?.slack?.ts ?? '';
  expect(alert.status?.slack?.channel).toBe(channel);
  await waitFor('the root message in the fake channel', () => root(rootTs));
}, 180_000);

afterAll(async () => {
  await running?.close();
  await fake?.close();
  await slack?.close();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

describe('the agent in the README example alert\'s thread (the LLM issue\'s "Done when")', () => {
  it('answers "why did this fire?" from the alert, the node and its events, and sends no secret', async () => {
    fake.reset();
    fake.enqueue(
      { toolCalls: [{ name: 'get_alert', arguments: { name: alertName } }] },
      {
        toolCalls: [
          { name: 'get_node', arguments: { name: node } },
          { name: 'list_events', arguments: { kind: 'Node', name: node } },
        ],
      },
      `${node} is NotReady after a kernel panic in the GPU driver (get_alert ${alertName}; get_node ${node}: ` +
        'Ready=False; list_events: KernelPanic Xid 79). Cordon it and drain the GPU jobs.',
    );
    const postsBefore = slack.callsOf('chat.postMessage').length;
    await replyInThread('why did this fire and what should I do?');

    // The placeholder in the thread, then replaced by the answer.
    const answer = await waitFor('the answer in the thread', () =>
      root(rootTs)?.replies.find((reply) => reply.text?.includes('kernel panic') === true),
    );
    const placeholder = slack
      .callsOf('chat.postMessage')
      .slice(postsBefore)
      .find((call) => call.params['thread_ts'] === rootTs && call.params['text'] === 'looking…');
    expect(placeholder).toBeDefined();
    expect(answer.updates).toBeGreaterThanOrEqual(1);
    const update = slack.callsOf('chat.update').find((call) => call.params['ts'] === answer.ts);
    expect(String(update?.params['text'])).toContain('kernel panic');
    expect(shown(answer)).toContain(`get_node ${node}`);
    expect(fake.requests).toHaveLength(3);

    // The thread's alert was the context, and the tool results held the alert, the node and its events.
    const system = fake.requests[0]?.messages[0];
    expect(system?.role).toBe('system');
    expect(contentText(system?.content)).toContain(alertName);
    expect(contentText(system?.content)).toContain('NodeHasEmergencyEvent');
    expect(fake.requests[0]?.text).toContain('why did this fire and what should I do?');
    const results = toolResults(fake.requests);
    expect(results).toContain(alertName);
    expect(results).toContain('NodeHasEmergencyEvent');
    expect(results).toContain(node);
    expect(results).toContain('"ready":"False"');
    expect(results).toContain('KernelPanic');
    expect(results).toContain('NodeNotReady');
    expect(results).toContain('Xid 79, GPU has fallen off the bus');
    expect(results).toContain('REDACTED');
    noSecretIn(fake.requests);
  }, 180_000);

  it('"cordon it" creates an ops request waiting for approval, changes nothing, and posts an approval message', async () => {
    fake.reset();
    fake.enqueue({
      toolCalls: [
        {
          name: 'propose_ops_run',
          arguments: {
            template: 'nodehasemergencyevent',
            parameters: { node },
            reason: `kernel panic on ${node} (get_alert, list_events)`,
          },
        },
      ],
    });
    let proposal: ProposalResult | undefined;
    fake.setHandler((request) => {
      proposal = JSON.parse(contentText(request.messages.at(-1)?.content)) as ProposalResult;
      return proposal.status === 'pending_approval'
        ? `I proposed cordoning ${node}: ops request ${proposal.request} is pending approval. ` +
            'Nothing changes until someone approves it.'
        : `The proposal failed: ${proposal.message}`;
    });
    await replyInThread('cordon it');

    const answer = await waitFor('the answer to "cordon it"', () =>
      root(rootTs)?.replies.find((reply) => reply.text?.includes('pending approval') === true),
    );
    fake.setHandler(undefined);
    expect(answer.updates).toBeGreaterThanOrEqual(1);
    if (proposal?.status !== 'pending_approval')
      throw new Error(`proposal not created: ${JSON.stringify(proposal)}`);
    const requestName = proposal.request;
    expect(shown(answer)).toContain(requestName);

    // The history carried over from the first question.
    const history = fake.requests[0]?.messages.map((message) => contentText(message.content)) ?? [];
    expect(history).toContain('why did this fire and what should I do?');
    expect(history.some((text) => text.includes('is NotReady after a kernel panic'))).toBe(true);

    // The ops request: requested by the asker, waiting for approval.
    const request = await waitFor('the ops request to wait for approval', async () => {
      const current = await getAlert(requestName);
      return current?.status?.approval?.state === 'Pending' ? current : undefined;
    });
    expect(request.spec.opsRequest?.requestedBy).toBe(asker);
    expect(request.spec.opsRequest?.parameters).toEqual({ node });
    expect(request.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');

    // The approval message, in the thread where "cordon it" was asked: exactly what will run, and the buttons.
    const forRequest = (message: FakeMessage): boolean =>
      buttonsOf(message)?.buttons.some((button) => button.value.includes(requestName)) === true;
    const approvalMessage = await waitFor('the approval message in the alert thread', () =>
      root(rootTs)?.replies.find(forRequest),
    );
    expect(approvalMessage.threadTs).toBe(rootTs);
    expect(buttonsOf(approvalMessage)?.buttons.map((button) => button.text.text)).toEqual([
      'Approve',
      'Reject',
    ]);
    expect(shown(approvalMessage)).toContain(`kubectl cordon ${node}`);
    // After the answer that names the request: the thread reads question, answer, approval message.
    expect(Number(approvalMessage.ts)).toBeGreaterThan(Number(answer.ts));
    // The ops request keeps its own root message (its status) with the same approval message in its thread,
    // for approvers who watch the channel.
    const requestRoot = await waitFor('the ops request root message with its approval message', () =>
      slack
        .messages(channel)
        .find((message) => message.ts !== rootTs && message.replies.some((reply) => forRequest(reply))),
    );
    expect(requestRoot.text).toContain('Awaiting approval');
    const requestThreadCopy = requestRoot.replies.find(forRequest);
    // Posted once in each thread, as Slack received it (`thread_ts`), and never as a root message.
    const approvalPosts = slack
      .callsOf('chat.postMessage')
      .filter((call) =>
        JSON.stringify(call.params['blocks'] ?? []).includes(`"value":"${namespace}/${requestName}"`),
      );
    expect(approvalPosts.map((call) => call.params['thread_ts']).sort()).toEqual(
      [rootTs, requestRoot.ts].sort(),
    );
    // No placeholder is left "looking…" in the alert's thread.
    expect(root(rootTs)?.replies.some((reply) => reply.text === 'looking…')).toBe(false);

    // Nothing changed: no Workflow for the request, the node is schedulable, the request still pending.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await workflowsOwnedBy(request.metadata.uid)).toEqual([]);
    const dev1 = await running.kubeClients.core.readNode({ name: node });
    expect(dev1.spec?.unschedulable ?? false).toBe(false);
    expect((await getAlert(requestName))?.status?.approval?.state).toBe('Pending');
    noSecretIn(fake.requests);

    // Someone other than the requester approves: now the Workflow is created.
    expect(await click(approver, approvalMessage, 'aegis_approve')).toBe(200);
    const approved = await waitFor('the approved request to get its Workflow', async () => {
      const current = await getAlert(requestName);
      const owned = await workflowsOwnedBy(current?.metadata.uid);
      return current?.status?.approval?.state === 'Approved' && owned.length > 0 ? current : undefined;
    });
    expect(approved.status?.approval?.history).toEqual([
      expect.objectContaining({ decision: 'Approved', by: approver, via: 'slack' }),
    ]);
    // Both approval messages lose their buttons and say who decided.
    const copies = [approvalMessage.ts, requestThreadCopy?.ts];
    await waitFor('both approval messages to show the decision', () => {
      const decided = everyMessage().filter(
        (message) =>
          copies.includes(message.ts) &&
          buttonsOf(message) === undefined &&
          shown(message).includes(approver),
      );
      return decided.length === 2 ? true : undefined;
    });
  }, 240_000);
});
