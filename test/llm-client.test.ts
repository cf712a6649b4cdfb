/**
 * The LLM client against the fake OpenAI-compatible server (and a real Redis for shared budgets): plain
 * completions and tool calls, usage in metrics, redaction of what the model sees, retries, timeout,
 * concurrency, budgets (turn, per channel per day, global per day) refused before any request is sent, the
 * LangChain model used by an agent loop, and reachability.
 */
import { Redis } from 'ioredis';
import { createAgent, tool } from 'langchain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAegisError } from '../src/core/errors.js';
import { createLlmClient, LlmBudgetExceededError, type LlmClientOptions } from '../src/agent/llm/index.js';
import { createRedactor } from '../src/agent/redaction/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import { startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';

let fake: FakeOpenAi;
let redis: RedisProcess;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  redis = await startRedisProcess();
});

afterAll(async () => {
  await fake.close();
  await redis.stop();
});

beforeEach(() => {
  fake.reset();
  fake.setHandler(undefined);
});

function client(options: Partial<LlmClientOptions> = {}) {
  return createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'fake-model', ...options });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const hello = [{ role: 'user' as const, content: 'hello' }];

describe('fake OpenAI server', () => {
  it('answers with unique completion and tool-call ids and usage numbers', async () => {
    fake.enqueue(
      {
        toolCalls: [
          { name: 'get_node', arguments: { name: 'dev1' } },
          { name: 'get_node', arguments: { name: 'dev2' } },
        ],
      },
      { toolCalls: [{ name: 'get_node', arguments: { name: 'dev3' } }] },
    );
    const llm = client();
    const first = await llm.complete({ messages: hello });
    const second = await llm.complete({ messages: hello });
    expect(first.id).not.toBe(second.id);
    const ids = [...first.toolCalls, ...second.toolCalls].map((call) => call.id);
    expect(new Set(ids).size).toBe(3);
    expect(first.toolCalls[0]).toMatchObject({ name: 'get_node', arguments: '{"name":"dev1"}' });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.usage.totalTokens).toBe(first.usage.promptTokens + first.usage.completionTokens);
    expect(fake.requests[0]?.authorization).toBe('Bearer test-key');
    await llm.close();
  });

  it('refuses an unscripted request loudly (400, not retried)', async () => {
    const llm = client();
    const error = await rejection(llm.complete({ messages: hello }));
    expect(isAegisError(error) && error.code).toBe('LLM_REQUEST_REJECTED');
    expect(fake.requests).toHaveLength(1);
    await llm.close();
  });
});

describe('createLlmClient: complete', () => {
  it('sends model, messages, tools and response_format; counts tokens and calls in metrics', async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    fake.enqueue({ content: '{"ok":true}', usage: { prompt_tokens: 30, completion_tokens: 5 } });
    const llm = client({ metrics });
    const result = await llm.complete({
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'status?' },
      ],
      tools: [
        { type: 'function', function: { name: 'noop', parameters: { type: 'object', properties: {} } } },
      ],
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' } },
    });
    expect(result.content).toBe('{"ok":true}');
    expect(result.usage).toEqual({ promptTokens: 30, completionTokens: 5, totalTokens: 35 });
    const request = fake.requests[0]!;
    expect(request.model).toBe('fake-model');
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(request.tools?.[0]?.function?.name).toBe('noop');
    expect(request.responseFormat).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
    });
    const text = await metrics.render();
    expect(text).toContain('aegis_llm_tokens_total{kind="prompt"} 30');
    expect(text).toContain('aegis_llm_tokens_total{kind="completion"} 5');
    expect(text).toContain('aegis_llm_calls_total{outcome="ok"} 1');
    expect(text).toContain('aegis_llm_call_duration_seconds_count{outcome="ok"} 1');
    await llm.close();
  });

  it('redacts every outgoing message when given a redactor', async () => {
    const secret = 'hunter2-very-secret';
    fake.enqueue('ok');
    const llm = client({ redactor: createRedactor() });
    await llm.complete({ messages: [{ role: 'user', content: `why does DB_PASSWORD=${secret} fail?` }] });
    expect(fake.requests[0]?.text).not.toContain(secret);
    expect(fake.requests[0]?.text).toContain('DB_PASSWORD=[REDACTED:password]');
    await llm.close();
  });

  it('retries 429 and 500, then succeeds', async () => {
    fake.enqueue({ status: 429 }, { status: 500 }, 'finally');
    const llm = client({ maxRetries: 2 });
    const result = await llm.complete({ messages: hello });
    expect(result.content).toBe('finally');
    expect(fake.requests).toHaveLength(3);
    await llm.close();
  });

  it('gives up after its retries with a retryable LLM_UNAVAILABLE', async () => {
    fake.enqueue({ status: 503 }, { status: 503 });
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const llm = client({ maxRetries: 1, metrics });
    const error = await rejection(llm.complete({ messages: hello }));
    expect(isAegisError(error) && [error.code, error.retryable]).toEqual(['LLM_UNAVAILABLE', true]);
    expect(fake.requests).toHaveLength(2);
    expect(await metrics.render()).toContain('aegis_llm_calls_total{outcome="error"} 1');
    await llm.close();
  });

  it('times out a slow answer with LLM_TIMEOUT', async () => {
    fake.enqueue({ content: 'too late', delayMs: 1_000 });
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const llm = client({ timeoutMs: 100, maxRetries: 0, metrics });
    const started = Date.now();
    const error = await rejection(llm.complete({ messages: hello }));
    expect(Date.now() - started).toBeLessThan(900);
    expect(isAegisError(error) && [error.code, error.retryable]).toEqual(['LLM_TIMEOUT', true]);
    expect(await metrics.render()).toContain('aegis_llm_calls_total{outcome="timeout"} 1');
    await llm.close();
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    fake.setHandler(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 40));
      inFlight -= 1;
      return 'ok';
    });
    const llm = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, async () => await llm.complete({ messages: hello })));
    expect(most).toBe(2);
    expect(fake.requests).toHaveLength(6);
    await llm.close();
  });
});

describe('budgets', () => {
  const noon = Date.parse('2026-03-05T12:00:00Z');

  it('refuses the call BEFORE sending it once the global daily budget is used (in memory)', async () => {
    fake.setHandler(() => ({ content: 'ok', usage: { prompt_tokens: 60, completion_tokens: 40 } }));
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const llm = client({ budgets: { dailyTokens: 150 }, now: () => noon, metrics });
    await llm.complete({ messages: hello });
    await llm.complete({ messages: hello }); // 100 used + ~4 estimated ≤ 150
    const error = await rejection(llm.complete({ messages: hello }));
    expect(error).toBeInstanceOf(LlmBudgetExceededError);
    expect(error).toMatchObject({ code: 'LLM_BUDGET_EXCEEDED', budget: 'global-daily', retryable: false });
    expect((error as LlmBudgetExceededError).userMessage).toBe(
      'Aegis has used its daily LLM budget of 150 tokens (all channels together), so I did not ask the model. It resets at 00:00 UTC (in 12 h).',
    );
    expect(fake.requests).toHaveLength(2);
    expect(await metrics.render()).toContain('aegis_llm_budget_refusals_total{budget="global-daily"} 1');
    await llm.close();
  });

  it('keeps per-channel and global daily counters in Redis, shared by replicas, expiring after the UTC day', async () => {
    fake.setHandler(() => ({ content: 'ok', usage: { prompt_tokens: 80, completion_tokens: 20 } }));
    let now = Date.parse('2026-03-05T23:30:00Z');
    const budgets = {
      channelDailyTokens: 100,
      dailyTokens: 200,
      redisUrl: redis.url,
      keyPrefix: 'budget-test:',
    };
    const replicaA = client({ budgets, now: () => now });
    const replicaB = client({ budgets, now: () => now });

    await replicaA.complete({ messages: hello, channel: 'C1' });
    const channelError = await rejection(replicaB.complete({ messages: hello, channel: 'C1' }));
    expect(channelError).toMatchObject({ budget: 'channel-daily' });
    expect((channelError as LlmBudgetExceededError).userMessage).toBe(
      'This channel has used its daily LLM budget of 100 tokens, so I did not ask the model. It resets at 00:00 UTC (in 30 min).',
    );
    await replicaB.complete({ messages: hello, channel: 'C2' });
    expect(await replicaA.usedToday('C2')).toEqual({ global: 200, channel: 100 });
    const globalError = await rejection(replicaA.complete({ messages: hello, channel: 'C3' }));
    expect(globalError).toMatchObject({ budget: 'global-daily' });
    expect(fake.requests).toHaveLength(2);

    const connection = new Redis(redis.url);
    const ttl = await connection.pttl('budget-test:llm:tokens:2026-03-05:global');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(90 * 60_000); // 30 min to midnight + 1 h
    connection.disconnect();

    now = Date.parse('2026-03-06T00:00:01Z'); // a new UTC day
    await replicaA.complete({ messages: hello, channel: 'C1' });
    expect(fake.requests).toHaveLength(3);
    await replicaA.close();
    await replicaB.close();
  });

  it('says the budget cannot be checked (retryable) when Redis is unreachable, without calling the model', async () => {
    const llm = client({ budgets: { dailyTokens: 1000, redisUrl: 'redis://127.0.0.1:1' } });
    const error = await rejection(llm.complete({ messages: hello }));
    expect(error).toMatchObject({ code: 'LLM_BUDGET_UNAVAILABLE', retryable: true });
    expect(fake.requests).toHaveLength(0);
    await llm.close();
  });

  it('stops a turn at its step and token limits', async () => {
    fake.setHandler(() => ({ content: 'ok', usage: { prompt_tokens: 10, completion_tokens: 10 } }));
    const llm = client({ budgets: { turnMaxSteps: 2, turnMaxTokens: 1_000 } });
    const turn = llm.startTurn();
    await llm.complete({ messages: hello, turn });
    await llm.complete({ messages: hello, turn });
    const error = await rejection(llm.complete({ messages: hello, turn }));
    expect(error).toMatchObject({ budget: 'turn-steps' });
    expect((error as LlmBudgetExceededError).userMessage).toContain('I stopped after 2 model steps');
    expect(turn).toEqual({ steps: 2, tokens: 40 });
    // A new turn starts afresh; calls without a turn have no turn budget.
    await llm.complete({ messages: hello, turn: llm.startTurn() });
    await llm.complete({ messages: hello });

    const tokenBound = client({ budgets: { turnMaxTokens: 25 } });
    const tokenTurn = tokenBound.startTurn();
    await tokenBound.complete({ messages: hello, turn: tokenTurn });
    const tokenError = await rejection(tokenBound.complete({ messages: hello, turn: tokenTurn }));
    expect(tokenError).toMatchObject({ budget: 'turn-tokens' });
    expect((tokenError as LlmBudgetExceededError).userMessage).toContain('budget of 25 tokens');
    await llm.close();
    await tokenBound.close();
  });
});

describe('chatModel (LangChain)', () => {
  it('runs a createAgent tool loop over Chat Completions, charged to the turn, redacted', async () => {
    const secret = 'sk-proj-abcdefghijklmnopqrstuvwx0123';
    fake.enqueue(
      { toolCalls: [{ name: 'get_node', arguments: { name: 'dev1' } }] },
      'dev1 is NotReady (from get_node).',
    );
    const llm = client({ redactor: createRedactor() });
    const turn = llm.startTurn();
    const getNode = tool(({ name }) => `node ${name}: NotReady; env OPENAI_API_KEY=${secret}`, {
      name: 'get_node',
      description: 'Read a node',
      schema: z.object({ name: z.string().describe('node name') }),
    });
    const agent = createAgent({ model: llm.chatModel({ turn, channel: 'C1' }), tools: [getNode] });
    const result = await agent.invoke({ messages: [{ role: 'user', content: 'why is dev1 down?' }] });
    expect(result.messages.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    expect(result.messages.at(-1)?.content).toBe('dev1 is NotReady (from get_node).');
    expect(turn.steps).toBe(2);
    expect(turn.tokens).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.tools?.[0]?.function?.name).toBe('get_node');
    expect(fake.requests[1]?.messages.at(-1)?.role).toBe('tool');
    expect(fake.requests[1]?.text).not.toContain(secret);
    await llm.close();
  });

  it('stops a runaway tool loop at the turn step budget', async () => {
    fake.setHandler(() => ({ toolCalls: [{ name: 'get_node', arguments: { name: 'dev1' } }] }));
    const llm = client({ budgets: { turnMaxSteps: 3 } });
    const turn = llm.startTurn();
    const getNode = tool(() => 'NotReady', {
      name: 'get_node',
      description: 'Read a node',
      schema: z.object({ name: z.string() }),
    });
    const agent = createAgent({ model: llm.chatModel({ turn }), tools: [getNode] });
    const error = await rejection(agent.invoke({ messages: [{ role: 'user', content: 'loop' }] }));
    expect(error).toBeInstanceOf(LlmBudgetExceededError);
    expect(fake.requests).toHaveLength(3);
    await llm.close();
  });
});

describe('llmStatus', () => {
  it('reports reachability through GET /models, else a 1-token completion, else unreachable', async () => {
    const llm = client();
    expect(await llm.llmStatus()).toMatchObject({ reachable: true, via: 'models', modelListed: true });

    const noModels = await startFakeOpenAi(['pong'], { modelsStatus: 404 });
    const other = createLlmClient({ baseUrl: noModels.baseUrl, apiKey: 'k', model: 'm' });
    expect(await other.llmStatus()).toMatchObject({ reachable: true, via: 'completion' });
    expect(noModels.requests[0]?.body['max_tokens']).toBe(1);
    await noModels.close();

    const down = createLlmClient({ baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', model: 'm' });
    const status = await down.llmStatus({ timeoutMs: 1_000 });
    expect(status.reachable).toBe(false);
    expect(status.error).toBeDefined();
    await Promise.all([llm.close(), other.close(), down.close()]);
  });
});
