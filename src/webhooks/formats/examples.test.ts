import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAegisAlertObject, deliveryId } from '../../core/alerts/index.js';
import { parseAlertmanagerPayload } from './alertmanager-format.js';
import { parseCustomPayload } from './custom-format.js';
import { recogniseKnownFormat } from './recognise-format.js';

function example(name: string): unknown {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../../examples/alerts/${name}`, import.meta.url)), 'utf8'),
  );
}

describe('examples/alerts', () => {
  it('alertmanager-firing.json gives one firing Node alert', () => {
    const body = example('alertmanager-firing.json');
    expect(recogniseKnownFormat(body)).toBe('alertmanager');
    const result = parseAlertmanagerPayload(body);
    expect(result.refused).toEqual([]);
    expect(result.accepted).toHaveLength(1);
    expect(result.accepted[0]?.alert).toMatchObject({
      source: 'Alertmanager',
      type: 'NodeFilesystemAlmostOutOfSpace',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'dev1' },
      fingerprint: '8d3b6f4c2a1e9f07',
      severity: 'warning',
      startsAt: '2026-03-05T10:00:00.000Z',
    });
  });

  it('alertmanager-resolved.json resolves the same alert', () => {
    const firing = parseAlertmanagerPayload(example('alertmanager-firing.json')).accepted[0]?.alert;
    const resolved = parseAlertmanagerPayload(example('alertmanager-resolved.json')).accepted[0]?.alert;
    expect(resolved?.status).toBe('Resolved');
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
    expect(deliveryId(resolved!, 'n')).not.toBe(deliveryId(firing!, 'n'));
  });

  it('alertmanager-batch.json accepts three alerts and refuses the one without alertname', () => {
    const result = parseAlertmanagerPayload(example('alertmanager-batch.json'));
    expect(result.accepted.map(({ index, alert }) => [index, alert.involvedObject.kind])).toEqual([
      [0, 'Node'],
      [1, 'Pod'],
      [3, 'Etcd'],
    ]);
    expect(result.refused).toEqual([{ index: 2, path: 'alerts[2].labels.alertname', reason: 'is required' }]);
  });

  it('custom-node-firing.json and custom-node-resolved.json are the NodeHasEmergencyEvent alert for dev1', () => {
    const firing = example('custom-node-firing.json');
    expect(recogniseKnownFormat(firing)).toBe('custom');
    const alert = parseCustomPayload(firing).accepted[0]?.alert;
    expect(alert).toMatchObject({
      source: 'Default',
      type: 'NodeHasEmergencyEvent',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'dev1' },
      severity: 'critical',
    });
    const resolved = parseCustomPayload(example('custom-node-resolved.json')).accepted[0]?.alert;
    expect(resolved).toEqual({ ...alert, status: 'Resolved' });
    const { object } = buildAegisAlertObject(alert!, {
      namespace: 'monitoring',
      systemParameters: { cluster: 'dev' },
      ttl: {},
      now: '2026-03-05T10:00:00Z',
    });
    expect(object.metadata.generateName).toBe('default-nodehasemergencyevent-');
    expect(object.metadata.labels).toMatchObject({
      node: 'dev1',
      reason: 'KernelPanic',
      'alert-type': 'NodeHasEmergencyEvent',
    });
  });

  it('custom-pod-firing.json is a Pod alert with capitalised keys and a computed fingerprint', () => {
    const result = parseCustomPayload(example('custom-pod-firing.json'));
    expect(result.refused).toEqual([]);
    expect(result.accepted[0]?.alert).toMatchObject({
      type: 'PodOOMKilled',
      involvedObject: { kind: 'Pod', name: 'trainer-0', namespace: 'ml', node: 'gpu-7' },
      startsAt: '2026-03-05T10:05:00Z',
    });
    expect(result.accepted[0]?.alert.fingerprint).toMatch(/^[0-9a-f]{63}$/);
  });
});
