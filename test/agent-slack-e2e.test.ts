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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalResult } from '../src/agent/index.js';
import {
  contentText,
  startFakeOpenAi,
  type FakeChatRequest,
  type FakeOpenAi,
} from './support/fake-openai.js';
import type { FakeMessage } from './support/fake-slack-api.js';
import { buttonsOf, shown } from './support/fake-slack-messages.js';
import { eventCallbackBody } from './support/slack-signing.js';
import {
  exampleNamespace as namespace,
  opsChannel,
  startSlackServe,
  type SlackServeEnvironment,
  type WorkflowItem,
} from './support/slack-serve-environment.js';

const asker = 'U0ASKER';
const approver = 'U0APPROVER';
const node = 'dev1';
/** Secrets planted in what the tools read; none may reach the model. */
const secrets = {
  annotation: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  event: 'xoxb-123-456-secret',
};

let env: SlackServeEnvironment;
let fake: FakeOpenAi;
/** The README example alert, its AegisAlert's name and its root message's ts. */
let alertName = '';
let rootTs = '';

async function workflowsOwnedBy(uid: string | undefined): Promise<WorkflowItem[]> {
  return (await env.workflows()).filter((item) =>
    item.metadata.ownerReferences?.some((owner) => owner.uid === uid),
  );
}

let messageSequence = 0;
/** A person's reply in the alert's thread, as the Events API delivers it. */
async function replyInThread(text: string): Promise<void> {
  messageSequence += 1;
  const ts = `1800000000.${String(messageSequence).padStart(6, '0')}`;
  const body = eventCallbackBody(
    {
      type: 'message',
      channel: opsChannel,
      channel_type: 'channel',
      user: asker,
      text,
      ts,
      thread_ts: rootTs,
      event_ts: ts,
    },
    `EvAgent${messageSequence}`,
  );
  expect(await env.postSigned('/slack/events', body, 'application/json')).toBe(200);
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

/** The node of the README alert, with a secret in an annotation, and its events (one carrying a token). */
async function seedNode(): Promise<void> {
  const { core } = env.serve.kubeClients;
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
  fake = await startFakeOpenAi();
  env = await startSlackServe({
    name: 'aegis-agent-slack-e2e-',
    botToken: 'xoxb-e2e-token',
    signingSecret: 'e2e-signing-secret',
    settings: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'test', AEGIS_LLM_MODEL: 'fake-model' },
    timeoutMs: 90_000,
  });
  await seedNode();
  await env.applyCordonExample();

  // The README example alert, and its root message in the channel.
  const { alert, ts } = await env.rootMessageOf(await env.postExampleAlert());
  alertName = alert.metadata.name ?? '';
  rootTs = ts;
}, 180_000);

afterAll(async () => {
  await env?.close();
  await fake?.close();
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
    const postsBefore = env.slack.callsOf('chat.postMessage').length;
    await replyInThread('why did this fire and what should I do?');

    // The placeholder in the thread, then replaced by the answer.
    const answer = await env.waitFor('the answer in the thread', () =>
      env.root(rootTs)?.replies.find((reply) => reply.text?.includes('kernel panic') === true),
    );
    const placeholder = env.slack
      .callsOf('chat.postMessage')
      .slice(postsBefore)
      .find((call) => call.params['thread_ts'] === rootTs && call.params['text'] === 'looking…');
    expect(placeholder).toBeDefined();
    expect(answer.updates).toBeGreaterThanOrEqual(1);
    const update = env.slack.callsOf('chat.update').find((call) => call.params['ts'] === answer.ts);
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

    const answer = await env.waitFor('the answer to "cordon it"', () =>
      env.root(rootTs)?.replies.find((reply) => reply.text?.includes('pending approval') === true),
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
    const request = await env.waitFor('the ops request to wait for approval', async () => {
      const current = await env.alertNamed(requestName);
      return current?.status?.approval?.state === 'Pending' ? current : undefined;
    });
    expect(request.spec.opsRequest?.requestedBy).toBe(asker);
    expect(request.spec.opsRequest?.parameters).toEqual({ node });
    expect(request.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');

    // The approval message, in the thread where "cordon it" was asked: exactly what will run, and the buttons.
    const forRequest = (message: FakeMessage): boolean =>
      buttonsOf(message)?.buttons.some((button) => button.value.includes(requestName)) === true;
    const approvalMessage = await env.waitFor('the approval message in the alert thread', () =>
      env.root(rootTs)?.replies.find(forRequest),
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
    const requestRoot = await env.waitFor('the ops request root message with its approval message', () =>
      env.slack
        .messages(opsChannel)
        .find((message) => message.ts !== rootTs && message.replies.some((reply) => forRequest(reply))),
    );
    expect(requestRoot.text).toContain('Awaiting approval');
    const requestThreadCopy = requestRoot.replies.find(forRequest);
    // Posted once in each thread, as Slack received it (`thread_ts`), and never as a root message.
    const approvalPosts = env.slack
      .callsOf('chat.postMessage')
      .filter((call) =>
        JSON.stringify(call.params['blocks'] ?? []).includes(`"value":"${namespace}/${requestName}"`),
      );
    expect(approvalPosts.map((call) => call.params['thread_ts']).sort()).toEqual(
      [rootTs, requestRoot.ts].sort(),
    );
    // No placeholder is left "looking…" in the alert's thread.
    expect(env.root(rootTs)?.replies.some((reply) => reply.text === 'looking…')).toBe(false);

    // Nothing changed: the request's Workflow is held suspended, the node is schedulable, the request pending.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await workflowsOwnedBy(request.metadata.uid)).map((item) => item.spec?.suspend)).toEqual([true]);
    const dev1 = await env.serve.kubeClients.core.readNode({ name: node });
    expect(dev1.spec?.unschedulable ?? false).toBe(false);
    expect((await env.alertNamed(requestName))?.status?.approval?.state).toBe('Pending');
    noSecretIn(fake.requests);

    // Someone other than the requester approves: now the Workflow is resumed.
    expect(await env.click(approver, approvalMessage, 'aegis_approve')).toBe(200);
    const approved = await env.waitFor('the approved request to get its Workflow resumed', async () => {
      const current = await env.alertNamed(requestName);
      const owned = await workflowsOwnedBy(current?.metadata.uid);
      return current?.status?.approval?.state === 'Approved' && owned[0]?.spec?.suspend === false
        ? current
        : undefined;
    });
    expect(approved.status?.approval?.history).toEqual([
      expect.objectContaining({ decision: 'Approved', by: approver, via: 'slack' }),
    ]);
    // Both approval messages lose their buttons and say who decided.
    await env.waitForDecision([approvalMessage.ts, requestThreadCopy?.ts], approver);
  }, 240_000);
});
