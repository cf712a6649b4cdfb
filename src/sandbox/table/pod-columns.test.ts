import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import { podConverter, podSummary } from './pod-columns.js';

const now = new Date('2026-11-22T10:00:00Z');

function pod(spec: object, status: object, metadata: object = {}): KubeObject {
  return {
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2026-11-22T09:50:00Z', ...metadata },
    spec: { containers: [{ name: 'main' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: '2026-11-22T09:50:01Z' } };

describe('podSummary', () => {
  it('shows a ready running pod', () => {
    const summary = podSummary(
      pod(
        {},
        {
          phase: 'Running',
          containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: running }],
        },
      ),
      now,
    );
    expect(summary).toEqual({ ready: '1/1', status: 'Running', restarts: '0' });
  });

  it('shows a pending pod without statuses', () => {
    expect(podSummary(pod({}, { phase: 'Pending' }), now)).toEqual({
      ready: '0/1',
      status: 'Pending',
      restarts: '0',
    });
  });

  it('uses the waiting reason and the restarts with the last restart age', () => {
    const summary = podSummary(
      pod(
        {},
        {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'main',
              ready: false,
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-22T09:58:00Z' } },
            },
          ],
        },
      ),
      now,
    );
    expect(summary).toEqual({ ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (2m ago)' });
  });

  it('uses the terminated reason, or the exit code or signal without one', () => {
    const terminated = (state: object): string =>
      podSummary(
        pod({}, { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: state } }] }),
        now,
      ).status;
    expect(terminated({ exitCode: 0, reason: 'Completed' })).toBe('Completed');
    expect(terminated({ exitCode: 137, reason: 'OOMKilled' })).toBe('OOMKilled');
    expect(terminated({ exitCode: 2 })).toBe('ExitCode:2');
    expect(terminated({ exitCode: 0, signal: 9 })).toBe('Signal:9');
  });

  it('prefers the pod reason (Evicted) when containers say nothing', () => {
    expect(podSummary(pod({}, { phase: 'Failed', reason: 'Evicted' }), now).status).toBe('Evicted');
  });

  it('reports init containers', () => {
    const spec = { initContainers: [{ name: 'a' }, { name: 'b' }] };
    const done = { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    expect(
      podSummary(
        pod(spec, { phase: 'Pending', initContainerStatuses: [done, { name: 'b', state: running }] }),
        now,
      ).status,
    ).toBe('Init:1/2');
    expect(
      podSummary(
        pod(spec, {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'a', state: { waiting: { reason: 'ErrImagePull' } } }],
        }),
        now,
      ).status,
    ).toBe('Init:ErrImagePull');
    expect(
      podSummary(
        pod(spec, {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 3 } } }],
        }),
        now,
      ).status,
    ).toBe('Init:ExitCode:3');
  });

  it('counts a started sidecar init container as a ready container', () => {
    const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] };
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 1, state: running }],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: running }],
    };
    expect(podSummary(pod(spec, status), now)).toEqual({ ready: '2/2', status: 'Running', restarts: '1' });
  });

  it('says Terminating for a deleted pod that has not finished, but not for a finished one', () => {
    const deleting = { deletionTimestamp: '2026-11-22T09:59:00Z' };
    expect(podSummary(pod({}, { phase: 'Running' }, deleting), now).status).toBe('Terminating');
    expect(podSummary(pod({}, { phase: 'Succeeded' }, deleting), now).status).toBe('Succeeded');
    expect(podSummary(pod({}, { phase: 'Running', reason: 'NodeLost' }, deleting), now).status).toBe(
      'Unknown',
    );
  });

  it('shows Running again when one container still runs after another completed', () => {
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'main', ready: true, state: running },
        { name: 'side', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    };
    expect(podSummary(pod({ containers: [{ name: 'main' }, { name: 'side' }] }, status), now).status).toBe(
      'Running',
    );
  });
});

describe('podConverter', () => {
  it('fills the wide cells with <none> when unknown', () => {
    expect(podConverter.cells(pod({}, { phase: 'Pending' }), now)).toEqual([
      'web-1',
      '0/1',
      'Pending',
      '0',
      '10m',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('shows the IP, node and readiness gates', () => {
    const object = pod(
      { nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/lb' }] },
      { phase: 'Running', podIP: '10.244.0.7', conditions: [{ type: 'example.com/lb', status: 'True' }] },
    );
    expect(podConverter.cells(object, now).slice(5)).toEqual(['10.244.0.7', 'node-1', '<none>', '1/1']);
  });

  it('marks finished pods Completed in row conditions', () => {
    expect(podConverter.rowConditions?.(pod({}, { phase: 'Succeeded' }))).toEqual([
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
    expect(podConverter.rowConditions?.(pod({}, { phase: 'Running' }))).toBeUndefined();
  });
});
