/**
 * The optional collector pod of a Node diagnosis: pinned to the node (nodeName, tolerating everything), it
 * prints `[kernel]`, `[gpu]` and `[kubelet]` sections from the host; it is created, awaited, read and deleted.
 */
import { parseCollectorOutput } from '../../core/diagnosis/index.js';
import type { CollectorOutput, DiagnosisCluster } from '../../core/diagnosis/index.js';
import type { CollectorPodSettings } from './collect-options.js';

/** Kernel messages, GPU state (nvidia-smi and Xid lines) and kubelet errors, each bounded. */
export const builtinCollectorScript = [
  'host() { timeout 10 nsenter --target 1 --mount --uts --ipc --net --pid -- "$@"; }',
  'echo "[kernel]"; host dmesg -T 2>&1 | grep -Ei "xid|nvrm|panic|bug|hung|oom|error|fail" | tail -n 50',
  'echo "[gpu]"; host nvidia-smi --query-gpu=index,name,temperature.gpu,ecc.errors.uncorrected.volatile.total --format=csv,noheader 2>&1 | tail -n 20',
  'echo "[kubelet]"; host journalctl -u kubelet --since "-1h" --no-pager -p err 2>&1 | tail -n 30',
  'exit 0',
].join('\n');

const containerName = 'collector';

export function collectorPodManifest(node: string, settings: CollectorPodSettings): Record<string, unknown> {
  const script = settings.command === 'builtin' ? builtinCollectorScript : settings.command;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `aegis-collector-${node.slice(0, 40)}-`,
      namespace: settings.namespace,
      labels: { 'app.kubernetes.io/name': 'aegis-collector', 'aegis.io/node': node.slice(0, 63) },
      ...(settings.owner === undefined
        ? {}
        : { ownerReferences: [{ ...settings.owner, controller: true, blockOwnerDeletion: false }] }),
    },
    spec: {
      nodeName: node,
      restartPolicy: 'Never',
      hostPID: true,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      tolerations: [{ operator: 'Exists' }],
      activeDeadlineSeconds: 120,
      containers: [
        {
          name: containerName,
          image: settings.image,
          command: ['/bin/bash', '-c', script],
          securityContext: { privileged: true },
          resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '200m', memory: '200Mi' } },
        },
      ],
    },
  };
}

/** Run the collector pod on `node` until it finishes (or `signal` aborts), read its log, delete it. */
export async function runCollectorPod(
  cluster: DiagnosisCluster,
  node: string,
  settings: CollectorPodSettings,
  signal: AbortSignal,
): Promise<CollectorOutput> {
  const created = await cluster.createPod(settings.namespace, collectorPodManifest(node, settings));
  const name = created.metadata?.name ?? '';
  try {
    for (;;) {
      if (signal.aborted)
        return { sections: {}, error: 'the diagnosis timed out before the collector pod finished' };
      const pod = await cluster.getPod(settings.namespace, name);
      const phase = pod?.status?.phase;
      if (pod === undefined) return { sections: {}, error: `collector pod ${name} disappeared` };
      if (phase === 'Succeeded' || phase === 'Failed') {
        const text = await cluster.readPodLog({
          namespace: settings.namespace,
          name,
          container: containerName,
          previous: false,
          tailLines: 400,
          limitBytes: 65_536,
        });
        const output = parseCollectorOutput(text);
        return phase === 'Failed' ? { ...output, error: `collector pod ${name} failed` } : output;
      }
      await sleep(settings.pollMs ?? 1_000, signal);
    }
  } finally {
    await cluster.deletePod(settings.namespace, name).catch(() => undefined);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
