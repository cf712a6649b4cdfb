import type { SandboxApi } from '../sandbox-api.js';

/** Names of the seeded nodes: node-1 … node-N. Nodes past the first third carry 8 GPUs each. */
export function seedNodes(api: SandboxApi, count: number): string[] {
  const nodeType = api.resolve('', 'v1', 'nodes');
  const leaseType = api.resolve('coordination.k8s.io', 'v1', 'leases');
  const now = api.now();
  const names: string[] = [];
  const firstGpu = Math.max(1, Math.ceil(count / 3));
  for (let i = 1; i <= count; i += 1) {
    const name = `node-${i}`;
    const gpu = i > firstGpu || count === 1 ? 8 : 0;
    const capacity: Record<string, string> = { cpu: '64', memory: '527973852Ki', pods: '110', 'ephemeral-storage': '1873535092Ki' };
    if (gpu > 0) capacity['nvidia.com/gpu'] = String(gpu);
    const labels: Record<string, string> = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node-role.kubernetes.io/worker': '',
    };
    if (gpu > 0) {
      labels['nvidia.com/gpu.present'] = 'true';
      labels['nvidia.com/gpu.product'] = 'NVIDIA-H100-80GB-HBM3';
      labels['nvidia.com/gpu.count'] = String(gpu);
    }
    const condition = (type: string, status: string, reason: string, message: string): object => ({
      type,
      status,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
      reason,
      message,
    });
    api.create(nodeType, undefined, {
      metadata: { name, labels },
      spec: { podCIDR: `10.244.${i}.0/24` },
      status: {
        capacity,
        allocatable: { ...capacity },
        conditions: [
          condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        addresses: [
          { type: 'InternalIP', address: `10.0.0.${10 + i}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.32.0',
          kubeProxyVersion: 'v1.32.0',
          osImage: 'Ubuntu 22.04.4 LTS',
          kernelVersion: '5.15.0-105-generic',
          containerRuntimeVersion: 'containerd://1.7.13',
          operatingSystem: 'linux',
          architecture: 'amd64',
          machineID: `sandbox${i}`,
          systemUUID: `sandbox-${i}`,
          bootID: `sandbox-boot-${i}`,
        },
      },
    });
    api.create(leaseType, 'kube-node-lease', {
      metadata: { name },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now.replace('Z', '.000000Z') },
    });
    names.push(name);
  }
  return names;
}
