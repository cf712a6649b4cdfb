import { describe, expect, it } from 'vitest';
import { renderDiagnosis, type DiagnosisView } from './render-diagnosis.js';

const completed: DiagnosisView = {
  reference: 'monitoring/diag-pod-trainer-0-x7k2p',
  object: 'Pod team-a/trainer-0',
  phase: 'Completed',
  verdict: 'UnHealthy',
  failures: [
    'Container main keeps crashing (CrashLoopBackOff, 6 restarts); it last exited with Error, exit code 3.\nevidence:\n  last termination of container main: Error, exit code 3\n  restart count 6',
    'The liveness probe fails <!channel>, so the kubelet keeps restarting the container.\nevidence:\n  event Warning Unhealthy: Liveness probe failed',
  ],
  warnings: ['BackOff: Back-off restarting failed container'],
  explain:
    'Healthy: No\nError: the config file is missing\nAnalysis: `ERROR: /etc/trainer.yaml: no such file`\nSolution: mount the ConfigMap',
};

const { verdict: _verdict, explain: _explain, ...base } = completed;
const running: DiagnosisView = { ...base, phase: 'Diagnosing', failures: [], warnings: [] };

const golden = (name: string) => `./__golden__/diagnosis-${name}.json`;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('renderDiagnosis (golden JSON)', () => {
  it('shows the verdict, each failure with its first evidence line, the summary and how to read it all', async () => {
    const message = renderDiagnosis(completed);
    await expect(json(message)).toMatchFileSnapshot(golden('unhealthy'));
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(message.text).toBe('Diagnosis of Pod team-a/trainer-0: UnHealthy');
  });

  it('shows progress while running, and the reason when the diagnosis failed', async () => {
    await expect(json(renderDiagnosis(running))).toMatchFileSnapshot(golden('running'));
    const failed = renderDiagnosis({
      ...running,
      phase: 'Failed',
      error: 'Diagnosis failed: the diagnosis of Node gpu-9 did not finish within 300s (spec.timeout)',
    });
    await expect(json(failed)).toMatchFileSnapshot(golden('failed'));
    expect(failed.text).toBe('Diagnosis of Pod team-a/trainer-0: diagnosis failed');
  });

  it('keeps every section within Slack limits however long the findings are', () => {
    const long = renderDiagnosis({
      ...completed,
      failures: Array.from({ length: 40 }, () => 'x'.repeat(2_000)),
      explain: 'y'.repeat(10_000),
    });
    for (const block of long.blocks) {
      if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
    }
  });
});
