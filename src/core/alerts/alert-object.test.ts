import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aegisAlertSchema } from '../resources/aegis-alert.js';
import type { Alert } from './alert.js';
import { alertGenerateName, buildAegisAlertObject, systemParameterAnnotations } from './alert-object.js';

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const now = '2026-03-05T10:00:00.000Z';

const nodeAlert: Alert = {
  source: 'Default',
  type: 'NodeHasEmergencyEvent',
  status: 'Firing',
  involvedObject: { kind: 'Node', name: 'dev1' },
  details: { node: 'dev1', severity: 'critical', description: 'kernel panic on dev1' },
  fingerprint: '5f972974ccf1ee9b',
};

const podAlert: Alert = {
  source: 'Alertmanager',
  type: 'PodCrashLooping',
  status: 'Firing',
  involvedObject: { kind: 'Pod', name: 'trainer-0', namespace: 'ml' },
  details: { alertname: 'PodCrashLooping', pod: 'trainer-0', namespace: 'ml' },
  fingerprint: 'c0ffee0123456789',
  startsAt: '2026-03-05T09:59:00Z',
};

const options = {
  namespace: 'monitoring',
  systemParameters: { cluster: 'dev', 'bad key': 'x', 'aegis.io/region': 'eu-1' },
  ttl: { secondsAfterSuccess: 3600, secondsAfterFailure: 86400 },
  now,
};

describe('alertGenerateName', () => {
  it('follows upstream TestGenerateName', () => {
    expect(alertGenerateName({ source: 'aaa.bbb', type: 'NodeNotReady' })).toBe('aaa-bbb-nodenotready-');
    expect(alertGenerateName({ source: 'aaa_bbb', type: 'Node-Crash' })).toBe('aaa-bbb-node-crash-');
    expect(alertGenerateName(nodeAlert)).toBe('default-nodehasemergencyevent-');
    expect(alertGenerateName({ source: 'AI', type: 'GPU Xid/79' })).toBe('ai-gpu-xid-79-');
  });

  it('replaces one dash per character, as Go does per rune', () => {
    expect(alertGenerateName({ source: 'Default', type: 'A集群😀B' })).toBe('default-a---b-');
  });

  it('drops leading dashes and cuts long names so name + 5 characters fits 253', () => {
    expect(alertGenerateName({ source: '', type: 'X' })).toBe('x-');
    expect(alertGenerateName({ source: '', type: '' })).toBe('alert-');
    const long = alertGenerateName({ source: 'Default', type: 'T'.repeat(400) });
    expect(long.length + 5).toBeLessThanOrEqual(253);
    expect(long.endsWith('-')).toBe(true);
  });

  it('property: generateName plus 5 random characters is always a valid DNS subdomain', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ unit: 'grapheme', maxLength: 300 }), (source, type) => {
        const name = `${alertGenerateName({ source, type })}x7k2q`;
        expect(name.length).toBeLessThanOrEqual(253);
        expect(name).toMatch(subdomain);
      }),
      { numRuns: 500 },
    );
  });
});

describe('systemParameterAnnotations', () => {
  it('drops keys that are not valid annotation keys', () => {
    expect(
      systemParameterAnnotations({ cluster: 'dev', 'bad key': 'x', 'a/b/c': 'y', 'aegis.io/x': '' }),
    ).toEqual({
      cluster: 'dev',
      'aegis.io/x': '',
    });
  });
});

describe('buildAegisAlertObject', () => {
  it('builds the AegisAlert and its initial status for a Node alert', () => {
    const { object, status } = buildAegisAlertObject(nodeAlert, options);
    const labels = {
      node: 'dev1',
      severity: 'critical',
      'alert-source-type': 'Default',
      'alert-type': 'NodeHasEmergencyEvent',
      'alert-status': 'Firing',
      fingerprint: '5f972974ccf1ee9b',
    };
    expect(object).toEqual({
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisAlert',
      metadata: {
        generateName: 'default-nodehasemergencyevent-',
        namespace: 'monitoring',
        labels,
        annotations: { cluster: 'dev', 'aegis.io/region': 'eu-1' },
      },
      spec: {
        source: 'Default',
        type: 'NodeHasEmergencyEvent',
        severity: 'critical',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'dev1', node: 'dev1' },
        details: { node: 'dev1', severity: 'critical', description: 'kernel panic on dev1' },
        selector: { matchLabels: labels },
        ttlStrategy: { secondsAfterSuccess: 3600, secondsAfterFailure: 86400 },
      },
    });
    expect(status).toEqual({ status: 'Firing', count: 1, startTime: now, lastSeen: now });
    expect(object.spec).not.toHaveProperty('detials');
  });

  it('uses the resolved node for a Pod alert without one, and the given node when there is one', () => {
    expect(buildAegisAlertObject(podAlert, { ...options, node: 'gpu-7' }).object.spec.involvedObject).toEqual(
      {
        kind: 'Pod',
        name: 'trainer-0',
        namespace: 'ml',
        node: 'gpu-7',
      },
    );
    const withNode = { ...podAlert, involvedObject: { ...podAlert.involvedObject, node: 'gpu-1' } };
    expect(
      buildAegisAlertObject(withNode, { ...options, node: 'gpu-7' }).object.spec.involvedObject.node,
    ).toBe('gpu-1');
    expect(buildAegisAlertObject(podAlert, options).object.spec.involvedObject).not.toHaveProperty('node');
  });

  it('takes severity from the alert, else details.severity, and omits it when absent', () => {
    expect(buildAegisAlertObject({ ...nodeAlert, severity: 'warning' }, options).object.spec.severity).toBe(
      'warning',
    );
    expect(buildAegisAlertObject(podAlert, options).object.spec).not.toHaveProperty('severity');
  });

  it('copies details and labels, so the object never aliases the alert', () => {
    const { object } = buildAegisAlertObject(nodeAlert, options);
    expect(object.spec.details).not.toBe(nodeAlert.details);
    expect(object.spec.selector.matchLabels).not.toBe(object.metadata.labels);
  });

  it('adds the uuid label when given', () => {
    const { object } = buildAegisAlertObject(nodeAlert, { ...options, uuid: 'u-1' });
    expect(object.metadata.labels['uuid']).toBe('u-1');
    expect(object.spec.selector.matchLabels['uuid']).toBe('u-1');
  });

  it('parses with the AegisAlert resource schema', () => {
    for (const alert of [nodeAlert, podAlert]) {
      const { object, status } = buildAegisAlertObject(alert, { ...options, ttl: { secondsAfterNoOps: 60 } });
      expect(aegisAlertSchema.safeParse({ ...object, status }).success).toBe(true);
    }
  });
});
