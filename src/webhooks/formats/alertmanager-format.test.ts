import { describe, expect, it } from 'vitest';
import { detailsFingerprint, labelsFromDetails } from '../../core/alerts/index.js';
import { parseAlertmanagerPayload } from './alertmanager-format.js';

function payload(...alerts: unknown[]) {
  return { version: '4', status: 'firing', receiver: 'aegis', alerts };
}

function one(alert: unknown) {
  return parseAlertmanagerPayload(payload(alert));
}

function refusalOf(alert: unknown) {
  const result = one(alert);
  expect(result.accepted).toEqual([]);
  expect(result.refused).toHaveLength(1);
  return result.refused[0]!;
}

describe('parseAlertmanagerPayload: upstream TestConvertAlertmanagerAlert vectors', () => {
  // Upstream's table (stale against upstream's own code, which now requires a `kind` label). With `kind`
  // optional again every vector holds except one: a Pod alert without `node` is accepted now, because the
  // worker looks the pod up (or creates the alert without a node).
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['empty alert', {}, false],
    ['empty status', { status: '' }, false],
    ['status active', { status: 'active' }, false],
    ['no labels', { status: 'Firing' }, false],
    ['alertname + node', { status: 'Firing', labels: { alertname: 'NodeNotReady', node: 'node1' } }, true],
    [
      'alertname + instance',
      { status: 'Firing', labels: { alertname: 'NodeNotReady', instance: 'node1' } },
      true,
    ],
    [
      'alertname + node + instance',
      { status: 'Firing', labels: { alertname: 'NodeNotReady', node: 'node1', instance: 'node1' } },
      true,
    ],
    ['no alertname', { status: 'Firing', labels: { node: 'node1' } }, false],
    ['alertname only', { status: 'Firing', labels: { alertname: 'NodeNotReady' } }, false],
    [
      'pod with node',
      {
        status: 'Resolved',
        labels: { alertname: 'PodNotReady', node: 'node1', pod: 'pod-xxx', namespace: 'test' },
      },
      true,
    ],
    [
      'pod with instance',
      {
        status: 'Resolved',
        labels: { alertname: 'PodNotReady', instance: 'node1', pod: 'pod-xxx', namespace: 'test' },
      },
      true,
    ],
    [
      'pod without node (upstream: false; accepted now)',
      { status: 'Resolved', labels: { alertname: 'PodNotReady', pod: 'pod-xxx', namespace: 'test' } },
      true,
    ],
    [
      'pod without namespace',
      { status: 'Resolved', labels: { alertname: 'PodNotReady', node: 'node1', pod: 'pod-xxx' } },
      false,
    ],
    [
      'event alert, node',
      {
        status: 'Firing',
        labels: { alertname: 'NodeNotReady', involved_object_kind: 'node', involved_object_name: 'node1' },
      },
      true,
    ],
    [
      'event alert, pod',
      {
        status: 'Firing',
        labels: {
          alertname: 'PodNotReady',
          involved_object_kind: 'pod',
          involved_object_name: 'pod-xxxx',
          namespace: 'test',
        },
      },
      true,
    ],
    [
      'event alert without name',
      {
        status: 'Firing',
        labels: { alertname: 'PodNotReady', involved_object_kind: 'pod', namespace: 'test' },
      },
      false,
    ],
    [
      'event alert without kind',
      {
        status: 'Firing',
        labels: { alertname: 'PodNotReady', involved_object_name: 'pod-xxxx', namespace: 'test' },
      },
      false,
    ],
  ];
  it.each(cases)('%s', (_name, alert, ok) => {
    const result = one(alert);
    expect(result.accepted.length === 1).toBe(ok);
    expect(result.refused.length === 1).toBe(!ok);
  });

  it('decodes the TestDecodeAlertManagerAlert payload', () => {
    const result = parseAlertmanagerPayload({
      status: 'Firing',
      alerts: [
        {
          startsAt: '0001-01-01T00:00:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          updatedAt: '0001-01-01T00:00:00Z',
          status: 'Firing',
          labels: { alertname: 'NodeNotReady', kind: 'Node', node: 'node1', pod: 'pod-xx1' },
        },
        {
          startsAt: '0001-01-01T00:00:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          updatedAt: '0001-01-01T00:00:00Z',
          status: 'Firing',
          labels: {
            alertname: 'EtcdBackendQuotaLowSpace',
            kind: 'Etcd',
            job: 'serviceMonitor/monitoring/etcd/0',
            instance: '1.2.3.4:2379',
          },
        },
      ],
    });
    expect(result.refused).toEqual([]);
    expect(result.accepted.map(({ alert }) => alert.involvedObject)).toEqual([
      { kind: 'Node', name: 'node1' },
      { kind: 'Etcd', name: '1.2.3.4:2379' },
    ]);
    expect(result.accepted[0]?.alert).not.toHaveProperty('startsAt'); // Go zero time
  });

  it('refuses the TestDecodeAlertManagerAlertContent body (a JSON string) with path ""', () => {
    expect(parseAlertmanagerPayload('{}')).toEqual({
      accepted: [],
      refused: [
        {
          index: 0,
          path: '',
          reason: 'the body must be an Alertmanager webhook payload (a JSON object), not a string',
        },
      ],
    });
  });
});

describe('parseAlertmanagerPayload: conversion rules', () => {
  const firing = {
    status: 'firing',
    labels: { alertname: 'NodeFilesystemAlmostOutOfSpace', node: 'dev1', severity: 'warning', kind: 'Node' },
    annotations: { description: 'disk almost full', summary: 'Disk almost full', team_channel: 'not kept' },
    startsAt: '2026-03-05T10:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint: '8d3b6f4c2a1e9f07',
  };

  it('converts an alert: type, details with description, severity, fingerprint, startsAt', () => {
    expect(one(firing)).toEqual({
      accepted: [
        {
          index: 0,
          alert: {
            source: 'Alertmanager',
            type: 'NodeFilesystemAlmostOutOfSpace',
            status: 'Firing',
            involvedObject: { kind: 'Node', name: 'dev1' },
            details: {
              alertname: 'NodeFilesystemAlmostOutOfSpace',
              node: 'dev1',
              severity: 'warning',
              kind: 'Node',
              description: 'disk almost full',
              summary: 'Disk almost full',
            },
            fingerprint: '8d3b6f4c2a1e9f07',
            severity: 'warning',
            startsAt: '2026-03-05T10:00:00.000Z',
          },
        },
      ],
      refused: [],
    });
  });

  it('keeps the summary, runbook and dashboard annotations and the generator URL for people; labels win', () => {
    const details = one({
      ...firing,
      labels: { ...firing.labels, dashboard: 'from-label' },
      annotations: {
        summary: 'Disk almost full',
        runbook_url: 'https://runbooks.example.com/disk',
        dashboard: 'https://grafana.example.com/d/node',
        grafana: 42,
        runbook: 'see wiki',
        grafana_url: 'https://grafana.example.com/',
        other: 'not kept',
      },
      generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
      panelURL: ['not a string'],
    }).accepted[0]?.alert.details;
    expect(details).toEqual({
      ...firing.labels,
      dashboard: 'from-label',
      summary: 'Disk almost full',
      runbook_url: 'https://runbooks.example.com/disk',
      grafana_url: 'https://grafana.example.com/',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
    });
    // Kept for people, never made labels that rules could select on.
    expect(labelsFromDetails(details ?? {})).toEqual({
      node: 'dev1',
      severity: 'warning',
      kind: 'Node',
      dashboard: 'from-label',
    });
  });

  it('maps the status in any case', () => {
    expect(one({ ...firing, status: 'RESOLVED' }).accepted[0]?.alert.status).toBe('Resolved');
    expect(refusalOf({ ...firing, status: 'pending' })).toEqual({
      index: 0,
      path: 'alerts[0].status',
      reason: 'must be "firing" or "resolved", not "pending"',
    });
  });

  it('infers the kind when the kind label is missing', () => {
    const object = (labels: Record<string, string>) =>
      one({ status: 'firing', labels: { alertname: 'A', ...labels } }).accepted[0]?.alert.involvedObject;
    expect(object({ pod: 'p', namespace: 'ns', node: 'n1', instance: '10.0.0.1:8080' })).toEqual({
      kind: 'Pod',
      name: 'p',
      namespace: 'ns',
      node: 'n1',
    });
    expect(object({ pod: 'p', namespace: 'ns', instance: '10.0.0.1:8080' })).toEqual({
      kind: 'Pod',
      name: 'p',
      namespace: 'ns',
    });
    expect(object({ node: 'n1', instance: '10.0.0.1:9100', namespace: 'monitoring' })).toEqual({
      kind: 'Node',
      name: 'n1',
    });
    // An instance is used verbatim as the node name, as upstream.
    expect(object({ instance: '10.0.0.1:9100' })).toEqual({ kind: 'Node', name: '10.0.0.1:9100' });
    expect(object({ job: 'apiserver' })).toEqual({ kind: 'Cluster', name: 'apiserver' });
  });

  it('honours an explicit kind label, normalising the well-known ones', () => {
    const object = (labels: Record<string, string>) =>
      one({ status: 'firing', labels: { alertname: 'A', ...labels } }).accepted[0]?.alert.involvedObject;
    expect(object({ kind: 'node', node: 'n1', pod: 'p' })).toEqual({ kind: 'Node', name: 'n1' });
    expect(object({ kind: 'Etcd', instance: '1.2.3.4:2379', job: 'etcd' })).toEqual({
      kind: 'Etcd',
      name: '1.2.3.4:2379',
    });
    expect(object({ kind: 'Etcd', job: 'etcd', node: 'n1' })).toEqual({
      kind: 'Etcd',
      name: 'etcd',
      node: 'n1',
    });
    expect(
      refusalOf({ status: 'firing', labels: { alertname: 'A', kind: 'Pod', node: 'n1', namespace: 'x' } }),
    ).toMatchObject({ path: 'alerts[0].labels.pod', reason: 'is required for a Pod alert' });
    expect(refusalOf({ status: 'firing', labels: { alertname: 'A', kind: 'Node', job: 'j' } })).toMatchObject(
      {
        path: 'alerts[0].labels.node',
      },
    );
  });

  it('reads event alerts from involved_object_name with kind or involved_object_kind', () => {
    const object = (labels: Record<string, string>) =>
      one({ status: 'firing', labels: { alertname: 'A', ...labels } }).accepted[0]?.alert.involvedObject;
    expect(
      object({ involved_object_name: 'dep', kind: 'Deployment', namespace: 'ns', pod: 'ignored' }),
    ).toEqual({
      kind: 'Deployment',
      name: 'dep',
      namespace: 'ns',
    });
    expect(
      object({ involved_object_name: 'p', involved_object_kind: 'Pod', namespace: 'ns', node: 'n' }),
    ).toEqual({
      kind: 'Pod',
      name: 'p',
      namespace: 'ns',
      node: 'n',
    });
    expect(
      refusalOf({ status: 'firing', labels: { alertname: 'A', involved_object_name: 'x' } }),
    ).toMatchObject({
      path: 'alerts[0].labels.kind',
    });
    expect(
      refusalOf({ status: 'firing', labels: { alertname: 'A', involved_object_name: '', kind: 'Node' } }),
    ).toMatchObject({ path: 'alerts[0].labels.involved_object_name', reason: 'must not be empty' });
  });

  it('computes a missing fingerprint from the labels, the same on every delivery', () => {
    const { fingerprint: _fingerprint, ...withoutFingerprint } = firing;
    const first = one(withoutFingerprint).accepted[0]?.alert.fingerprint;
    expect(first).toBe(detailsFingerprint(firing.labels));
    expect(one({ ...withoutFingerprint, fingerprint: '' }).accepted[0]?.alert.fingerprint).toBe(first);
    // The description annotation is not part of it.
    expect(one({ ...withoutFingerprint, annotations: {} }).accepted[0]?.alert.fingerprint).toBe(first);
  });

  it('keys are case-sensitive, as upstream', () => {
    expect(refusalOf({ ...firing, Labels: firing.labels, labels: undefined })).toMatchObject({
      path: 'alerts[0].labels.alertname',
      reason: 'is required',
    });
    expect(parseAlertmanagerPayload({ Alerts: [firing] }).refused[0]).toMatchObject({ path: 'alerts' });
  });

  it('refuses bad fields with their path and keeps the rest of the batch', () => {
    const result = parseAlertmanagerPayload(
      payload(
        firing,
        { ...firing, labels: { ...firing.labels, gpu: 0 } },
        { ...firing, labels: { node: 'dev1' } },
        { ...firing, labels: { ...firing.labels, alertname: '' } },
        { ...firing, annotations: { description: ['x'] } },
        { ...firing, startsAt: 'now' },
        null,
        { ...firing, status: undefined },
        firing,
      ),
    );
    expect(result.accepted.map(({ index }) => index)).toEqual([0, 8]);
    expect(result.refused).toEqual([
      { index: 1, path: 'alerts[1].labels.gpu', reason: 'must be a string, not a number' },
      { index: 2, path: 'alerts[2].labels.alertname', reason: 'is required' },
      { index: 3, path: 'alerts[3].labels.alertname', reason: 'must not be empty' },
      { index: 4, path: 'alerts[4].annotations.description', reason: 'must be a string, not an array' },
      { index: 5, path: 'alerts[5].startsAt', reason: 'must be an RFC 3339 time, not "now"' },
      { index: 6, path: 'alerts[6]', reason: 'must be an alert object, not null' },
      { index: 7, path: 'alerts[7].status', reason: 'is required' },
    ]);
  });

  it('refuses a payload without an alerts array', () => {
    expect(parseAlertmanagerPayload({ version: '4' }).refused).toEqual([
      { index: 0, path: 'alerts', reason: 'is required' },
    ]);
    expect(parseAlertmanagerPayload({ alerts: {} }).refused).toEqual([
      { index: 0, path: 'alerts', reason: 'must be an array, not an object' },
    ]);
    expect(parseAlertmanagerPayload([firing]).refused[0]).toMatchObject({ path: '' });
    expect(parseAlertmanagerPayload(payload())).toEqual({ accepted: [], refused: [] });
  });

  it('quotes odd label keys in paths', () => {
    expect(refusalOf({ ...firing, labels: { ...firing.labels, 'a.b': true } }).path).toBe(
      'alerts[0].labels["a.b"]',
    );
  });
});
