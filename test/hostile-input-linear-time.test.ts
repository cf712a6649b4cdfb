/**
 * Hostile input must not stall the process (issue 10, item 4). Each case replays an input that froze `aegis serve`
 * for about a minute with backtracking patterns: 100 KB of `a-a-a-…` posted as text to /ai/alert (55 s, /healthz
 * timed out), an 80 KB alert detail redacted for a thread reply (75 s), AEGIS_REDACT_PATTERNS='(a+)+$', and the
 * rule type `(x+x+)+y` against 31 `x` (70 s). With linear-time matching each one takes milliseconds; the tests'
 * own timeouts (far below the old freezes) are what fails on the old code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiAlertParser } from '../src/agent/alert-parse/index.js';
import { createLlmClient } from '../src/agent/llm/index.js';
import { createRedactor, parseRedactPatterns } from '../src/agent/redaction/index.js';
import { silentLogger } from '../src/core/logger.js';
import { RuleIndex } from '../src/core/rules/index.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { registerWebhookRoutes, type AlertDelivery } from '../src/webhooks/index.js';
import { startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';

const hostile = (unit: string, length: number): string =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('/ai/alert with 100 KB of a-a-a-… as text', () => {
  let fake: FakeOpenAi;
  let server: HttpServer;
  let url: string;
  const delivered: AlertDelivery[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    const llm = createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'k', model: 'fake-model', maxRetries: 0 });
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    server = createHttpServer({ logger: silentLogger, metrics });
    registerWebhookRoutes(server.app, {
      metrics,
      alertParser: createAiAlertParser({ llm, redactor: createRedactor() }),
      intake: {
        accept: async (deliveries) => {
          delivered.push(...deliveries);
          await Promise.resolve();
        },
        depth: async () => await Promise.resolve(delivered.length),
      },
    });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  it('answers, and /healthz answers while it is being read', { timeout: 15_000 }, async () => {
    fake.enqueue(JSON.stringify({ alerts: [] }));
    const posted = fetch(`${url}/ai/alert`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: hostile('a-', 100_000),
    });
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
    const answer = await posted;
    expect(answer.status).toBe(422); // the (fake) model found no alert in it
    // The text was cut to the parser's budget before it was redacted and sent.
    const sent = fake.requests[0]?.text ?? '';
    expect(sent.length).toBeLessThan(40_000);
    expect(sent).toContain('cut at 32000 characters');
  });
});

describe('redaction of hostile text', () => {
  const redactor = createRedactor();

  it('redacts an 80 KB alert detail for a thread reply at once', { timeout: 10_000 }, () => {
    const detail = hostile('a-', 80_000);
    const summary = redactor.redactValue({
      type: 'NodeDown',
      details: { message: detail, password: 'hunter2' },
    });
    expect(JSON.stringify(summary)).toContain('[REDACTED:password]');
    expect(JSON.stringify(summary)).toContain('[cut: 80000 characters, the first 32768 kept]');
    expect(redactor.redact(`${detail} password=hunter2`)).toContain('password=[REDACTED:password]');
  });

  it.each(['a-', 'eyJ', 'x://', 'a=', 'a:', 'password:\n', '"name":"x","value":"\\"', 'Bearer '])(
    'redacts 1 MiB of %j without stalling',
    { timeout: 20_000 },
    (unit) => {
      const text = hostile(unit, 1_048_576);
      expect(redactor.redact(text).length).toBeGreaterThan(0);
    },
  );
});

describe('user-given patterns run in linear time', () => {
  it("AEGIS_REDACT_PATTERNS='(a+)+$' masks without backtracking", { timeout: 10_000 }, () => {
    const redactor = createRedactor({ extraPatterns: parseRedactPatterns('(a+)+$') });
    // 2^40 steps for a backtracking engine: the trailing "!" makes every split fail.
    expect(redactor.redact(`${'a'.repeat(40)}!`)).toBe(`${'a'.repeat(40)}!`);
    expect(redactor.redact(`x ${'a'.repeat(100_000)}`)).toBe('x [REDACTED:custom]');
  });

  it('AEGIS_REDACT_PATTERNS refuses what only a backtracking engine can run, saying which setting and why', () => {
    expect(() => parseRedactPatterns('(a)\\1')).toThrow(
      /AEGIS_REDACT_PATTERNS: "\(a\)\\\\1" uses back-references .* linear time/,
    );
    expect(() => parseRedactPatterns('["ok", "(?<=x)y"]')).toThrow(/uses look-arounds/);
  });

  it('a rule whose type is (x+x+)+y matches an alert type of 31 x at once', { timeout: 10_000 }, () => {
    const index = new RuleIndex();
    const rule = index.upsert({
      metadata: { name: 'nested', namespace: 'monitoring' },
      spec: {
        alertConditions: [{ type: '(x+x+)+y', status: 'Firing' }],
        opsTemplate: { kind: 'AegisOpsTemplate', name: 't' },
      },
    });
    expect(rule.ok).toBe(true);
    expect(index.match({ type: 'x'.repeat(31), status: 'Firing', labels: {} })).toEqual({ kind: 'none' });
    expect(index.match({ type: `${'x'.repeat(31)}y`, status: 'Firing', labels: {} })).toMatchObject({
      kind: 'matched',
    });
  });
});
