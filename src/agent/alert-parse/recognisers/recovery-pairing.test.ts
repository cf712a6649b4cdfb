import { describe, expect, it } from 'vitest';
import { recognisePayload } from './recognise-payload.js';
import { alertsOf, samplePayload } from './sample-payload-for-tests.js';

/**
 * Every recogniser's firing and resolved fixture (examples/alerts/): the recovery is read as Resolved and pairs
 * with its problem by the vendor's stable key (same type, same fingerprint), although most vendors give the
 * recovery event its own id.
 */
const now = Date.parse('2026-03-05T12:00:00Z');
const pairs: [format: string, firing: string, resolved: string, type: string][] = [
  ['zabbix', 'zabbix-problem.json', 'zabbix-resolved.json', 'HighIBPortErrorRate'],
  ['datadog', 'datadog-triggered.json', 'datadog-recovered.json', 'DiskUsageHigh'],
  ['grafana', 'grafana-firing.json', 'grafana-resolved.json', 'GpuTemperatureHigh'],
  ['pagerduty', 'pagerduty-triggered.json', 'pagerduty-resolved.json', 'GPUFallenOffTheBusOnGpuNode33'],
  ['opsgenie', 'opsgenie-create.json', 'opsgenie-close.json', 'NvlinkErrors'],
  ['cloudwatch', 'cloudwatch-alarm.json', 'cloudwatch-ok.json', 'GpuNode40HighGpuTemperature'],
  ['prometheus', 'prometheus-alerts-firing.json', 'prometheus-alerts-resolved.json', 'NodeGpuXidErrors'],
  ['generic', 'generic-labels.json', 'generic-resolved.json', 'NodeMemoryPressure'],
];

describe('recovery pairing by the vendor stable key', () => {
  it.each(pairs)('%s: %s then %s', (format, firingFile, resolvedFile, type) => {
    const firingPayload = recognisePayload(samplePayload(firingFile), now);
    const resolvedPayload = recognisePayload(samplePayload(resolvedFile), now);
    expect(firingPayload?.format).toBe(format);
    expect(resolvedPayload?.format).toBe(format);
    const [firing] = alertsOf(firingPayload);
    const [resolved] = alertsOf(resolvedPayload);
    expect(firing).toMatchObject({ type, status: 'Firing' });
    expect(resolved).toMatchObject({ type, status: 'Resolved' });
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
    expect(resolved?.involvedObject).toEqual(firing?.involvedObject);
  });

  it('reads the objects the vendors name', () => {
    const object = (file: string): unknown =>
      alertsOf(recognisePayload(samplePayload(file), now))[0]?.involvedObject;
    expect(object('opsgenie-create.json')).toEqual({ kind: 'Node', name: 'gpu-node-12' });
    expect(object('cloudwatch-alarm.json')).toEqual({ kind: 'Node', name: 'gpu-node-40' });
    expect(object('prometheus-alerts-firing.json')).toEqual({ kind: 'Node', name: 'gpu-node-50' });
  });

  it('unwraps an event under an `event` key and a list of events', () => {
    const problem = samplePayload('zabbix-problem.json');
    const recovery = samplePayload('zabbix-resolved.json');
    const [wrapped] = alertsOf(recognisePayload({ event: problem }, now));
    expect(wrapped).toMatchObject({ type: 'HighIBPortErrorRate', status: 'Firing' });
    const both = alertsOf(recognisePayload([problem, samplePayload('opsgenie-close.json')], now));
    expect(both.map((alert) => [alert.type, alert.status])).toEqual([
      ['HighIBPortErrorRate', 'Firing'],
      ['NvlinkErrors', 'Resolved'],
    ]);
    const [fromList] = alertsOf(recognisePayload([{ event: recovery }], now));
    expect(fromList).toMatchObject({ status: 'Resolved', fingerprint: wrapped?.fingerprint });
  });

  it('answers an SNS subscription confirmation with a notice and never an alert', () => {
    const result = recognisePayload(samplePayload('sns-subscription-confirmation.json'), now);
    expect(result?.results).toEqual([]);
    expect(result?.notice).toContain('does not confirm subscriptions by itself');
    expect(result?.notice).toContain('arn:aws:sns:us-east-1:123456789012:aegis');
  });

  it('refuses a CloudWatch INSUFFICIENT_DATA state with the reason', () => {
    const alarm = samplePayload('cloudwatch-alarm.json') as Record<string, unknown>;
    const message = JSON.parse(String(alarm['Message'])) as Record<string, unknown>;
    const result = recognisePayload(
      { ...alarm, Message: JSON.stringify({ ...message, NewStateValue: 'INSUFFICIENT_DATA' }) },
      now,
    );
    expect(result?.results).toEqual([
      {
        path: 'Message.NewStateValue',
        reason: 'is INSUFFICIENT_DATA, neither ALARM (firing) nor OK (resolved)',
      },
    ]);
  });
});
