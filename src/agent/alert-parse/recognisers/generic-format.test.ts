import { describe, expect, it } from 'vitest';
import { detailsFingerprint } from '../../../core/alerts/index.js';
import { recogniseGeneric } from './generic-format.js';
import { recognisePayload } from './recognise-payload.js';
import { alertsOf, samplePayload } from './sample-payload-for-tests.js';

describe('recogniseGeneric', () => {
  it('maps examples/alerts/generic-labels.json: a Node alert and a Deployment alert', () => {
    const [memory, replicas] = alertsOf(recogniseGeneric(samplePayload('generic-labels.json')));
    expect(memory).toEqual({
      source: 'AI',
      type: 'NodeMemoryPressure',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'cpu-node-02' },
      details: {
        alertname: 'NodeMemoryPressure',
        node: 'cpu-node-02',
        severity: 'warning',
        team: 'platform',
        description: 'Available memory below 5% for 10 minutes',
      },
      fingerprint: detailsFingerprint({
        alertname: 'NodeMemoryPressure',
        node: 'cpu-node-02',
        severity: 'warning',
        team: 'platform',
      }),
      severity: 'warning',
      startsAt: '2026-03-05T10:04:00.000Z',
    });
    expect(replicas).toMatchObject({
      type: 'DeploymentReplicasMismatch',
      involvedObject: { kind: 'Deployment', name: 'llm-gateway', namespace: 'inference' },
      details: { description: 'llm-gateway has 2 of 4 replicas available' },
    });
  });

  it('reads one alert and {alerts: [...]}, and refuses an alert without a name', () => {
    expect(
      alertsOf(recogniseGeneric({ labels: { alertname: 'A', node: 'n' }, status: 'Resolved' }))[0]?.status,
    ).toBe('Resolved');
    expect(
      alertsOf(recogniseGeneric({ alerts: [{ labels: { alertname: 'B' } }] }))[0]?.involvedObject,
    ).toEqual({
      kind: 'Cluster',
      name: 'generic',
    });
    expect(recogniseGeneric({ labels: { node: 'n' } })?.results[0]).toMatchObject({ path: 'type' });
  });
});

describe('recognisePayload', () => {
  it('picks the right recogniser for every sample, and none for unknown shapes', () => {
    const formats = [
      'grafana-firing.json',
      'datadog-triggered.json',
      'kubernetes-event-backoff.json',
      'zabbix-problem.json',
      'generic-labels.json',
    ].map((name) => recognisePayload(samplePayload(name))?.format);
    expect(formats).toEqual(['grafana', 'datadog', 'kubernetes-event', 'zabbix', 'generic']);
    expect(recognisePayload({ message: 'disk full on node-3' })).toBeUndefined();
    expect(recognisePayload('just text')).toBeUndefined();
  });
});
