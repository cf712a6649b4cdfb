import { describe, expect, it } from 'vitest';
import { analyzeNode } from './analyze-node.js';
import { diagnoseFacts } from './diagnose-facts.js';
import type { NodeFacts } from './diagnosis-facts.js';
import { event, node, nodeFacts, pod, withCondition } from './fixtures/build-facts.js';
import { parseCollectorOutput } from './parse-collector-output.js';

interface Case {
  readonly name: string;
  readonly facts: NodeFacts;
  readonly code: string;
  readonly severity?: 'failure' | 'warning';
  readonly says: readonly string[];
  readonly evidence: readonly string[];
}

const cases: Case[] = [
  {
    name: 'NotReady with the kubelet reason',
    facts: nodeFacts(
      node({
        status: withCondition(
          'Ready',
          'False',
          'KubeletNotReady',
          'PLEG is not healthy: pleg was last seen active 3m0s ago',
        ),
      }),
    ),
    code: 'NodeNotReady',
    says: ['NotReady', 'PLEG is not healthy'],
    evidence: ['condition Ready=False (KubeletNotReady)'],
  },
  {
    name: 'Ready Unknown (kubelet stopped posting status)',
    facts: nodeFacts(
      node({
        status: withCondition(
          'Ready',
          'Unknown',
          'NodeStatusUnknown',
          'Kubelet stopped posting node status.',
        ),
      }),
    ),
    code: 'NodeUnreachable',
    says: ['unreachable', 'last heartbeat 2026-12-08T01:50:00Z'],
    evidence: ['Ready=Unknown (NodeStatusUnknown)'],
  },
  {
    name: 'memory pressure',
    facts: nodeFacts(
      node({
        status: withCondition(
          'MemoryPressure',
          'True',
          'KubeletHasInsufficientMemory',
          'kubelet has insufficient memory available',
        ),
      }),
    ),
    code: 'MemoryPressure',
    says: ['running out of memory'],
    evidence: ['MemoryPressure=True'],
  },
  {
    name: 'disk pressure',
    facts: nodeFacts(
      node({
        status: withCondition('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure'),
      }),
    ),
    code: 'DiskPressure',
    says: ['disk space'],
    evidence: ['DiskPressure=True'],
  },
  {
    name: 'PID pressure',
    facts: nodeFacts(
      node({
        status: withCondition(
          'PIDPressure',
          'True',
          'KubeletHasInsufficientPID',
          'kubelet has insufficient PID available',
        ),
      }),
    ),
    code: 'PIDPressure',
    says: ['process IDs'],
    evidence: ['PIDPressure=True'],
  },
  {
    name: 'network unavailable',
    facts: nodeFacts(
      node({
        status: withCondition(
          'NetworkUnavailable',
          'True',
          'NoRouteCreated',
          'RouteController failed to create a route',
        ),
      }),
    ),
    code: 'NetworkUnavailable',
    says: ['CNI'],
    evidence: ['NoRouteCreated'],
  },
  {
    name: 'GPU capacity above allocatable',
    facts: nodeFacts(
      node({ status: { ...node().status, allocatable: { cpu: '63', 'nvidia.com/gpu': '6' } } }),
    ),
    code: 'GpuUnavailable',
    says: ['2 of the 8 GPUs'],
    evidence: ['capacity nvidia.com/gpu=8', 'allocatable nvidia.com/gpu=6'],
  },
  {
    name: 'Xid 79 in an event',
    facts: nodeFacts(node(), {
      events: [event('GPUXidError', 'NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.')],
    }),
    code: 'GpuXidError',
    says: ['Xid 79', 'fallen off the bus'],
    evidence: ['GPUXidError'],
  },
  {
    name: 'Xid 48 from the collector pod',
    facts: nodeFacts(node(), {
      collector: parseCollectorOutput(
        '[kernel]\n- [Tue Dec  8 01:00:00 2026] NVRM: Xid (PCI:0000:b1:00): 48, pid=99, DBE (double bit error)\n[gpu]\n- GPU 0: OK\n',
      ),
    }),
    code: 'GpuXidError',
    says: ['Xid 48', 'double-bit ECC'],
    evidence: ['collector [kernel]'],
  },
  {
    name: 'nvidia-smi failing in the collector output',
    facts: nodeFacts(node(), {
      collector: parseCollectorOutput(
        '[gpu]\nUnable to determine the device handle for GPU 0000:3B:00.0: Unknown Error\n',
      ),
    }),
    code: 'GpuError',
    says: ['GPU of node gpu-7 failed'],
    evidence: ['Unable to determine the device handle'],
  },
  {
    name: 'a node-problem-detector condition',
    facts: nodeFacts(
      node({
        status: withCondition(
          'KernelDeadlock',
          'True',
          'DockerHung',
          'kernel: INFO: task docker:20744 blocked for more than 120 seconds.',
        ),
      }),
    ),
    code: 'ConditionKernelDeadlock',
    says: ['KernelDeadlock', 'blocked for more than 120 seconds'],
    evidence: ['KernelDeadlock=True'],
  },
  {
    name: 'cordoned',
    facts: nodeFacts(
      node({
        spec: {
          unschedulable: true,
          taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
        },
      }),
    ),
    code: 'NodeCordoned',
    severity: 'warning',
    says: ['cordoned'],
    evidence: ['spec.unschedulable true', 'node.kubernetes.io/unschedulable:NoSchedule'],
  },
  {
    name: 'failing pods on the node',
    facts: nodeFacts(node(), { pods: [pod(), pod({ phase: 'Failed', reason: 'Evicted' }, 'batch-9')] }),
    code: 'NodePodsFailing',
    severity: 'warning',
    says: ['1 of the 2 pods'],
    evidence: ['pod team-a/batch-9 Failed (Evicted)'],
  },
  {
    name: 'kubelet errors from the collector',
    facts: nodeFacts(node(), {
      collector: parseCollectorOutput(
        '[kubelet]\n- E1208 01:00:00 kubelet.go:2412] "Error syncing pod" err="failed to mount"\n',
      ),
    }),
    code: 'KubeletErrors',
    severity: 'warning',
    says: ['kubelet on node gpu-7'],
    evidence: ['Error syncing pod'],
  },
];

describe('analyzeNode', () => {
  it.each(cases)('$name → $code', ({ facts, code, severity, says, evidence }) => {
    const findings = analyzeNode(facts);
    const finding = findings.find((candidate) => candidate.code === code);
    expect(finding, `codes found: ${findings.map((f) => f.code).join(', ')}`).toBeDefined();
    expect(finding?.severity).toBe(severity ?? 'failure');
    for (const text of says) expect(finding?.message).toContain(text);
    for (const text of evidence) expect(finding?.evidence.join('\n')).toContain(text);
    expect(diagnoseFacts(facts).verdict).toBe(severity === 'warning' ? 'Healthy' : 'UnHealthy');
  });

  it('says a Ready node with all its GPUs is healthy', () => {
    const findings = analyzeNode(nodeFacts(node(), { pods: [pod()] }));
    expect(findings.map((finding) => finding.code)).toEqual(['NodeHealthy']);
  });
});
