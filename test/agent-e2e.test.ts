/**
 * The agent end to end: a scripted fake OpenAI-compatible server (tool calls, usage numbers), the sandbox API
 * server with the alert controller, a real Redis, and the fake Slack Web API behind the Slack agent port.
 * A question in an alert's thread reads the alert, its node and the node's events and answers; nothing the
 * model receives contains a secret; "cordon it" creates an approval-required ops request and cordons nothing;
 * a runaway loop stops at the step limit; the turn token budget stops a call; the history carries over.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  createAgentService,
  createSlackAgentPort,
  slackConversationId,
  type AgentService,
  type ProposalResult,
} from '../src/agent/index.js';
import { createLlmClient, type LlmClient } from '../src/agent/llm/index.js';
import { createRedactor } from '../src/agent/redaction/index.js';
import { createSlackClient } from '../src/bot/index.js';
import type { AgentPort } from '../src/bot/inbound/inbound-services.js';
import { createApprovalService } from '../src/controller/approvals/index.js';
import {
  startAlertController,
  type AlertController,
  type WorkflowObject,
} from '../src/controller/alerts/index.js';
import { createRuleMatcher, createRuleSource, type RuleMatcher } from '../src/controller/rules/index.js';
import { buildAegisAlertObject } from '../src/core/alerts/index.js';
import type { AegisAlert } from '../src/core/resources/index.js';
import { createClusterReader, createEventRecorder, createWorkflowStore } from '../src/kube/index.js';
import { parseCustomPayload } from '../src/webhooks/formats/index.js';
import {
  contentText,
  startFakeOpenAi,
  type FakeChatRequest,
  type FakeOpenAi,
} from './support/fake-openai.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const secrets = {
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZWdpcy10ZXN0In0.c2lnbmF0dXJlLW9mLXRoZS10ZXN0LXRva2Vu',
  slack: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
  bearer: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg',
  urlPassword: 'hunter2hunter2',
  apiKey: 'sk-proj-aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW',
};
const allSecrets = Object.values(secrets);
const node = 'dev1';
const podName = 'trainer-0';
const asker = 'U0ASKER';
const channel = 'C0ALERTS';
/** The alert's root message (the notifier posts it); set in beforeAll. */
let threadTs = '';

let env: IngestEnvironment;
let fake: FakeOpenAi;
let slackApi: FakeSlackApi;
let llm: LlmClient;
let redis: Redis;
let matcher: RuleMatcher;
let controller: AlertController;
let service: AgentService;
let port: AgentPort;
let alertName: string;
const prefix = `agent-${randomUUID().slice(0, 8)}`;

function noSecretIn(requests: readonly FakeChatRequest[]): void {
  for (const request of requests) {
    for (const secret of allSecrets) expect(request.text).not.toContain(secret);
  }
}

function toolMessages(requests: readonly FakeChatRequest[]): string[] {
  const last = requests.at(-1);
  return (last?.messages ?? [])
    .filter((message) => message.role === 'tool')
    .map((message) => contentText(message.content));
}

async function createAlert(): Promise<string> {
  const body = JSON.parse(
    await readFile(new URL('../examples/alerts/custom-node-firing.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  body['fingerprint'] = randomUUID().replace(/-/g, '').slice(0, 16);
  body['details'] = {
    ...(body['details'] as object),
    runbook: `https://admin:${secrets.urlPassword}@wiki.example.com/runbooks/kernel-panic`,
  };
  const [accepted] = parseCustomPayload(body).accepted;
  if (accepted === undefined) throw new Error('example payload refused');
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { object, status } = buildAegisAlertObject(accepted.alert, {
    namespace: alertNamespace,
    systemParameters: { cluster: 'sandbox' },
    ttl: {},
    now,
  });
  const created = await env.store.create(object);
  const name = created.metadata.name ?? '';
  await env.store.patchStatus(alertNamespace, name, status);
  return name;
}

async function seedCluster(): Promise<void> {
  const { core, customObjects } = env.clients;
  await core.createNode({
    body: {
      metadata: {
        name: node,
        labels: { 'kubernetes.io/hostname': node, 'nvidia.com/gpu.product': 'H100' },
        annotations: { 'example.com/registry-token': secrets.slack, 'example.com/owner': 'ml-platform' },
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
        capacity: { cpu: '96', memory: '1Ti', 'nvidia.com/gpu': '8' },
      },
    },
  });
  for (const [reason, message] of [
    ['NodeNotReady', `Node ${node} status is now: NodeNotReady`],
    ['KernelPanic', 'kernel: NVRM: Xid 79, GPU has fallen off the bus'],
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
  const log = [
    'step 1200 loss=0.82',
    `calling registry with Authorization: Bearer ${secrets.bearer}`,
    `OPENAI_API_KEY=${secrets.apiKey}`,
    'CUDA error: an illegal memory access was encountered',
  ].join('\n');
  await core.createNamespacedPod({
    namespace: 'default',
    body: {
      metadata: {
        name: podName,
        labels: { app: 'trainer' },
        annotations: { 'sandbox.aegis.io/log.main': log, 'example.com/service-token': secrets.jwt },
      },
      spec: { nodeName: node, containers: [{ name: 'main', image: 'trainer:1.0' }] },
    },
  });
  const template = parseAllDocuments(
    await readFile(new URL('../examples/cordon-on-emergency/template.yaml', import.meta.url), 'utf8'),
  )[0]?.toJS() as { metadata: Record<string, unknown> };
  await customObjects.createNamespacedCustomObject({
    group: 'aegis.io',
    version: 'v1alpha1',
    plural: 'aegisopstemplates',
    namespace: alertNamespace,
    body: { ...template, metadata: { ...template.metadata, namespace: alertNamespace } },
  });
}

function buildService(client: LlmClient, settings: { maxSteps?: number } = {}): AgentService {
  return createAgentService({
    llm: client,
    redactor: createRedactor(),
    reader: createClusterReader(env.clients),
    opsRequests: createApprovalService({
      store: env.store,
      workflows: createWorkflowStore(env.clients),
      clock: () => new Date(),
      namespace: alertNamespace,
      events: createEventRecorder(env.clients, { component: 'aegis-agent-test' }),
    }),
    namespace: alertNamespace,
    history: redis,
    keyPrefix: `${prefix}:`,
    settings: { maxSteps: settings.maxSteps ?? 6, historyMessages: 6 },
  });
}

beforeAll(async () => {
  env = await startIngestEnvironment();
  redis = new Redis(env.redis.url);
  fake = await startFakeOpenAi();
  slackApi = await startFakeSlackApi();
  await seedCluster();
  alertName = await createAlert();
  matcher = createRuleMatcher(createRuleSource(env.clients));
  await matcher.waitForSync(10_000);
  controller = await startAlertController({
    clients: env.clients,
    redisUrl: env.redis.url,
    prefix,
    matcher,
    namespace: alertNamespace,
    resyncIntervalMs: 0,
  });
  await controller.waitForSync(10_000);
  llm = createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'fake-model', maxRetries: 0 });
  service = buildService(llm);
  const slack = createSlackClient({ token: 'xoxb-test', apiUrl: slackApi.url });
  threadTs = (await slack.postMessage({ channel, message: { text: `alert ${alertName}`, blocks: [] } })).ts;
  port = createSlackAgentPort({ askAgent: service.askAgent, slack });
}, 90_000);

afterAll(async () => {
  await controller?.stop();
  await matcher?.stop();
  await llm?.close();
  redis?.disconnect();
  await fake?.close();
  await slackApi?.close();
  await env?.stop();
});

describe('a question in an alert thread', () => {
  it('reads the alert, the node and its events, answers in the thread, and sends no secret', async () => {
    fake.reset();
    fake.enqueue(
      { toolCalls: [{ name: 'get_alert', arguments: { name: alertName } }] },
      {
        toolCalls: [
          { name: 'get_node', arguments: { name: node } },
          { name: 'list_events', arguments: { kind: 'Node', name: node } },
        ],
      },
      {
        toolCalls: [
          { name: 'list_pods', arguments: { node } },
          { name: 'get_pod', arguments: { namespace: 'default', name: podName } },
          { name: 'get_pod_logs', arguments: { namespace: 'default', name: podName, tailLines: 50 } },
        ],
      },
      `${node} is NotReady after a kernel panic in the GPU driver (get_alert ${alertName}; get_node ${node}: Ready=False; list_events: KernelPanic Xid 79). Cordon it and drain the GPU jobs.`,
    );
    const answer = await port.answer({
      text: 'why did this fire and what should I do?',
      user: asker,
      channel,
      threadTs,
      alertRef: { namespace: alertNamespace, name: alertName },
    });
    expect(answer).toBeUndefined();
    expect(fake.requests).toHaveLength(4);

    // The thread's alert was given as context, and each tool result came back to the model.
    const system = contentText(fake.requests[0]?.messages[0]?.content);
    expect(fake.requests[0]?.messages[0]?.role).toBe('system');
    expect(system).toContain(alertName);
    expect(system).toContain('NodeHasEmergencyEvent');
    const results = toolMessages(fake.requests).join('\n');
    expect(results).toContain(alertName);
    expect(results).toContain('"ready":"False"');
    expect(results).toContain('KernelPanic');
    expect(results).toContain('NodeNotReady');
    expect(results).toContain('CUDA error: an illegal memory access');
    expect(results).toContain('REDACTED');
    noSecretIn(fake.requests);

    // The placeholder was posted in the thread and replaced by the answer.
    const posted = slackApi.callsOf('chat.postMessage');
    expect(posted).toHaveLength(2);
    expect(posted[1]?.params['thread_ts']).toBe(threadTs);
    expect(posted[1]?.params['text']).toBe('looking…');
    const thread = slackApi.messages(channel)[0]?.replies ?? [];
    expect(thread).toHaveLength(1);
    expect(thread[0]?.text).toContain('kernel panic');
    expect(thread[0]?.updates).toBe(1);
    const updates = slackApi.callsOf('chat.update');
    expect(updates).toHaveLength(1);
    expect(String(updates[0]?.params['text'])).toContain('kernel panic');
    expect(JSON.stringify(updates[0]?.params['blocks'])).toContain('get_node dev1');

    // The exact tool schemas the model was given.
    await expect(JSON.stringify(fake.requests[0]?.tools, null, 2) + '\n').toMatchFileSnapshot(
      '../src/agent/__snapshots__/agent-tool-schemas.snap',
    );
  });

  it('"cordon it" only creates an ops request pending approval; the node stays schedulable', async () => {
    fake.reset();
    fake.enqueue({
      toolCalls: [
        {
          name: 'propose_ops_run',
          arguments: {
            template: 'nodehasemergencyevent',
            parameters: { node },
            reason: 'kernel panic on dev1 (get_alert, list_events)',
          },
        },
      ],
    });
    fake.setHandler((request) => {
      const result = JSON.parse(contentText(request.messages.at(-1)?.content)) as ProposalResult;
      return result.status === 'pending_approval'
        ? `I proposed cordoning ${node}: ops request ${result.request} is pending approval. Nothing changes until someone approves it.`
        : `The proposal failed: ${result.message}`;
    });
    const reply = await service.askAgent({
      conversationId: slackConversationId(channel, threadTs),
      text: 'cordon it',
      user: asker,
      channel,
      alertContext: { namespace: alertNamespace, name: alertName },
    });
    fake.setHandler(undefined);

    expect(reply.stop).toBe('answered');
    expect(reply.answer).toContain('pending approval');
    expect(reply.proposals).toHaveLength(1);
    const proposal = reply.proposals[0];
    if (proposal?.status !== 'pending_approval')
      throw new Error(`proposal not created: ${JSON.stringify(proposal)}`);

    // History carried over: the second turn's first request holds the first question and answer.
    const firstTurn = fake.requests[0]?.messages.map((message) => contentText(message.content)) ?? [];
    expect(firstTurn).toContain('why did this fire and what should I do?');
    expect(firstTurn.some((text) => text.includes('is NotReady after a kernel panic'))).toBe(true);

    // The ops request: requested by the asker, waiting for approval.
    const request = await eventually(
      async () => {
        const alert = await env.store.get(alertNamespace, proposal.request);
        return alert?.status?.approval?.state === 'Pending' ? alert : undefined;
      },
      15_000,
      'the ops request to wait for approval',
    );
    expect(request.spec.opsRequest?.requestedBy).toBe(asker);
    expect(request.spec.opsRequest?.parameters).toEqual({ node });
    expect(request.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');

    // Nothing ran: its Workflow is held suspended (no step), and the node is not cordoned.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const workflows = (await env.clients.customObjects.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'workflows',
      namespace: alertNamespace,
    })) as { items: WorkflowObject[] };
    const owned = workflows.items.filter((item) =>
      item.metadata?.ownerReferences?.some((owner) => owner.uid === request.metadata.uid),
    );
    expect(owned.map((item) => item.spec?.['suspend'])).toEqual([true]);
    const dev1 = await env.clients.core.readNode({ name: node });
    expect(dev1.spec?.unschedulable ?? false).toBe(false);
    const stillPending = (await env.store.get(alertNamespace, proposal.request)) as AegisAlert;
    expect(stillPending.status?.approval?.state).toBe('Pending');
    noSecretIn(fake.requests);
  });
});

describe('limits', () => {
  it('stops a runaway tool loop at the step limit with a plain message', async () => {
    fake.reset();
    let call = 0;
    fake.setHandler(() => {
      call += 1;
      return { toolCalls: [{ name: 'list_nodes', arguments: { limit: (call % 50) + 1 } }] };
    });
    const runaway = buildService(llm, { maxSteps: 4 });
    const reply = await runaway.askAgent({
      conversationId: `loop-${randomUUID()}`,
      text: 'check every node',
      user: asker,
    });
    fake.setHandler(undefined);
    expect(reply.stop).toBe('step_limit');
    expect(fake.requests).toHaveLength(4);
    expect(reply.usage.modelCalls).toBe(4);
    expect(reply.citations).toHaveLength(4);
    expect(reply.answer).toMatch(/^I stopped after 4 steps/);
  });

  it('the turn token budget refuses the next model call', async () => {
    fake.reset();
    const budgeted = createLlmClient({
      baseUrl: fake.baseUrl,
      apiKey: 'test-key',
      model: 'fake-model',
      maxRetries: 0,
      budgets: { turnMaxTokens: 5_200 },
    });
    try {
      fake.enqueue({
        toolCalls: [{ name: 'list_alerts', arguments: {} }],
        usage: { prompt_tokens: 5_000, completion_tokens: 10 },
      });
      const reply = await buildService(budgeted).askAgent({
        conversationId: `budget-${randomUUID()}`,
        text: 'what is firing?',
        user: asker,
      });
      expect(reply.stop).toBe('budget');
      expect(fake.requests).toHaveLength(1);
      expect(reply.usage.totalTokens).toBeGreaterThanOrEqual(5_010);
      expect(reply.answer).toMatch(/budget|token/i);
    } finally {
      await budgeted.close();
    }
  });
});

describe('conversation history', () => {
  it('is kept in Redis redacted, with a TTL, bounded to the last messages', async () => {
    const id = `history-${randomUUID()}`;
    for (let turn = 1; turn <= 5; turn += 1) {
      await service.conversations.append(id, [
        { role: 'user', text: `question ${turn} token=${secrets.bearer}`, at: '', user: asker },
        { role: 'assistant', text: `answer ${turn}`, at: '' },
      ]);
    }
    const key = `${prefix}:agent:conversation:${id}`;
    const raw = await redis.lrange(key, 0, -1);
    expect(raw).toHaveLength(6);
    expect(raw.join('\n')).not.toContain(secrets.bearer);
    expect(await redis.ttl(key)).toBeGreaterThan(23 * 3600);
    const history = await service.conversations.load(id);
    expect(history.map((message) => message.text.split(' ').slice(0, 2).join(' '))).toEqual([
      'question 3',
      'answer 3',
      'question 4',
      'answer 4',
      'question 5',
      'answer 5',
    ]);
  });
});
