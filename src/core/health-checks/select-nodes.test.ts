import { describe, expect, it } from 'vitest';
import { selectNodes, tolerates } from './select-nodes.js';

const node = (
  name: string,
  labels: Record<string, string>,
  taints: { key: string; value?: string; effect: string }[] = [],
) => ({
  metadata: { name, labels },
  spec: { taints },
});

const nodes = [
  node('cpu-1', { pool: 'cpu' }),
  node('gpu-1', { pool: 'gpu' }),
  node('gpu-2', { pool: 'gpu' }, [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]),
  node('gpu-3', { pool: 'gpu' }, [{ key: 'maintenance', value: 'true', effect: 'NoExecute' }]),
  node('gpu-4', { pool: 'gpu' }, [
    { key: 'nvidia.com/gpu', effect: 'NoSchedule' },
    { key: 'dedicated', value: 'ai', effect: 'NoSchedule' },
  ]),
  node('gpu-5', { pool: 'gpu' }, [{ key: 'soft', effect: 'PreferNoSchedule' }]),
];

describe('selectNodes', () => {
  it('keeps nodes matching the nodeSelector and without hard taints when there are no tolerations', () => {
    expect(selectNodes(nodes, { nodeSelector: { pool: 'gpu' } })).toEqual(['gpu-1', 'gpu-5']);
  });

  it('keeps a tainted node when each of its taints is tolerated by some toleration', () => {
    const tolerations = [
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'ai' },
    ];
    // Upstream required every toleration to tolerate every taint, which dropped gpu-2 (only one of the two).
    expect(selectNodes(nodes, { nodeSelector: { pool: 'gpu' }, tolerations })).toEqual([
      'gpu-1',
      'gpu-2',
      'gpu-4',
      'gpu-5',
    ]);
  });

  it('tolerates everything with an empty-key Exists toleration', () => {
    expect(selectNodes(nodes, { tolerations: [{ operator: 'Exists' }] })).toHaveLength(nodes.length);
  });

  it('matches values and effects as the scheduler does', () => {
    expect(
      tolerates(
        { key: 'maintenance', value: 'false' },
        { key: 'maintenance', value: 'true', effect: 'NoExecute' },
      ),
    ).toBe(false);
    expect(
      tolerates(
        { key: 'maintenance', value: 'true', effect: 'NoSchedule' },
        { key: 'maintenance', value: 'true', effect: 'NoExecute' },
      ),
    ).toBe(false);
    expect(
      tolerates(
        { key: 'maintenance', value: 'true' },
        { key: 'maintenance', value: 'true', effect: 'NoExecute' },
      ),
    ).toBe(true);
  });
});
