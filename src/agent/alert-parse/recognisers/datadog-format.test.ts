import { describe, expect, it } from 'vitest';
import { detailsFingerprint } from '../../../core/alerts/index.js';
import { recogniseDatadog } from './datadog-format.js';
import { alertsOf, samplePayload } from './sample-payload-for-tests.js';

describe('recogniseDatadog', () => {
  it('maps examples/alerts/datadog-triggered.json to a firing Node alert', () => {
    const [alert] = alertsOf(recogniseDatadog(samplePayload('datadog-triggered.json')));
    expect(alert).toEqual({
      source: 'AI',
      type: 'DiskUsageHigh',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'gpu-node-21' },
      details: {
        env: 'prod',
        kube_cluster_name: 'hpc-east',
        device: '/dev/nvme0n1',
        monitor: 'true',
        host: 'gpu-node-21',
        alert_id: '148823521',
        alert_type: 'error',
        alert_transition: 'Triggered',
        alert_priority: 'P2',
        alert_metric: 'system.disk.in_use',
        description: 'Disk usage of /dev/nvme0n1 on gpu-node-21 is 96% (threshold 90%)',
      },
      fingerprint: 'datadog-148823521-gpu-node-21',
      severity: 'P2',
      startsAt: '2026-03-05T10:00:00.000Z',
    });
  });

  it('resolves on Recovered, reads tag lists, Pods from kube tags, and hashes the details without aggreg_key', () => {
    const [alert] = alertsOf(
      recogniseDatadog({
        alert_title: '[Recovered] Pod crash looping',
        alert_transition: 'Recovered',
        tags: ['kube_namespace:training', 'pod_name:trainer-0', 'alertname:PodCrashLooping'],
      }),
    );
    expect(alert).toMatchObject({
      type: 'PodCrashLooping',
      status: 'Resolved',
      involvedObject: { kind: 'Pod', name: 'trainer-0', namespace: 'training' },
    });
    expect(alert?.fingerprint).toBe(
      detailsFingerprint({
        kube_namespace: 'training',
        pod_name: 'trainer-0',
        alertname: 'PodCrashLooping',
      }),
    );
  });

  it('needs two Datadog fields to claim a payload', () => {
    expect(recogniseDatadog({ alert_title: 'x' })).toBeUndefined();
    expect(recogniseDatadog([])).toBeUndefined();
  });
});
