import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import { nodeConverter, nodeRoles, nodeStatus } from './node-columns.js';

function node(labels: Record<string, string>, spec: object, conditions: object[]): KubeObject {
  return {
    metadata: { name: 'node-1', labels, creationTimestamp: '2026-11-20T10:00:00Z' },
    spec,
    status: {
      conditions,
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: 'node-1' },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0',
        osImage: 'Ubuntu 22.04.4 LTS',
        kernelVersion: '5.15.0',
        containerRuntimeVersion: '',
      },
    },
  };
}

const ready = { type: 'Ready', status: 'True' };

describe('nodeStatus', () => {
  it('reads the Ready condition', () => {
    expect(nodeStatus(node({}, {}, [{ type: 'MemoryPressure', status: 'False' }, ready]))).toBe('Ready');
    expect(nodeStatus(node({}, {}, [{ type: 'Ready', status: 'False' }]))).toBe('NotReady');
    expect(nodeStatus(node({}, {}, [{ type: 'Ready', status: 'Unknown' }]))).toBe('NotReady');
    expect(nodeStatus(node({}, {}, []))).toBe('Unknown');
  });
  it('adds SchedulingDisabled when cordoned', () => {
    expect(nodeStatus(node({}, { unschedulable: true }, [ready]))).toBe('Ready,SchedulingDisabled');
    expect(nodeStatus(node({}, { unschedulable: true }, []))).toBe('Unknown,SchedulingDisabled');
  });
});

describe('nodeRoles', () => {
  it('lists node-role labels sorted, and the legacy kubernetes.io/role', () => {
    expect(
      nodeRoles(
        node({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' }, {}, []),
      ),
    ).toBe('control-plane,worker');
    expect(nodeRoles(node({ 'kubernetes.io/role': 'gpu', 'node-role.kubernetes.io/': '' }, {}, []))).toBe(
      'gpu',
    );
    expect(nodeRoles(node({ 'kubernetes.io/hostname': 'node-1' }, {}, []))).toBe('<none>');
  });
});

describe('nodeConverter', () => {
  it('prints default and wide cells', () => {
    const cells = nodeConverter.cells(
      node({ 'node-role.kubernetes.io/worker': '' }, {}, [ready]),
      new Date('2026-11-22T10:00:00Z'),
    );
    expect(cells).toEqual([
      'node-1',
      'Ready',
      'worker',
      '2d',
      'v1.32.0',
      '10.0.0.11',
      '<none>',
      'Ubuntu 22.04.4 LTS',
      '5.15.0',
      '<unknown>',
    ]);
    expect(nodeConverter.columnDefinitions.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Status:0',
      'Roles:0',
      'Age:0',
      'Version:0',
      'Internal-IP:1',
      'External-IP:1',
      'OS-Image:1',
      'Kernel-Version:1',
      'Container-Runtime:1',
    ]);
  });
});
