import { describe, expect, it } from 'vitest';
import { recogniseGrafana } from './grafana-format.js';
import { alertsOf, samplePayload } from './sample-payload-for-tests.js';

describe('recogniseGrafana', () => {
  it('maps examples/alerts/grafana-firing.json: a firing Node alert and a resolved Pod alert', () => {
    const result = recogniseGrafana(samplePayload('grafana-firing.json'));
    expect(result?.format).toBe('grafana');
    const [gpu, pod] = alertsOf(result);
    expect(gpu).toEqual({
      source: 'AI',
      type: 'GpuTemperatureHigh',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'gpu-node-17' },
      details: {
        alertname: 'GpuTemperatureHigh',
        grafana_folder: 'GPU',
        node: 'gpu-node-17',
        gpu: '3',
        severity: 'critical',
        description: 'GPU 3 on gpu-node-17 is at 91°C (threshold 85°C)',
      },
      fingerprint: '4f3a9e2b7c1d8e60',
      severity: 'critical',
      startsAt: '2026-03-05T10:00:00.000Z',
    });
    expect(pod).toMatchObject({
      type: 'PodRestartingOften',
      status: 'Resolved',
      involvedObject: { kind: 'Pod', name: 'trainer-0', namespace: 'training', node: 'gpu-node-03' },
      fingerprint: '9b8c7d6e5f4a3b21',
      details: { description: 'trainer-0 restarted 5 times in 10 minutes' },
    });
  });

  it('does not claim plain Alertmanager or other payloads', () => {
    expect(recogniseGrafana({ alerts: [{ labels: { alertname: 'A' } }] })).toBeUndefined();
    expect(recogniseGrafana({ labels: {} })).toBeUndefined();
    expect(recogniseGrafana('text')).toBeUndefined();
  });

  it('names a Cluster alert after the sender when no label names an object', () => {
    const [alert] = alertsOf(
      recogniseGrafana({
        orgId: 1,
        alerts: [{ status: 'firing', labels: { alertname: 'DatasourceError' } }],
      }),
    );
    expect(alert?.involvedObject).toEqual({ kind: 'Cluster', name: 'grafana' });
  });
});
