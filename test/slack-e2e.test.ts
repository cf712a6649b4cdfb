/**
 * The Slack issue's "Done when", end to end: `aegis serve` on the sandbox with Slack pointed at the fake Slack
 * Web API (SLACK_API_URL), exactly as a user would configure it. The README's example alert produces a root
 * message that ends at Succeeded; with an approval-required rule, the approval request (with the rendered
 * script and Approve / Reject buttons) appears in the thread, a non-approver's click runs nothing and is told
 * why, and an approver's click runs the Workflow and the root message ends at Succeeded.
 *
 * Both scenarios share one serve: first the cordon example as written, then the same rule with
 * `spec.approval` added and the README alert posted again under a new fingerprint (the first alert is still
 * open, so its own fingerprint would only count a repeat).
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
import {
  startFakeSlackApi,
  type FakeMessage,
  type FakeRootMessage,
  type FakeSlackApi,
} from './support/fake-slack-api.js';
import { interactionBody, signSlackRequest } from './support/slack-signing.js';

const channel = 'C0AEGISOPS';
const botToken = 'xoxb-e2e-token';
const signingSecret = 'e2e-signing-secret';
const approver = 'U0APPROVER';
const outsider = 'U0OUTSIDER';
const namespace = 'monitoring';
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace } as const;
const timeoutMs = 90_000;

let running: RunningServe;
let slack: FakeSlackApi;
let stateDir: string;

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

async function postAlert(body: string): Promise<void> {
  const response = await fetch(`${running.httpUrl}/default/alert`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  expect(response.status).toBe(202);
}

async function alerts(): Promise<AegisAlert[]> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
    ...aegis,
    plural: 'aegisalerts',
  })) as { items: AegisAlert[] };
  return list.items;
}

async function alertWithFingerprint(fingerprint: string): Promise<AegisAlert | undefined> {
  return (await alerts()).find((alert) => alert.metadata.labels?.['fingerprint'] === fingerprint);
}

async function workflowNames(): Promise<string[]> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'workflows',
  })) as { items: { metadata: { name: string } }[] };
  return list.items.map((item) => item.metadata.name);
}

/** What a person sees of a message: its text, blocks and attachments. */
const shown = (message: FakeMessage): string =>
  JSON.stringify([message.text, message.blocks, message.attachments]);
const noMessage: FakeMessage = {
  channel,
  ts: '',
  threadTs: undefined,
  text: undefined,
  blocks: undefined,
  attachments: undefined,
  updates: 0,
  postedAt: 0,
  updatedAt: 0,
};

/** The ts of the root message the notifier posted for the alert (kept on the AegisAlert). */
async function rootTsOf(fingerprint: string): Promise<string> {
  const slackMessage = await waitFor(`status.slack of the alert ${fingerprint}`, async () => {
    const alert = await alertWithFingerprint(fingerprint);
    return alert?.status?.slack;
  });
  expect(slackMessage.channel).toBe(channel);
  await waitFor('the root message in the fake channel', () => root(slackMessage.ts));
  return slackMessage.ts;
}

/** The root message as the channel shows it now (the fake hands out snapshots: read again to see edits). */
function root(ts: string): FakeRootMessage | undefined {
  return slack.messages(channel).find((message) => message.ts === ts);
}

/** The approval request (the thread reply with buttons or, once decided, the one saying what ran). */
function approvalRequest(rootTs: string, requestTs?: string): FakeMessage | undefined {
  const replies = root(rootTs)?.replies ?? [];
  return requestTs === undefined
    ? replies.find((reply) => buttonsOf(reply) !== undefined)
    : replies.find((reply) => reply.ts === requestTs);
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
  return {
    blockId: actions.block_id ?? '',
    buttons: (actions.elements ?? []) as Button[],
  };
}

/** A click on a button of a message in a thread, as Slack posts it to the Interactivity Request URL. */
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
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
    },
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
  const response = await fetch(`${running.httpUrl}/slack/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(signingSecret, body),
    },
    body,
  });
  await response.text();
  return response.status;
}

async function applyExample(file: string, plural: string): Promise<void> {
  const body = YAML.parse(await repoFile(file)) as object;
  await running.kubeClients.customObjects.createNamespacedCustomObject({ ...aegis, plural, body });
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'aegis-slack-e2e-'));
  slack = await startFakeSlackApi({ tokens: [botToken] });
  const config = loadConfig({
    AEGIS_SANDBOX: 'true',
    AEGIS_HTTP_HOST: '127.0.0.1',
    AEGIS_HTTP_PORT: String(await findFreePort()),
    AEGIS_STATE_DIR: stateDir,
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.url,
    AEGIS_SLACK_CHANNEL: channel,
  });
  running = await startServe(config, { logger: silentLogger, print: () => undefined });
  await applyExample('examples/cordon-on-emergency/template.yaml', 'aegisopstemplates');
  await applyExample('examples/cordon-on-emergency/rule.yaml', 'aegisalertopsrules');
}, 180_000);

afterAll(async () => {
  await running?.close();
  await slack?.close();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

describe('Slack end to end (the issue\'s "Done when")', () => {
  it('the README example alert produces a root message that ends at Succeeded', async () => {
    const example = await repoFile('examples/alerts/custom-node-firing.json');
    const fingerprint = (JSON.parse(example) as { fingerprint: string }).fingerprint;
    await postAlert(example);
    const rootTs = await rootTsOf(fingerprint);
    const first = root(rootTs);
    expect(shown(first ?? noMessage)).toContain('NodeHasEmergencyEvent');
    expect(shown(first ?? noMessage)).toContain('dev1');
    const alert = await waitFor('the alert to succeed', async () => {
      const current = await alertWithFingerprint(fingerprint);
      return current?.status?.opsStatus?.alertOpsStatus === 'Succeeded' ? current : undefined;
    });
    expect(alert.status?.approval).toBeUndefined();
    const last = await waitFor('the root message to show Succeeded', () => {
      const current = root(rootTs);
      return current !== undefined && shown(current).includes('Triggered · Succeeded') ? current : undefined;
    });
    expect(last.updates).toBeGreaterThan(0);
    // One root message for the alert, edited in place; no approval request in its thread.
    expect(slack.messages(channel).map((message) => message.ts)).toEqual([rootTs]);
    expect(last.replies.some((reply) => buttonsOf(reply) !== undefined)).toBe(false);
  }, 180_000);

  it('with an approval-required rule: a non-approver is refused, an approver runs the Workflow', async () => {
    // The example rule, with `spec.approval` added.
    const rule = YAML.parse(await repoFile('examples/cordon-on-emergency/rule.yaml')) as {
      metadata: { name: string };
    };
    const patched = (await running.kubeClients.customObjects.patchNamespacedCustomObject({
      ...aegis,
      plural: 'aegisalertopsrules',
      name: rule.metadata.name,
      // client-node sends a JSON patch.
      body: [{ op: 'add', path: '/spec/approval', value: { required: true, approvers: [approver] } }],
    })) as { metadata: { generation: number } };
    await waitFor('the rule controller to see the approval block', async () => {
      const current = (await running.kubeClients.customObjects.getNamespacedCustomObject({
        ...aegis,
        plural: 'aegisalertopsrules',
        name: rule.metadata.name,
      })) as { status?: { observedGeneration?: number } };
      return (current.status?.observedGeneration ?? 0) >= patched.metadata.generation ? true : undefined;
    });

    const example = JSON.parse(await repoFile('examples/alerts/custom-node-firing.json')) as {
      fingerprint: string;
    };
    const fingerprint = 'e2e-approval-0001';
    example.fingerprint = fingerprint;
    await postAlert(JSON.stringify(example));
    const rootTs = await rootTsOf(fingerprint);

    // The approval request in the thread: what will run, and the buttons.
    const request = await waitFor('the approval request in the thread', () => approvalRequest(rootTs));
    expect(shown(request)).toContain('kubectl cordon dev1');
    expect(buttonsOf(request)?.buttons.map((button) => button.text.text)).toEqual(['Approve', 'Reject']);
    const alert = await alertWithFingerprint(fingerprint);
    expect(alert?.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');
    const workflowsBefore = await workflowNames();

    // A non-approver: nothing runs, and they are told why, only to them.
    expect(await click(outsider, request, 'aegis_approve')).toBe(200);
    const refusal = await waitFor('the ephemeral refusal', () =>
      slack.callsOf('chat.postEphemeral').find((call) => call.params['user'] === outsider),
    );
    expect(refusal.params['channel']).toBe(channel);
    expect(String(refusal.params['text'])).toContain(
      `${outsider} may not approve this run: only ${approver} may`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const refused = await alertWithFingerprint(fingerprint);
    expect(refused?.status?.approval?.state).toBe('Pending');
    expect(refused?.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');
    expect(await workflowNames()).toEqual(workflowsBefore);

    // The approver: the Workflow is created and runs; the root message ends at Succeeded.
    expect(await click(approver, request, 'aegis_approve')).toBe(200);
    const done = await waitFor('the approved alert to succeed', async () => {
      const current = await alertWithFingerprint(fingerprint);
      return current?.status?.opsStatus?.alertOpsStatus === 'Succeeded' ? current : undefined;
    });
    expect(done.status?.approval?.state).toBe('Approved');
    expect(done.status?.approval?.history).toEqual([
      expect.objectContaining({ decision: 'Approved', by: approver, via: 'slack' }),
    ]);
    expect(done.status?.opsStatus?.workflowName).toBeDefined();
    expect(await workflowNames()).toContain(done.status?.opsStatus?.workflowName);
    await waitFor('the root message to show Succeeded', () => {
      const current = root(rootTs);
      return current !== undefined && shown(current).includes('Triggered · Succeeded') ? true : undefined;
    });
    // The request lost its buttons and says who decided.
    await waitFor('the approval message to show the decision', () => {
      const decided = approvalRequest(rootTs, request.ts);
      return decided !== undefined && buttonsOf(decided) === undefined && shown(decided).includes(approver)
        ? true
        : undefined;
    });
  }, 240_000);
});
