/**
 * The agent's `diagnose` tool end to end: a scripted fake OpenAI-compatible model asks to diagnose a
 * crash-looping pod on the sandbox API server (status hand-written and frozen, previous log set by annotation);
 * the tool result the model receives names the root cause from the previous log and the crash loop, and carries
 * no secret from that log. A missing pod comes back as Unknown, data for the model rather than an error.
 * Nothing is created: the tool only reads (no AegisDiagnosis, no collector pod).
 */
import { randomUUID } from 'node:crypto';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentService, createMemoryConversationRedis, type AgentService } from '../src/agent/index.js';
import { createLlmClient, type LlmClient } from '../src/agent/llm/index.js';
import { createRedactor } from '../src/agent/redaction/index.js';
import { createObjectDiagnoser } from '../src/controller/diagnosis/index.js';
import { createClusterReader, createDiagnosisCluster } from '../src/kube/index.js';
import { contentText, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';
import { startIngestEnvironment, type IngestEnvironment } from './support/ingest-environment.js';

const namespace = 'team-diag';
const secret = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';

let env: IngestEnvironment;
let fake: FakeOpenAi;
let llm: LlmClient;
let service: AgentService;

interface DiagnoseResult {
  object: string;
  status: string;
  failures: string[];
  warnings: string[];
  explain: string;
}

beforeAll(async () => {
  env = await startIngestEnvironment();
  await env.clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  // A create resets a Pod's status to Pending (as a real server does): the frozen status goes through /status.
  await env.clients.core.createNamespacedPod({
    namespace,
    body: {
      metadata: {
        name: 'trainer-0',
        annotations: {
          'sandbox.aegis.io/frozen': 'true',
          'sandbox.aegis.io/log.main': 'starting\n',
          'sandbox.aegis.io/previous-log.main': `loading config\nline a\nline b\nERROR: /etc/trainer.yaml: no such file (slack_token=${secret})\nexiting\n`,
        },
      },
      spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'trainer:1.0' }] },
    },
  });
  await env.clients.core.patchNamespacedPodStatus(
    {
      namespace,
      name: 'trainer-0',
      body: {
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            {
              name: 'main',
              image: 'trainer:1.0',
              imageID: '',
              ready: false,
              restartCount: 6,
              containerID: 'containerd://abc',
              state: {
                waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
              },
              lastState: { terminated: { reason: 'Error', exitCode: 3 } },
            },
          ],
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  fake = await startFakeOpenAi();
  llm = createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'fake-model', maxRetries: 0 });
  service = createAgentService({
    llm,
    redactor: createRedactor(),
    reader: createClusterReader(env.clients),
    // No ops requests are proposed in this file.
    opsRequests: {
      createOpsRequest: () => Promise.reject(new Error('no proposals in this test')),
    },
    diagnoser: createObjectDiagnoser(createDiagnosisCluster(env.clients), {
      keywords: ['error'],
      fetchLines: 200,
      maxLines: 5,
    }),
    namespace,
    history: createMemoryConversationRedis(),
  });
}, 90_000);

afterAll(async () => {
  await llm?.close();
  await fake?.close();
  await env?.stop();
});

/** One turn where the model calls `diagnose` with `args`; returns the tool result the model received. */
async function diagnoseThroughModel(args: Record<string, unknown>): Promise<DiagnoseResult> {
  fake.reset();
  fake.enqueue({ toolCalls: [{ name: 'diagnose', arguments: args }] }, 'done');
  const reply = await service.askAgent({
    conversationId: `diag-${randomUUID()}`,
    text: `why is ${String(args.name)} broken?`,
    user: 'U0ASKER',
  });
  expect(reply.stop).toBe('answered');
  expect(fake.requests).toHaveLength(2);
  const tools = (fake.requests[0]?.tools ?? []) as unknown[];
  expect(JSON.stringify(tools)).toContain('"diagnose"');
  const toolMessage = fake.requests[1]?.messages.find((message) => message.role === 'tool');
  const text = contentText(toolMessage?.content);
  expect(text).not.toContain(secret);
  return JSON.parse(text) as DiagnoseResult;
}

describe('the diagnose tool', () => {
  it('gives the model the root cause of a crash-looping pod: the crash loop, exit code and the error line', async () => {
    const result = await diagnoseThroughModel({ kind: 'Pod', name: 'trainer-0', namespace });
    expect(result.object).toBe(`Pod ${namespace}/trainer-0`);
    expect(result.status).toBe('UnHealthy');
    const failure = result.failures[0] ?? '';
    expect(failure).toContain('keeps crashing (CrashLoopBackOff, 6 restarts)');
    expect(failure).toContain('exit code 3');
    expect(failure).toContain('ERROR: /etc/trainer.yaml: no such file');
    // The token on that error line reached the tool's output and was redacted on the way to the model.
    expect(failure).toContain('slack_token=');
    expect(result.explain).toContain('Healthy: No');
    expect(result.explain).toContain('Read the previous log of the container');
    // It only read: no AegisDiagnosis and no collector pod were created.
    const pods = await env.clients.core.listNamespacedPod({ namespace });
    expect(pods.items.map((pod) => pod.metadata?.name)).toEqual(['trainer-0']);
  }, 60_000);

  it('answers Unknown for a pod that does not exist', async () => {
    const result = await diagnoseThroughModel({ kind: 'Pod', name: 'ghost', namespace });
    expect(result.status).toBe('Unknown');
    expect(result.failures.join('\n')).toContain('ghost');
  }, 60_000);
});
