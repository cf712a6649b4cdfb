/**
 * Issue 10, item 8: the agent's tools are not an oracle for secrets. get_pod_logs filters (and counts) on the
 * redacted log, so a keyword cannot guess a secret prefix by prefix; secret words as parts of a name
 * (PGPASSWORD=, MYSQL_PWD=, X-Auth:) and `password hunter2` are masked in logs and in the annotations tools
 * return; LangSmith tracing stays off unless AEGIS_LLM_TRACING turns it on.
 */
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAgentTools,
  createRedactor,
  runTool,
  type AgentToolContext,
  type ClusterReader,
} from '../src/agent/index.js';
import { applyTracingSetting, loadConfig } from '../src/config/index.js';

const log = [
  '2026-03-05T10:00:00Z starting worker',
  '2026-03-05T10:00:01Z env PGPASSWORD=hunter2 psql -h db',
  '2026-03-05T10:00:02Z export MYSQL_PWD=s3cretpw',
  '2026-03-05T10:00:03Z mysql login with password Tr0ub4dor&3',
  '2026-03-05T10:00:04Z GET /api X-Auth: 9f8e7d6c5b4a',
  '2026-03-05T10:00:05Z the password expired yesterday',
  '',
].join('\n');

const pod = {
  metadata: {
    name: 'trainer-0',
    namespace: 'ml',
    annotations: { 'example.com/init': 'PGPASSWORD=hunter2 ./migrate', 'example.com/db-pwd': 'hunter2' },
  },
  spec: { nodeName: 'dev1', containers: [{ name: 'main', image: 'busybox' }] },
  status: { phase: 'Running' },
};

const reader = {
  readPodLog: () => Promise.resolve(log),
  getPod: () => Promise.resolve(pod),
} as unknown as ClusterReader; // only the two reads these tools make

const redactor = createRedactor();
const tools = createAgentTools({
  reader,
  namespace: 'monitoring',
  redact: (text) => redactor.redact(text),
  opsRequests: { createOpsRequest: () => Promise.resolve({ namespace: 'monitoring', name: 'x' }) },
});
const context: AgentToolContext = {
  user: 'U1',
  conversationId: 'oracle',
  signal: new AbortController().signal,
};
const options = { redactValue: (value: unknown) => redactor.redactValue(value) };
const tool = (name: string) => {
  const found = tools.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no tool ${name}`);
  return found;
};

describe('get_pod_logs filters on the redacted log', () => {
  it('gives no answer that depends on a secret: guessing its prefix matches nothing', async () => {
    for (const keyword of ['hunter', 'PGPASSWORD=h', 'PGPASSWORD=hunter2', 's3cret', 'Tr0ub', '9f8e7d']) {
      const result = await runTool(
        tool('get_pod_logs'),
        { namespace: 'ml', name: 'trainer-0', keyword },
        context,
        options,
      );
      expect(result.output, keyword).toMatchObject({ linesMatching: 0, log: '' });
    }
  });

  it('masks secret words that are parts of a name, and a password given as the next word', async () => {
    const result = await runTool(
      tool('get_pod_logs'),
      { namespace: 'ml', name: 'trainer-0' },
      context,
      options,
    );
    expect(result.text).toContain('PGPASSWORD=[REDACTED:password]');
    expect(result.text).toContain('MYSQL_PWD=[REDACTED:password]');
    expect(result.text).toContain('password [REDACTED:password]');
    expect(result.text).toContain('X-Auth: [REDACTED:credential]');
    expect(result.text).toContain('the password expired yesterday');
    for (const secret of ['hunter2', 's3cretpw', 'Tr0ub4dor', '9f8e7d6c5b4a'])
      expect(result.text).not.toContain(secret);
    const filtered = await runTool(
      tool('get_pod_logs'),
      { namespace: 'ml', name: 'trainer-0', keyword: 'password' },
      context,
      options,
    );
    expect(filtered.output).toMatchObject({ linesMatching: 4 }); // the three password lines, and MYSQL_PWD=[REDACTED:password];
  });

  it('masks them in the annotations a tool returns', async () => {
    const result = await runTool(tool('get_pod'), { namespace: 'ml', name: 'trainer-0' }, context, options);
    expect(result.ok).toBe(true);
    expect(result.text).not.toContain('hunter2');
    expect(result.text).toContain('PGPASSWORD=[REDACTED:password]');
  });
});

describe('LangSmith tracing', () => {
  const saved = process.env['LANGCHAIN_TRACING_V2'];
  afterEach(() => {
    if (saved === undefined) delete process.env['LANGCHAIN_TRACING_V2'];
    else process.env['LANGCHAIN_TRACING_V2'] = saved;
  });

  it('stays off when the environment asks LangChain for it but Aegis does not', () => {
    process.env['LANGCHAIN_TRACING_V2'] = 'true';
    expect(CallbackManager.configure()?.handlers.map((handler) => handler.name)).toEqual([
      'langchain_tracer',
    ]);
    expect(loadConfig({}).llmTracing).toBe('off');
    expect(applyTracingSetting('off', process.env)).toEqual(['LANGCHAIN_TRACING_V2']);
    expect(CallbackManager.configure()?.handlers.map((handler) => handler.name) ?? []).toEqual([]);
  });

  it('is left to LangChain when AEGIS_LLM_TRACING=langsmith', () => {
    process.env['LANGCHAIN_TRACING_V2'] = 'true';
    expect(loadConfig({ AEGIS_LLM_TRACING: 'langsmith' }).llmTracing).toBe('langsmith');
    expect(applyTracingSetting('langsmith', process.env)).toEqual([]);
    expect(CallbackManager.configure()?.handlers.map((handler) => handler.name)).toEqual([
      'langchain_tracer',
    ]);
  });
});
