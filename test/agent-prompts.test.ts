/**
 * Snapshots of what the agent renders: the system prompt of a turn in an alert thread (built-in prompt plus the
 * turn's setting), its override from AEGIS_PROMPTS_DIR, and the Slack answer with a proposal and citations.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAgentAnswer, renderSystemPrompt, summarizeAlert } from '../src/agent/index.js';
import { clearPromptCache, loadPrompt } from '../src/agent/prompts/index.js';
import type { AegisAlert } from '../src/core/resources/index.js';

const alert = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlert',
  metadata: {
    name: 'custom-nodehasemergencyevent-5f972974',
    namespace: 'monitoring',
    labels: { 'alert-type': 'NodeHasEmergencyEvent' },
  },
  spec: {
    source: 'Custom',
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    severity: 'critical',
    involvedObject: { kind: 'Node', name: 'dev1', node: 'dev1' },
    details: { node: 'dev1', reason: 'KernelPanic', description: 'kernel panic in the GPU driver' },
    selector: {},
  },
  status: { status: 'Firing', count: 2, startTime: '2025-06-01T08:00:00Z', lastSeen: '2025-06-01T08:05:00Z' },
} as unknown as AegisAlert;

describe('agent prompts', () => {
  it('renders the system prompt of a turn in an alert thread', async () => {
    const prompt = renderSystemPrompt(await loadPrompt('agent'), {
      now: new Date('2025-06-01T08:10:00Z'),
      surface: 'slack',
      maxSteps: 8,
      alert: summarizeAlert(alert, 'full'),
    });
    await expect(prompt).toMatchFileSnapshot('../src/agent/__snapshots__/agent-system-prompt.snap');
    expect(prompt).toContain('propose_ops_run');
    expect(prompt).toContain('never claim to have changed anything');
  });

  it('takes agent.md from AEGIS_PROMPTS_DIR when it has one', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'aegis-prompts-'));
    await writeFile(join(directory, 'agent.md'), 'You are the night-shift assistant.\n');
    clearPromptCache();
    const prompt = renderSystemPrompt(await loadPrompt('agent', { overrideDir: directory }), {
      now: new Date('2025-06-01T08:10:00Z'),
      surface: 'terminal',
      maxSteps: 4,
    });
    expect(prompt.startsWith('You are the night-shift assistant.\n\n## This conversation')).toBe(true);
  });

  it('renders a Slack answer: escaped text, the pending proposal, the sources', async () => {
    const message = renderAgentAnswer({
      answer:
        '**dev1** is NotReady <!channel> after a kernel panic.\n- events: 3× KernelPanic\n- cordon proposed',
      stop: 'answered',
      citations: [
        { tool: 'get_alert', input: { name: 'custom-nodehasemergencyevent-5f972974' }, ok: true },
        { tool: 'get_node', input: { name: 'dev1' }, ok: true },
        { tool: 'list_events', input: { kind: 'Node', name: 'dev1' }, ok: true },
      ],
      proposals: [
        {
          status: 'pending_approval',
          request: 'opsrequest-nodehasemergencyevent-x7k2p',
          namespace: 'monitoring',
          template: 'monitoring/nodehasemergencyevent',
          parameters: { node: 'dev1' },
          message: 'pending approval',
        },
      ],
    });
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    await expect(`${JSON.stringify(message, null, 2)}\n`).toMatchFileSnapshot(
      '../src/agent/__snapshots__/agent-slack-answer.snap',
    );
  });
});
