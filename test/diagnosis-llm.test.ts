/**
 * The LLM summary of a diagnosis against the fake OpenAI server: the prompt per kind (snapshots), the language,
 * redaction, the 6k-token cap, the cache, AEGIS_PROMPTS_DIR overrides, and the rule-based fallback when the LLM
 * fails.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLlmClient,
  createLlmDiagnosisExplainer,
  createRedactor,
  diagnosisPromptTokenBudget,
  estimateTokens,
  type LlmClient,
} from '../src/agent/index.js';
import { diagnoseFacts, type DiagnosisFacts } from '../src/core/diagnosis/index.js';
import {
  event,
  node,
  nodeFacts,
  pod,
  podFacts,
  withCondition,
} from '../src/core/diagnosis/fixtures/build-facts.js';
import { startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';

let fake: FakeOpenAi;
let llm: LlmClient;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  llm = createLlmClient({ baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'fake-model', maxRetries: 0 });
});
afterAll(async () => {
  await llm?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const crashing = podFacts(
  pod({
    containerStatuses: [
      {
        name: 'main',
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { reason: 'Error', exitCode: 2 } },
      },
    ],
  }),
  [event('BackOff', 'Back-off restarting failed container main', 'Warning', 9)],
  [
    {
      container: 'main',
      previous: true,
      lines: ['connecting with password=hunter2secret', 'ERROR: auth failed'],
    },
  ],
);

const byKind: Record<string, DiagnosisFacts> = {
  Pod: crashing,
  Node: nodeFacts(
    node({ status: withCondition('Ready', 'False', 'KubeletNotReady', 'PLEG is not healthy') }),
  ),
  PyTorchJob: {
    kind: 'PyTorchJob',
    job: {
      metadata: { name: 'llama' },
      status: { conditions: [{ type: 'Failed', status: 'True', message: 'worker 1 failed' }] },
    },
    events: [],
    pods: [],
    analysedPods: [],
  },
  Workflow: {
    kind: 'Workflow',
    workflow: {
      metadata: { name: 'drain', namespace: 'ops' },
      status: { phase: 'Error', message: 'pods "x" is forbidden' },
    },
    events: [],
    stepPods: [],
  },
};

function request(kind: string, facts: DiagnosisFacts, language = 'English') {
  return {
    target: { kind, name: 'x', namespace: kind === 'Node' ? '' : 'team-a' },
    facts,
    outcome: diagnoseFacts(facts),
    language,
    signal: new AbortController().signal,
  };
}

const redactor = createRedactor();
const keywords = ['error', 'nccl'];

describe('LLM diagnosis summary', () => {
  it.each(Object.keys(byKind))('sends the %s prompt with the findings (snapshot)', async (kind) => {
    fake.enqueue('Healthy: No\nError: x\nAnalysis: y\nSolution: z');
    const explainer = createLlmDiagnosisExplainer({ llm, redactor, keywords });
    const answer = await explainer.explain(request(kind, byKind[kind]!));
    expect(answer).toBe('Healthy: No\nError: x\nAnalysis: y\nSolution: z');
    const sent = fake.requests[0]?.messages[0]?.content;
    expect(sent).toMatchSnapshot();
  });

  it('answers in the requested language, never sends the secret, and caches the same input', async () => {
    fake.setHandler(() => 'Healthy: No\nError: 认证失败');
    const explainer = createLlmDiagnosisExplainer({ llm, redactor, keywords });
    const first = await explainer.explain(request('Pod', crashing, 'Chinese'));
    const second = await explainer.explain(request('Pod', crashing, 'Chinese'));
    expect(first).toBe(second);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.text).toContain('Answer in Chinese.');
    expect(fake.requests[0]?.text).not.toContain('hunter2secret');
    await explainer.explain(request('Pod', crashing, 'English'));
    expect(fake.requests).toHaveLength(2);
    fake.setHandler(undefined);
  });

  it('keeps the prompt within 6k tokens whatever the logs', async () => {
    const huge = podFacts(
      crashing.kind === 'Pod' ? crashing.pod : pod(),
      [],
      [
        {
          container: 'main',
          previous: true,
          lines: Array.from({ length: 3_000 }, (_, index) => `ERROR line ${index} ${'x'.repeat(60)}`),
        },
      ],
    );
    const explainer = createLlmDiagnosisExplainer({ llm, redactor, keywords });
    const prompt = await explainer.prompt(request('Pod', huge));
    expect(estimateTokens(prompt)).toBeLessThanOrEqual(diagnosisPromptTokenBudget);
    expect(prompt).toContain('[cut to fit the prompt budget]');
    expect(prompt).toContain('Answer in exactly these four parts');
  });

  it('uses a prompt from AEGIS_PROMPTS_DIR/diagnosis/<kind>.md', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aegis-prompts-'));
    await mkdir(join(dir, 'diagnosis'));
    await writeFile(
      join(dir, 'diagnosis', 'node.md'),
      'Our runbook. {{object}} in {{language}}:\n{{findings}}',
    );
    fake.enqueue('Healthy: No');
    const explainer = createLlmDiagnosisExplainer({ llm, redactor, keywords, promptsDir: dir });
    await explainer.explain(request('Node', byKind['Node']!));
    expect(fake.requests[0]?.messages[0]?.content).toMatch(
      /^Our runbook\. Node x in English:\n\[failure\] Node gpu-7 is NotReady/,
    );
  });

  it('writes the rule-based summary, saying why, when the LLM fails', async () => {
    fake.enqueue({ status: 500, message: 'model overloaded' });
    const explainer = createLlmDiagnosisExplainer({ llm, redactor, keywords });
    const answer = await explainer.explain(request('Pod', crashing));
    expect(answer).toMatch(/^Healthy: No\nError: Container main keeps crashing/);
    expect(answer).toContain('(LLM summary unavailable:');
  });
});
