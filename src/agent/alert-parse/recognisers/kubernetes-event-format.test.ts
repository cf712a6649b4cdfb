import { describe, expect, it } from 'vitest';
import { recogniseKubernetesEvent } from './kubernetes-event-format.js';
import { alertsOf, samplePayload } from './sample-payload-for-tests.js';

describe('recogniseKubernetesEvent', () => {
  it('maps examples/alerts/kubernetes-event-backoff.json to a Pod alert on its node', () => {
    const [alert] = alertsOf(recogniseKubernetesEvent(samplePayload('kubernetes-event-backoff.json')));
    expect(alert).toMatchObject({
      source: 'AI',
      type: 'BackOff',
      status: 'Firing',
      involvedObject: { kind: 'Pod', name: 'trainer-0', namespace: 'training', node: 'gpu-node-03' },
      details: {
        reason: 'BackOff',
        involved_object_kind: 'Pod',
        involved_object_name: 'trainer-0',
        namespace: 'training',
        event_type: 'Warning',
        component: 'kubelet',
        node: 'gpu-node-03',
        app: 'trainer',
      },
      severity: 'warning',
      startsAt: '2026-03-05T10:02:00.000Z',
    });
  });

  it('gives repeats of one event (count, timestamps) the same fingerprint, and reads lists', () => {
    const event = samplePayload('kubernetes-event-backoff.json') as Record<string, unknown>;
    const repeat = { ...event, count: 13, lastTimestamp: '2026-03-05T10:08:00Z', message: 'again' };
    const [first] = alertsOf(recogniseKubernetesEvent(event));
    const [second] = alertsOf(recogniseKubernetesEvent(repeat));
    expect(second?.fingerprint).toBe(first?.fingerprint);
    const node = {
      reason: 'NodeNotReady',
      type: 'Normal',
      involvedObject: { kind: 'Node', name: 'gpu-node-5' },
      source: { host: 'gpu-node-5' },
    };
    const alerts = alertsOf(recogniseKubernetesEvent({ kind: 'EventList', items: [event, node] }));
    expect(alerts.map((alert) => alert.involvedObject)).toEqual([
      { kind: 'Pod', name: 'trainer-0', namespace: 'training', node: 'gpu-node-03' },
      { kind: 'Node', name: 'gpu-node-5' },
    ]);
  });

  it('does not claim objects without involvedObject and reason', () => {
    expect(recogniseKubernetesEvent({ involvedObject: { kind: 'Pod', name: 'x' } })).toBeUndefined();
  });
});
