import { describe, expect, it } from 'vitest';
import type { RoundDigest } from '../../controller/healthchecks/index.js';
import { renderHealthDigest } from './render-health-digest.js';

const digest: RoundDigest = {
  check: { namespace: 'monitoring', name: 'gpu-nodes', uid: 'uid-1' },
  round: 12,
  startTime: '2026-12-08T02:00:00Z',
  completionTime: '2026-12-08T02:01:03Z',
  desired: 8,
  succeeded: 7,
  failed: 1,
  failingNodes: 2,
  changes: {
    newFailures: [
      {
        node: 'gpu-5',
        module: 'gpu',
        item: 'gpu-count',
        condition: 'GpuCountMismatch',
        level: 'critical',
        status: true,
        message: '6 of 8 GPUs visible',
      },
      {
        node: 'gpu-7',
        module: 'disk',
        item: '/',
        condition: 'DiskAlmostFull',
        level: 'warning',
        status: true,
        message: '<!channel> 93% used',
      },
    ],
    recovered: [
      {
        node: 'gpu-2',
        module: 'kubelet',
        item: 'healthz',
        condition: 'KubeletUnhealthy',
        level: 'critical',
        status: true,
        message: 'no answer',
      },
    ],
    stillFailing: [{ node: 'gpu-1', module: 'gpu', item: 'xid', status: true }],
    unchecked: [
      {
        node: 'gpu-8',
        reason: 'checker pod gpu-nodes-r12-gpu-8-checker on node gpu-8 failed (exit code 137, OOMKilled)',
      },
    ],
    newlyUnchecked: [
      {
        node: 'gpu-8',
        reason: 'checker pod gpu-nodes-r12-gpu-8-checker on node gpu-8 failed (exit code 137, OOMKilled)',
      },
    ],
  },
};

describe('renderHealthDigest (golden JSON)', () => {
  it('shows new failures, recoveries and unchecked nodes, escaping what the checker printed', async () => {
    const message = renderHealthDigest(digest);
    await expect(`${JSON.stringify(message, null, 2)}\n`).toMatchFileSnapshot(
      './__golden__/health-digest.json',
    );
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('cuts long lists and counts the rest', () => {
    const many = Array.from({ length: 40 }, (_, index) => ({
      node: `gpu-${index}`,
      module: 'gpu',
      item: 'xid',
      status: true,
    }));
    const message = renderHealthDigest({
      ...digest,
      changes: { ...digest.changes, newFailures: many, recovered: [], newlyUnchecked: [] },
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('New failures* (40)');
    expect(text).toContain('…and 25 more');
  });
});
