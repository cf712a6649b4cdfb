import { describe, expect, it } from 'vitest';
import { diagnoseFacts } from './diagnose-facts.js';
import { explainFindings } from './explain-findings.js';
import { node, nodeFacts, pod, podFacts, withCondition } from './fixtures/build-facts.js';

describe('explainFindings (no LLM)', () => {
  it('answers in the four parts, naming the root cause, its evidence and the fix', () => {
    const outcome = diagnoseFacts(
      nodeFacts(
        node({ status: withCondition('Ready', 'False', 'KubeletNotReady', 'container runtime is down') }),
      ),
    );
    expect(explainFindings(outcome)).toBe(
      [
        'Healthy: No',
        'Error: Node gpu-7 is NotReady: container runtime is down.',
        'Analysis:',
        '- Node gpu-7 is NotReady: container runtime is down. [condition Ready=False (KubeletNotReady): container runtime is down]',
        'Solution: Check the kubelet and the container runtime on the node (journalctl -u kubelet).',
      ].join('\n'),
    );
  });

  it('says healthy when nothing failed', () => {
    expect(explainFindings(diagnoseFacts(podFacts(pod())))).toMatch(/^Healthy: Yes\nError: none/);
  });

  it('says unknown for a missing object, with the reason', () => {
    const text = explainFindings(
      diagnoseFacts({ kind: 'Missing', objectKind: 'Pod', reason: 'Pod team-a/web-9 does not exist.' }),
    );
    expect(text).toContain('Healthy: Unknown\nError: Pod team-a/web-9 does not exist.');
  });
});
