/**
 * The agent (issue 6, "Performance"): the time Aegis adds around model calls in one turn, and the prompt size of
 * a typical alert question. Each turn is the README's case: a question in the thread of a NodeHasEmergencyEvent
 * alert, answered by a scripted model in three calls (get_alert; get_node + list_events; the answer) over real
 * HTTP to the fake OpenAI-compatible server, with the tools reading the sandbox API server (its own process)
 * and the history in a real Redis.
 *
 * - Aegis overhead per turn = turn wall time − time inside the model calls (measured around each call by the
 *   agent). Target: p50 ≤ 50 ms.
 * - Baseline, same run: the raw model call time of the fake: the exact request bodies of a turn replayed with
 *   plain `fetch`, summed per turn. `turn − raw` is reported too (it also counts LangChain's request building).
 * - Prompt tokens: as the fake counts them (characters / 4 of the messages), and of the whole request body
 *   (messages + tool schemas), for the first call and for the turn.
 *
 * Sizes: BENCH_AGENT_TURNS (50), BENCH_AGENT_WARMUP (5). Results: bench/results/agent.json.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createAgentService } from '../src/agent/index.js';
import { createLlmClient } from '../src/agent/llm/index.js';
import { createRedactor } from '../src/agent/redaction/index.js';
import { createApprovalService } from '../src/controller/approvals/index.js';
import { buildAegisAlertObject } from '../src/core/alerts/index.js';
import {
  createAegisAlertStore,
  createWorkflowStore,
  createClusterReader,
  createKubeClients,
  ensureNamespace,
  installCrds,
  readCrdManifests,
} from '../src/kube/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import { parseCustomPayload } from '../src/webhooks/formats/index.js';
import {
  approximateTokens,
  startFakeOpenAi,
  type FakeChatRequest,
  type FakeReply,
} from '../test/support/fake-openai.js';
import { startChildServer } from './support/child-server.js';
import { median, percentile, writeResults } from './support/stats.js';

const turns = Number(process.env['BENCH_AGENT_TURNS'] ?? 50);
const warmup = Number(process.env['BENCH_AGENT_WARMUP'] ?? 5);
const namespace = 'monitoring';
const node = 'node-1';

const round = (value: number) => Math.round(value * 100) / 100;
const summary = (values: readonly number[]) => ({
  p50: round(median(values)),
  p90: round(percentile(values, 90)),
  p99: round(percentile(values, 99)),
  max: round(Math.max(...values)),
});

const nodeStatus = {
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
  allocatable: { cpu: '95', memory: '1000Gi', 'nvidia.com/gpu': '8' },
};

function kubeconfigFor(server: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'bench', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'bench', user: {} }],
    contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
    'current-context': 'bench',
  });
}

/** The scripted model: the number of assistant messages after the question decides the step. */
function script(alertName: string): (request: FakeChatRequest) => FakeReply {
  return (request) => {
    const lastUser = request.messages.map((message) => message.role).lastIndexOf('user');
    const steps = request.messages.slice(lastUser).filter((message) => message.role === 'assistant').length;
    if (steps === 0) return { toolCalls: [{ name: 'get_alert', arguments: { name: alertName } }] };
    if (steps === 1) {
      return {
        toolCalls: [
          { name: 'get_node', arguments: { name: node } },
          { name: 'list_events', arguments: { kind: 'Node', name: node } },
        ],
      };
    }
    return `${node} reported a kernel panic in the GPU driver (get_alert ${alertName}; get_node ${node}; list_events Node/${node}). Cordon it with the nodehasemergencyevent template and drain the GPU jobs.`;
  };
}

async function main(): Promise<void> {
  const redisProcess = await startRedisProcess();
  // The sandbox runs in its own process, so its work is not counted as the agent's.
  const sandbox = await startChildServer('sandbox');
  const fake = await startFakeOpenAi();
  const redis = new Redis(redisProcess.url);
  const llm = createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'bench', model: 'fake-model', maxRetries: 0 });
  try {
    const clients = createKubeClients({ yaml: kubeconfigFor(sandbox.url) });
    await clients.core.createNode({
      body: { metadata: { name: node, labels: { 'kubernetes.io/hostname': node } }, status: nodeStatus },
    });
    await installCrds(clients, await readCrdManifests());
    await ensureNamespace(clients, namespace);
    for (const reason of ['NodeNotReady', 'KernelPanic', 'NodeHasEmergencyEvent']) {
      await clients.core.createNamespacedEvent({
        namespace: 'default',
        body: {
          metadata: { generateName: `${node}.` },
          involvedObject: { kind: 'Node', name: node, apiVersion: 'v1' },
          reason,
          message: `${reason} on ${node}`,
          type: 'Warning',
          count: 2,
          firstTimestamp: new Date(),
          lastTimestamp: new Date(),
        },
      });
    }
    const store = createAegisAlertStore(clients);
    const [accepted] = parseCustomPayload({
      type: 'NodeHasEmergencyEvent',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: node },
      details: {
        node,
        severity: 'critical',
        reason: 'KernelPanic',
        description: `Node ${node} reported a kernel panic in the GPU driver.`,
      },
      fingerprint: '5f972974ccf1ee9b',
    }).accepted;
    if (accepted === undefined) throw new Error('the bench alert was refused');
    const { object, status } = buildAegisAlertObject(accepted.alert, {
      namespace,
      systemParameters: { cluster: 'bench' },
      ttl: {},
      now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const alertName = (await store.create(object)).metadata.name ?? '';
    await store.patchStatus(namespace, alertName, status);

    const { askAgent } = createAgentService({
      llm,
      redactor: createRedactor(),
      reader: createClusterReader(clients),
      opsRequests: createApprovalService({
        store,
        workflows: createWorkflowStore(clients),
        clock: () => new Date(),
        namespace,
      }),
      namespace,
      history: redis,
      keyPrefix: 'bench:',
    });
    fake.setHandler(script(alertName));

    const measured: { turnMs: number; modelMs: number; toolMs: number; rawMs: number; calls: number }[] = [];
    let firstTurnRequests: FakeChatRequest[] = [];
    let usage = { inputTokens: 0, outputTokens: 0 };
    for (let index = 0; index < warmup + turns; index += 1) {
      fake.reset();
      const reply = await askAgent({
        conversationId: `bench:${randomUUID()}`,
        text: 'why did this fire and what should I do?',
        user: 'U0BENCH',
        channel: 'C0BENCH',
        alertContext: { namespace, name: alertName },
      });
      if (reply.stop !== 'answered' || reply.usage.modelCalls !== 3) {
        throw new Error(`unexpected turn: ${reply.stop}, ${reply.usage.modelCalls} calls`);
      }
      const requests = [...fake.requests];
      // Baseline: the same request bodies, replayed with plain fetch (the raw model call time of the fake).
      fake.setHandler(script(alertName));
      let rawMs = 0;
      for (const request of requests) {
        const started = performance.now();
        const response = await fetch(`${fake.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
          body: request.text,
        });
        await response.json();
        rawMs += performance.now() - started;
      }
      if (index < warmup) continue;
      if (measured.length === 0) {
        firstTurnRequests = requests;
        usage = { inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens };
      }
      measured.push({
        turnMs: reply.usage.durationMs,
        modelMs: reply.usage.modelMs,
        toolMs: reply.usage.toolMs,
        rawMs,
        calls: requests.length,
      });
    }

    const overhead = measured.map((turn) => turn.turnMs - turn.modelMs);
    const overRaw = measured.map((turn) => turn.turnMs - turn.rawMs);
    const first = firstTurnRequests[0];
    const results = {
      description:
        'One agent turn (a question in an alert thread; 3 scripted model calls, 3 tool calls on the sandbox, history in Redis) against the fake OpenAI-compatible server.',
      turns: measured.length,
      modelCallsPerTurn: 3,
      turnMs: summary(measured.map((turn) => turn.turnMs)),
      insideModelCallsMs: summary(measured.map((turn) => turn.modelMs)),
      aegisOverheadMs: { ...summary(overhead), targetP50: 50, meetsTarget: median(overhead) <= 50 },
      insideToolCallsMs: summary(measured.map((turn) => turn.toolMs)),
      aegisOverheadWithoutToolsMs: summary(measured.map((turn) => turn.turnMs - turn.modelMs - turn.toolMs)),
      baseline: {
        description:
          'the raw model call time of the fake: the same 3 request bodies per turn, replayed with fetch',
        rawModelMsPerTurn: summary(measured.map((turn) => turn.rawMs)),
      },
      turnMinusRawMs: summary(overRaw),
      overheadRatioToRaw: round(median(overhead) / median(measured.map((turn) => turn.rawMs))),
      promptTokens: {
        method: 'characters / 4',
        firstCallMessages: first === undefined ? 0 : approximateTokens(JSON.stringify(first.messages)),
        firstCallToolSchemas: first === undefined ? 0 : approximateTokens(JSON.stringify(first.tools ?? [])),
        firstCallWholeBody: first === undefined ? 0 : approximateTokens(first.text),
        turnMessagesAsReported: usage.inputTokens,
        turnWholeBodies: firstTurnRequests.reduce((sum, request) => sum + approximateTokens(request.text), 0),
        completionTokensAsReported: usage.outputTokens,
      },
    };
    const file = await writeResults('agent', results);
    console.log(JSON.stringify(results, null, 2));
    console.log(`written to ${file}`);
  } finally {
    await llm.close();
    redis.disconnect();
    await fake.close();
    await sandbox.stop();
    await redisProcess.stop();
  }
}

await main();
