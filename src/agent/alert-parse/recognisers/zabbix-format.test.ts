import { describe, expect, it } from 'vitest';
import { recogniseZabbix } from './zabbix-format.js';
import { alertsOf, samplePayload } from './sample-payload-for-tests.js';

describe('recogniseZabbix', () => {
  it('maps examples/alerts/zabbix-problem.json to a firing Node alert', () => {
    const [alert] = alertsOf(recogniseZabbix(samplePayload('zabbix-problem.json')));
    expect(alert).toEqual({
      source: 'AI',
      type: 'HighIBPortErrorRate',
      status: 'Firing',
      involvedObject: { kind: 'Node', name: 'gpu-node-09' },
      details: {
        scope: 'network',
        port: 'mlx5_0/1',
        host: 'gpu-node-09',
        host_ip: '10.42.9.9',
        trigger_id: '23456',
        event_severity: 'High',
        event_id: '4815162342',
        description: 'Symbol errors on mlx5_0 port 1 above 100/min',
      },
      fingerprint: 'zabbix-23456-gpu-node-09',
      severity: 'High',
      startsAt: '2026-03-05T10:03:00.000Z',
    });
  });

  it('resolves the same problem by trigger and host, whatever the recovery event id', () => {
    const problem = samplePayload('zabbix-problem.json') as Record<string, unknown>;
    const [alert] = alertsOf(
      recogniseZabbix({ ...problem, event_id: '99', event_status: 'RESOLVED', event_value: '0' }),
    );
    expect(alert).toMatchObject({ status: 'Resolved', fingerprint: 'zabbix-23456-gpu-node-09' });
  });

  it('falls back to the event id without a trigger id', () => {
    const { trigger_id: _trigger, ...problem } = samplePayload('zabbix-problem.json') as Record<
      string,
      unknown
    >;
    expect(alertsOf(recogniseZabbix(problem))[0]?.fingerprint).toBe('zabbix-4815162342');
  });

  it('needs an event or trigger id with a Zabbix field', () => {
    expect(recogniseZabbix({ event_id: '1' })).toBeUndefined();
    expect(recogniseZabbix({ host_name: 'a' })).toBeUndefined();
  });
});
