/**
 * `POST /ai/alert` through registerWebhookRoutes with the AI alert parser: recognised formats work without an
 * LLM (202), an unknown payload is read by the LLM (fake server) or refused with 422 and the reason, and an
 * unavailable model answers 503 so the sender retries.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAiAlertParser } from '../src/agent/alert-parse/index.js';
import { createLlmClient, type LlmClient } from '../src/agent/llm/index.js';
import { createRedactor } from '../src/agent/redaction/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { registerWebhookRoutes, type AlertDelivery, type AlertParser } from '../src/webhooks/index.js';
import { startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';

const examples = new URL('../examples/alerts/', import.meta.url);
const example = async (name: string): Promise<string> => await readFile(new URL(name, examples), 'utf8');

interface Server {
  url: string;
  delivered: AlertDelivery[];
  close(): Promise<void>;
}

async function startServer(alertParser: AlertParser): Promise<Server> {
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const server: HttpServer = createHttpServer({ logger: silentLogger, metrics });
  const delivered: AlertDelivery[] = [];
  registerWebhookRoutes(server.app, {
    metrics,
    alertParser,
    intake: {
      accept: async (deliveries) => {
        delivered.push(...deliveries);
        await Promise.resolve();
      },
      depth: async () => await Promise.resolve(delivered.length),
    },
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return { url, delivered, close: async () => await server.close() };
}

async function post(url: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${url}/ai/alert`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('/ai/alert without an LLM', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer(createAiAlertParser({ redactor: createRedactor() }));
  });
  afterAll(async () => await server.close());
  beforeEach(() => {
    server.delivered.length = 0;
  });

  it('accepts a Grafana payload (202) with both alerts, source AI', async () => {
    const answer = await post(server.url, await example('grafana-firing.json'));
    expect(answer.status).toBe(202);
    expect(
      server.delivered.map(({ alert }) => [
        alert.source,
        alert.type,
        alert.status,
        alert.involvedObject.kind,
      ]),
    ).toEqual([
      ['AI', 'GpuTemperatureHigh', 'Firing', 'Node'],
      ['AI', 'PodRestartingOften', 'Resolved', 'Pod'],
    ]);
  });

  it('accepts Datadog, Zabbix and generic payloads through the parser (202)', async () => {
    for (const name of ['datadog-triggered.json', 'zabbix-problem.json', 'generic-labels.json']) {
      const answer = await post(server.url, await example(name));
      expect(answer.status, name).toBe(202);
    }
    expect(server.delivered.map(({ alert }) => alert.type)).toEqual([
      'DiskUsageHigh',
      'HighIBPortErrorRate',
      'NodeMemoryPressure',
      'DeploymentReplicasMismatch',
    ]);
  });

  it('refuses an unknown payload with 422 and the plain reason', async () => {
    const answer = await post(server.url, await example('unknown-text.txt'), 'text/plain');
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body)).toContain(
      'no parser recognised this payload and no LLM is configured',
    );
  });
});

describe('/ai/alert with an LLM', () => {
  let fake: FakeOpenAi;
  let llm: LlmClient;
  let server: Server;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    llm = createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'k', model: 'fake-model', maxRetries: 0 });
    server = await startServer(createAiAlertParser({ llm, redactor: createRedactor() }));
  });
  afterAll(async () => {
    await server.close();
    await llm.close();
    await fake.close();
  });

  const answer = {
    alerts: [
      {
        type: 'GpuFallenOffTheBus',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'gpu-node-33', namespace: null, node: null },
        details: [{ key: 'xid', value: '79' }],
        fingerprint: 'inc-2026-0305-33',
        severity: 'critical',
        startsAt: null,
      },
    ],
  };

  it('reads an unknown payload with the model (202), asking once per distinct payload', async () => {
    fake.enqueue(JSON.stringify(answer));
    const text = await example('unknown-text.txt');
    expect((await post(server.url, text, 'text/plain')).status).toBe(202);
    expect((await post(server.url, text, 'text/plain')).status).toBe(202);
    expect(fake.requests).toHaveLength(1);
    expect(
      server.delivered.map(({ alert }) => [alert.source, alert.type, alert.involvedObject.name]),
    ).toEqual([
      ['AI', 'GpuFallenOffTheBus', 'gpu-node-33'],
      ['AI', 'GpuFallenOffTheBus', 'gpu-node-33'],
    ]);
  });

  it('answers 422 with the reason for an invalid model answer, 503 when the model is down', async () => {
    fake.enqueue('not json at all');
    const invalid = await post(server.url, 'another unknown payload', 'text/plain');
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(invalid.body)).toContain("the model's answer is not a valid alert: it is not JSON");

    fake.enqueue({ status: 503 });
    const down = await post(server.url, 'yet another unknown payload', 'text/plain');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
  });
});
