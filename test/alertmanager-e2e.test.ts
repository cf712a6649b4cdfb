/**
 * End to end with real senders: an alert posted to a real Alertmanager (Debian `prometheus-alertmanager`,
 * started here on loopback) is delivered to Aegis's `/alertmanager/alert`, becomes an AegisAlert in the
 * sandbox, and is resolved when Alertmanager sends the resolved notification. When Prometheus is installed
 * too, a rule it fires reaches Aegis through the same Alertmanager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AegisAlert } from '../src/controller/ingest/index.js';
import { startAegisIngestServer, type AegisIngestServer } from './support/aegis-ingest-server.js';
import {
  alertmanagerBinary,
  hasBinary,
  prometheusBinary,
  startAlertmanager,
  startPrometheus,
  type LoopbackProcess,
} from './support/alertmanager-process.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

const haveAlertmanager = hasBinary(alertmanagerBinary);
if (!haveAlertmanager) {
  console.warn(
    `skipping the Alertmanager end-to-end test: ${alertmanagerBinary} is missing (apt-get install prometheus-alertmanager)`,
  );
}
const havePrometheus = haveAlertmanager && hasBinary(prometheusBinary);

describe.skipIf(!haveAlertmanager)('Alertmanager → Aegis → AegisAlert (end to end)', () => {
  let env: IngestEnvironment;
  let aegis: AegisIngestServer;
  let alertmanager: LoopbackProcess | undefined;
  let prometheus: LoopbackProcess | undefined;

  beforeAll(async () => {
    env = await startIngestEnvironment();
    aegis = await startAegisIngestServer({
      redisUrl: env.redis.url,
      prefix: `alertmanager-e2e-${process.pid}`,
      namespace: alertNamespace,
      store: env.store,
    });
    alertmanager = await startAlertmanager(`${aegis.url}/alertmanager/alert`);
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await aegis?.close();
    await env?.stop();
  }, 60_000);

  /** Run `body`; on failure, show what Alertmanager (and Prometheus) logged. */
  async function withLogs(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      console.error(`Alertmanager output:\n${alertmanager?.output() ?? '(not started)'}`);
      if (prometheus !== undefined) console.error(`Prometheus output:\n${prometheus.output()}`);
      throw error;
    }
  }

  async function postToAlertmanager(alerts: unknown[]): Promise<void> {
    const response = await fetch(`${alertmanager?.url ?? ''}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    expect(response.status, await response.text()).toBe(200);
  }

  async function alertsOfType(type: string): Promise<AegisAlert[]> {
    const items = await env.store.list(alertNamespace);
    return items.filter((item) => item.metadata.labels?.['alert-type'] === type);
  }

  it('creates the AegisAlert of a firing alert, then resolves it', async () => {
    await withLogs(async () => {
      const startsAt = new Date(Date.now() - 1_000).toISOString();
      const labels = { alertname: 'NodeHasEmergencyEvent', node: 'dev1', severity: 'critical' };
      const annotations = { description: 'Node dev1 reported an emergency event.' };
      await postToAlertmanager([
        { labels, annotations, startsAt, endsAt: new Date(Date.now() + 3_600_000).toISOString() },
      ]);

      const created = await eventually(
        async () => {
          const found = await alertsOfType('NodeHasEmergencyEvent');
          // The status is written through /status right after the create; wait for both.
          return found.length > 0 && found.every((item) => item.status?.status !== undefined)
            ? found
            : undefined;
        },
        45_000,
        'the AegisAlert of the firing alert',
      );
      expect(created).toHaveLength(1);
      const alert = created[0]!;
      expect(alert.spec).toMatchObject({
        source: 'Alertmanager',
        type: 'NodeHasEmergencyEvent',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'dev1', node: 'dev1' },
        details: { node: 'dev1', severity: 'critical', description: annotations.description },
      });
      expect(alert.metadata.labels).toMatchObject({
        'alert-source-type': 'Alertmanager',
        'alert-type': 'NodeHasEmergencyEvent',
        'alert-status': 'Firing',
        node: 'dev1',
        severity: 'critical',
      });
      expect(alert.status?.status).toBe('Firing');

      // The same alert, now ended: Alertmanager sends it as resolved at the next group interval.
      await postToAlertmanager([
        { labels, annotations, startsAt, endsAt: new Date(Date.now() - 500).toISOString() },
      ]);
      const resolved = await eventually(
        async () => {
          const found = await alertsOfType('NodeHasEmergencyEvent');
          // The status (through /status) and the label (through the object) are two writes; wait for both.
          const only = found.length === 1 ? found[0] : undefined;
          return only?.status?.status === 'Resolved' && only.metadata.labels?.['alert-status'] === 'Resolved'
            ? only
            : undefined;
        },
        45_000,
        'the AegisAlert to be Resolved',
      );
      expect(resolved.metadata.name).toBe(alert.metadata.name);
      expect(resolved.metadata.labels?.['alert-status']).toBe('Resolved');
      expect(resolved.status?.resolvedAt).toBeTruthy();
    });
  }, 120_000);

  it.skipIf(!havePrometheus)(
    'delivers a rule fired by a real Prometheus through Alertmanager',
    async () => {
      await withLogs(async () => {
        prometheus = await startPrometheus(alertmanager?.url ?? '');
        const created = await eventually(
          async () => {
            const found = await alertsOfType('GpuXidError');
            return found.length > 0 ? found : undefined;
          },
          40_000,
          'the AegisAlert of the Prometheus rule',
        );
        expect(created).toHaveLength(1);
        expect(created[0]?.spec).toMatchObject({
          source: 'Alertmanager',
          type: 'GpuXidError',
          involvedObject: { kind: 'Node', name: 'gpu-7' },
        });
      });
    },
    90_000,
  );
});
