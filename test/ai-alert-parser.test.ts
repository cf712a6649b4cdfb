/**
 * The AI alert parser against the fake OpenAI server (and a real Redis for the shared cache): the LLM turns an
 * unknown payload into alerts with structured output, never sees the payload's secrets, is asked once per
 * distinct payload, falls back to json_object when json_schema is refused, and invalid answers are refused with
 * the reason. Plus the rendered prompt (snapshot) and its override directory.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAiAlertParser,
  createMemoryAlertParseCache,
  createRedisAlertParseCache,
  noLlmMessage,
} from '../src/agent/alert-parse/index.js';
import { createLlmClient, type LlmClient } from '../src/agent/llm/index.js';
import { clearPromptCache, loadPrompt, renderPrompt } from '../src/agent/prompts/index.js';
import { createRedactor } from '../src/agent/redaction/index.js';
import { isAegisError, type AegisError } from '../src/core/errors.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import { contentText, startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';

let fake: FakeOpenAi;
let redis: RedisProcess;
let llm: LlmClient;
const redactor = createRedactor();

const examples = new URL('../examples/alerts/', import.meta.url);
const unknownText = async (): Promise<string> =>
  await readFile(new URL('unknown-text.txt', examples), 'utf8');

/** What a good model answers for examples/alerts/unknown-text.txt. */
const modelAnswer = {
  alerts: [
    {
      type: 'GpuFallenOffTheBus',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'gpu-node-33', namespace: null, node: null },
      details: [
        { key: 'xid', value: '79' },
        { key: 'cluster', value: 'hpc-east' },
        { key: 'description', value: 'node gpu-node-33 lost 2 of 8 GPUs (Xid 79)' },
      ],
      fingerprint: 'inc-2026-0305-33',
      severity: 'critical',
      startsAt: '2026-03-05T10:05:00Z',
    },
  ],
};

beforeAll(async () => {
  fake = await startFakeOpenAi();
  redis = await startRedisProcess();
  llm = createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'k', model: 'fake-model', maxRetries: 1 });
});

afterAll(async () => {
  await llm.close();
  await fake.close();
  await redis.stop();
});

beforeEach(() => {
  fake.reset();
  fake.setHandler(undefined);
});

async function rejection(promise: Promise<unknown>): Promise<AegisError> {
  try {
    await promise;
  } catch (error) {
    if (isAegisError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('createAiAlertParser with an LLM', () => {
  it('turns an unknown payload into alerts via json_schema structured output, then caches it', async () => {
    fake.enqueue(JSON.stringify(modelAnswer));
    const parser = createAiAlertParser({ llm, redactor });
    const raw = await unknownText();
    const alerts = await parser.parse(raw, 'text/plain');
    expect(alerts).toEqual([
      {
        source: 'AI',
        type: 'GpuFallenOffTheBus',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'gpu-node-33' },
        details: {
          xid: '79',
          cluster: 'hpc-east',
          description: 'node gpu-node-33 lost 2 of 8 GPUs (Xid 79)',
        },
        fingerprint: 'inc-2026-0305-33',
        severity: 'critical',
        startsAt: '2026-03-05T10:05:00.000Z',
      },
    ]);
    const request = fake.requests[0]!;
    expect(request.responseFormat).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'aegis_alerts', strict: true },
    });
    const format = request.responseFormat as { json_schema: { schema: Record<string, unknown> } };
    expect(format.json_schema.schema).toMatchObject({
      type: 'object',
      required: ['alerts'],
      additionalProperties: false,
    });
    expect(format.json_schema.schema).not.toHaveProperty('$schema');
    expect(contentText(request.messages[0]?.content)).toContain(raw.trim());

    // Same payload again: answered from the cache, no model call.
    expect(await parser.parse(raw, 'text/plain')).toEqual(alerts);
    expect(fake.requests).toHaveLength(1);
  });

  it('never shows the model a secret from the payload', async () => {
    const secrets = [
      'hunter2-prod-db',
      'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
      'AKIAABCDEFGHIJKLMNOP',
    ];
    fake.enqueue(JSON.stringify(modelAnswer));
    const parser = createAiAlertParser({ llm, redactor });
    const raw = JSON.stringify({
      text: 'node gpu-node-33 lost GPUs',
      connection: `postgres://aegis:${secrets[0]}@db:5432/x`,
      slack_token: secrets[1],
      env: `AWS_ACCESS_KEY_ID=${secrets[2]}`,
    });
    await parser.parse(raw, 'application/json');
    for (const secret of secrets) expect(fake.requests[0]?.text).not.toContain(secret);
    expect(fake.requests[0]?.text).toContain('gpu-node-33');
  });

  it('shares the cache between replicas through Redis', async () => {
    fake.setHandler(() => JSON.stringify(modelAnswer));
    const cacheA = createRedisAlertParseCache({ redisUrl: redis.url, keyPrefix: 'cache-test:' });
    const cacheB = createRedisAlertParseCache({ redisUrl: redis.url, keyPrefix: 'cache-test:' });
    const raw = 'CRITICAL gpu-node-33 Xid 79 (redis cache test)';
    const first = await createAiAlertParser({ llm, redactor, cache: cacheA }).parse(raw, 'text/plain');
    const second = await createAiAlertParser({ llm, redactor, cache: cacheB }).parse(raw, 'text/plain');
    expect(second).toEqual(first);
    expect(fake.requests).toHaveLength(1);
    await cacheA.close();
    await cacheB.close();
  });

  it('refuses an invalid answer with the reason (non-retryable, not cached)', async () => {
    const parser = createAiAlertParser({ llm, redactor });
    const cases: [string, string][] = [
      ['I think this is a GPU alert.', "the model's answer is not a valid alert: it is not JSON"],
      [
        JSON.stringify({ alerts: [{ ...modelAnswer.alerts[0], status: 'Critical' }] }),
        "the model's answer is not a valid alert: alerts[0].status: ",
      ],
      [
        JSON.stringify({
          alerts: [
            {
              ...modelAnswer.alerts[0],
              involvedObject: { kind: 'Pod', name: 'p', namespace: null, node: null },
            },
          ],
        }),
        "the model's answer is not a valid alert: alerts[0].involvedObject.namespace is required for a Pod",
      ],
      [
        JSON.stringify({ alerts: [{ ...modelAnswer.alerts[0], fingerprint: null, details: [] }] }),
        'has no fingerprint and no details',
      ],
    ];
    for (const [answer, reason] of cases) {
      fake.enqueue(answer);
      const error = await rejection(parser.parse(`payload for ${reason}`, 'text/plain'));
      expect(error.retryable).toBe(false);
      expect(error.userMessage).toContain(reason);
    }
    // Not cached: the same payload asks the model again.
    fake.enqueue(JSON.stringify(modelAnswer));
    await parser.parse(`payload for ${cases[0]![1]}`, 'text/plain');
    expect(fake.requests).toHaveLength(cases.length + 1);
  });

  it('accepts fenced JSON, a bare array and computes a missing fingerprint from the details', async () => {
    const alert = { ...modelAnswer.alerts[0], fingerprint: null };
    fake.enqueue(`\`\`\`json\n${JSON.stringify([alert])}\n\`\`\``);
    const [parsed] = await createAiAlertParser({ llm, redactor }).parse('fenced', 'text/plain');
    expect(parsed?.fingerprint).toMatch(/^[0-9a-f]{63}$/);
  });

  it('falls back to json_object with the schema in the prompt when json_schema is refused', async () => {
    fake.setHandler((request) =>
      request.responseFormat?.type === 'json_schema'
        ? { status: 400, message: "response_format 'json_schema' is not supported by this server" }
        : JSON.stringify(modelAnswer),
    );
    const parser = createAiAlertParser({ llm, redactor });
    const alerts = await parser.parse('fallback test', 'text/plain');
    expect(alerts[0]?.type).toBe('GpuFallenOffTheBus');
    expect(fake.requests.map((request) => request.responseFormat?.type)).toEqual([
      'json_schema',
      'json_object',
    ]);
    expect(contentText(fake.requests[1]?.messages[0]?.content)).toContain('"required":["alerts"]');
    // It remembers: the next payload goes straight to json_object.
    await parser.parse('fallback test 2', 'text/plain');
    expect(fake.requests.map((request) => request.responseFormat?.type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ]);
  });

  it('reports an unavailable model as retryable (the route answers 503)', async () => {
    fake.enqueue({ status: 500 }, { status: 500 });
    const error = await rejection(createAiAlertParser({ llm, redactor }).parse('down', 'text/plain'));
    expect([error.code, error.retryable]).toEqual(['LLM_UNAVAILABLE', true]);
  });
});

describe('createAiAlertParser with a server that ignores or refuses json_schema', () => {
  let loose: FakeOpenAi;
  let looseLlm: LlmClient;

  beforeAll(async () => {
    loose = await startFakeOpenAi([], { jsonSchema: 'rejected' });
    looseLlm = createLlmClient({ baseUrl: loose.baseUrl, apiKey: 'k', model: 'fake-model', maxRetries: 0 });
  });

  afterAll(async () => {
    await looseLlm.close();
    await loose.close();
  });

  beforeEach(() => loose.reset());

  it('retries once in JSON mode after a 400 and reads an answer that only has one clear meaning', async () => {
    // What such servers answer: prose around one object, no nullable keys, details as a map, numbers as
    // numbers, lower-case status, and no namespace for a Node.
    loose.enqueue(
      'Sure! Here is the alert:\n' +
        JSON.stringify({
          type: 'GpuFallenOffTheBus',
          status: 'firing',
          involvedObject: { kind: 'node', name: 'gpu-node-33' },
          details: { xid: 79, cluster: 'hpc-east', healthy: false },
        }) +
        '\nLet me know if you need more.',
    );
    const [alert, ...more] = await createAiAlertParser({ llm: looseLlm, redactor }).parse(
      'loose 1',
      'text/plain',
    );
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      type: 'GpuFallenOffTheBus',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'gpu-node-33' },
      details: { xid: '79', cluster: 'hpc-east', healthy: 'false' },
    });
    expect(alert?.involvedObject.namespace).toBeUndefined();
    expect(alert?.fingerprint).toMatch(/^[0-9a-f]{63}$/);
    expect(loose.requests.map((request) => request.responseFormat?.type)).toEqual([
      'json_schema',
      'json_object',
    ]);
  });

  it('reads {alerts: {...}} with a number as the object name and fenced JSON', async () => {
    loose.enqueue(
      '```json\n' +
        JSON.stringify({
          alerts: {
            type: 'RackDown',
            status: 'Resolved',
            involvedObject: { kind: 'Cluster', name: 42 },
            fingerprint: 7,
          },
        }) +
        '\n```',
    );
    const [alert] = await createAiAlertParser({ llm: looseLlm, redactor }).parse('loose 2', 'text/plain');
    expect(alert).toMatchObject({
      type: 'RackDown',
      status: 'Resolved',
      involvedObject: { kind: 'Cluster', name: '42' },
      fingerprint: '7',
      details: {},
    });
  });

  it('stays strict where there is no single meaning: no type, no object name', async () => {
    const parser = createAiAlertParser({ llm: looseLlm, redactor });
    for (const [answer, reason] of [
      [{ status: 'Firing', involvedObject: { kind: 'Node', name: 'n1' } }, 'alerts[0].type'],
      [{ type: 'X', status: 'Firing', involvedObject: { kind: 'Node' } }, 'alerts[0].involvedObject.name'],
    ] as const) {
      loose.enqueue(JSON.stringify(answer));
      const error = await rejection(parser.parse(`strict ${reason}`, 'text/plain'));
      expect(error.retryable).toBe(false);
      expect(error.userMessage).toContain(reason);
    }
  });
});

describe('createAiAlertParser without an LLM', () => {
  it('still reads the deterministic formats and refuses the rest with the plain message', async () => {
    const parser = createAiAlertParser({ redactor, cache: createMemoryAlertParseCache() });
    const datadog = await readFile(new URL('datadog-triggered.json', examples), 'utf8');
    expect((await parser.parse(datadog, 'application/json'))[0]?.type).toBe('DiskUsageHigh');
    const error = await rejection(parser.parse(await unknownText(), 'text/plain'));
    expect([error.retryable, error.userMessage]).toEqual([false, noLlmMessage]);
    const empty = await rejection(
      parser.parse(JSON.stringify({ labels: { node: 'n' } }), 'application/json'),
    );
    expect(empty.userMessage).toContain('this looks like a generic payload, but no alert in it is readable');
  });
});

describe('prompts', () => {
  it('renders prompts/alert-parse.md with the payload (snapshot)', async () => {
    clearPromptCache();
    const template = await loadPrompt('alert-parse');
    expect(renderPrompt(template, { raw: (await unknownText()).trim() })).toMatchSnapshot();
  });

  it('prefers a file in the override directory, reads once, and keeps {{...}} inside values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aegis-prompts-'));
    await writeFile(join(dir, 'alert-parse.md'), 'OVERRIDE {{raw}}');
    clearPromptCache();
    expect(await loadPrompt('alert-parse', { overrideDir: dir })).toBe('OVERRIDE {{raw}}');
    await writeFile(join(dir, 'alert-parse.md'), 'CHANGED');
    expect(await loadPrompt('alert-parse', { overrideDir: dir })).toBe('OVERRIDE {{raw}}'); // cached
    expect(await loadPrompt('agent', { overrideDir: dir })).toContain('You are Aegis'); // falls back
    expect(renderPrompt('A {{raw}} B', { raw: '{{raw}} {{other}}' })).toBe('A {{raw}} {{other}} B');
    expect(() => renderPrompt('{{missing}}', {})).toThrow('{{missing}}');
    await expect(loadPrompt('../etc/passwd')).rejects.toThrow('prompt names');
    await rm(dir, { recursive: true, force: true });
    clearPromptCache();
  });
});
