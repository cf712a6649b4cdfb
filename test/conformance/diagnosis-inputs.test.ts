/**
 * What diagnosis tests rely on the sandbox for, checked against what a real API server does: events.k8s.io/v1
 * Events selected by `regarding.*` (and core/v1 names refused there), pod logs from the
 * `sandbox.aegis.io/log.<container>` / `previous-log.<container>` annotations with tailLines and limitBytes,
 * `--previous` refused without a previous log, and a `frozen` pod's written status left as written.
 */
import { EventsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  failure,
  hasKubectl,
  kubectl,
  startFixture,
  type SandboxFixture,
} from './sandbox-fixture.js';

let fx: SandboxFixture;
beforeAll(async () => {
  fx = await startFixture({ simulate: true, nodes: 1 });
});
afterAll(async () => fx.close());

describe('sandbox conformance: diagnosis inputs', () => {
  it('selects events.k8s.io/v1 Events by regarding.kind/name/namespace and refuses involvedObject there', async () => {
    const events = fx.clients.kubeConfig.makeApiClient(EventsV1Api);
    for (const [name, pod] of [
      ['a.1', 'pod-a'],
      ['b.1', 'pod-b'],
    ] as const) {
      await events.createNamespacedEvent({
        namespace: 'default',
        body: {
          metadata: { name },
          eventTime: new Date(),
          reportingController: 'kubelet',
          reportingInstance: 'node-1',
          action: 'Mount',
          regarding: { kind: 'Pod', name: pod, namespace: 'default' },
          reason: 'FailedMount',
          type: 'Warning',
          note: `cannot mount for ${pod}`,
        },
      });
    }
    const selected = await events.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'regarding.kind=Pod,regarding.name=pod-b,regarding.namespace=default',
    });
    expect(selected.items.map((event) => event.note)).toEqual(['cannot mount for pod-b']);
    const refused = await failure(
      events.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=pod-b' }),
    );
    expect(refused.code).toBe(400);
  });

  it('serves container logs from the log annotations, current and previous, with tailLines and limitBytes', async () => {
    await fx.clients.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: {
          name: 'logs-1',
          annotations: {
            'sandbox.aegis.io/log.main': 'one\ntwo\nthree\n',
            'sandbox.aegis.io/previous-log.main': 'crashed: exit 3\n',
          },
        },
        spec: {
          containers: [
            { name: 'main', image: 'x' },
            { name: 'side', image: 'y' },
          ],
        },
      },
    });
    const read = (query: Record<string, unknown>) =>
      fx.clients.core.readNamespacedPodLog({
        namespace: 'default',
        name: 'logs-1',
        container: 'main',
        ...query,
      });
    expect(await read({ tailLines: 2 })).toBe('two\nthree\n');
    expect(await read({ limitBytes: 3 })).toBe('one');
    expect(await read({ previous: true })).toBe('crashed: exit 3\n');
    const noPrevious = await failure(
      fx.clients.core.readNamespacedPodLog({
        namespace: 'default',
        name: 'logs-1',
        container: 'side',
        previous: true,
      }),
    );
    expect(noPrevious.code).toBe(400);
    if (await hasKubectl()) {
      const result = await kubectl(fx, ['logs', 'logs-1', '-c', 'main', '--previous']);
      expect(result.stdout).toBe('crashed: exit 3\n');
    }
  });

  it('leaves the status of a frozen pod as written through /status', async () => {
    await fx.clients.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'frozen-1', annotations: { 'sandbox.aegis.io/frozen': 'true' } },
        spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'x' }] },
      },
    });
    await fx.clients.core.patchNamespacedPodStatus(
      {
        namespace: 'default',
        name: 'frozen-1',
        body: {
          status: {
            phase: 'Running',
            containerStatuses: [
              {
                name: 'main',
                image: 'x',
                imageID: '',
                ready: false,
                restartCount: 4,
                state: { waiting: { reason: 'CrashLoopBackOff' } },
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    // The simulated kubelet starts unfrozen pods within ~50 ms; give it time to (not) act.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pod = await fx.clients.core.readNamespacedPod({ namespace: 'default', name: 'frozen-1' });
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(4);
  });

  it('gives containers the lastState of sandbox.aegis.io/last-termination, waiting as asked', async () => {
    await fx.clients.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: {
          name: 'oom-1',
          annotations: {
            'sandbox.aegis.io/waiting-reason': 'CrashLoopBackOff',
            'sandbox.aegis.io/restarts': '3',
            'sandbox.aegis.io/last-termination': 'OOMKilled:137',
          },
        },
        spec: { containers: [{ name: 'main', image: 'x' }] },
      },
    });
    const status = await eventually(async () => {
      const pod = await fx.clients.core.readNamespacedPod({ namespace: 'default', name: 'oom-1' });
      return pod.status?.phase === 'Running' ? pod.status.containerStatuses?.[0] : undefined;
    });
    expect(status?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(status?.restartCount).toBe(3);
    expect(status?.lastState?.terminated?.reason).toBe('OOMKilled');
    expect(status?.lastState?.terminated?.exitCode).toBe(137);
  });
});
