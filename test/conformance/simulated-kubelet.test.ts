/**
 * The simulated kubelet's per-node steering (docs/sandbox.md): a node's `pod-log.<container>` and `pod-outcome`
 * annotations apply to every pod on it, and a Failed pod's exit code comes from `exit-code`. Through the real
 * client, as the health-check controllers use it.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../controller-runtime-helpers.js';
import { startFixture, type SandboxFixture } from './sandbox-fixture.js';

let fixture: SandboxFixture;

async function runPod(name: string, node: string, annotations: Record<string, string>) {
  const { core } = fixture.clients;
  await core.createNamespacedPod({
    namespace: 'default',
    body: {
      metadata: { name, annotations: { 'sandbox.aegis.io/duration': '100ms', ...annotations } },
      spec: { nodeName: node, restartPolicy: 'Never', containers: [{ name: 'checker', image: 'busybox' }] },
    },
  });
  let phase: string | undefined;
  await waitFor(`pod ${name} to finish`, async () => {
    phase = (await core.readNamespacedPod({ namespace: 'default', name })).status?.phase;
    return phase === 'Succeeded' || phase === 'Failed';
  });
  const pod = await core.readNamespacedPod({ namespace: 'default', name });
  const log = await core.readNamespacedPodLog({ namespace: 'default', name });
  return { pod, log: String(log) };
}

beforeAll(async () => {
  fixture = await startFixture({ nodes: 2 });
  await fixture.clients.core.patchNode(
    {
      name: 'node-2',
      body: {
        metadata: {
          annotations: {
            'sandbox.aegis.io/pod-log.checker': 'node says hi\n',
            'sandbox.aegis.io/pod-outcome': 'Failed',
          },
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
});

afterAll(async () => {
  await fixture?.close();
});

describe('simulated kubelet, per node', () => {
  it('runs a pod pinned to a node there, with its own log and outcome', async () => {
    const { pod, log } = await runPod('own', 'node-1', { 'sandbox.aegis.io/log.checker': 'pod says hi\n' });
    expect(pod.spec?.nodeName).toBe('node-1');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(log).toBe('pod says hi\n');
  });

  it("takes the node's log and outcome for every pod on that node, and the pod's exit code", async () => {
    const { pod, log } = await runPod('steered', 'node-2', {
      'sandbox.aegis.io/log.checker': 'pod says hi\n',
      'sandbox.aegis.io/exit-code': '3',
    });
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
    expect(log).toBe('node says hi\n');
  });
});
