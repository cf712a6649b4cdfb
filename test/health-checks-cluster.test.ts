import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScheduleQueueName, type RunningHealthChecks } from '../src/controller/healthchecks/index.js';
import type { AegisClusterHealthCheck } from '../src/core/resources/index.js';
import { sleep, waitFor } from './controller-runtime-helpers.js';
import {
  annotateNode,
  checkerTemplate,
  createObject,
  failingLog,
  getObject,
  listAlerts,
  passingLog,
  runHealthChecks,
  startHealthFixture,
  startIngestPath,
  type HealthFixture,
} from './health-check-fixture.js';

let fixture: HealthFixture;
let ingest: Awaited<ReturnType<typeof startIngestPath>>;
const processes: RunningHealthChecks[] = [];

const plural = 'aegisclusterhealthchecks';
const kind = 'AegisClusterHealthCheck';
const gpuNodes = { 'nvidia.com/gpu.present': 'true' };

async function clusterCheck(name: string): Promise<AegisClusterHealthCheck> {
  return (await getObject<AegisClusterHealthCheck>(fixture, plural, name)) as AegisClusterHealthCheck;
}

async function completedRound(name: string, round = 1, timeoutMs = 20_000): Promise<AegisClusterHealthCheck> {
  let last: AegisClusterHealthCheck | undefined;
  await waitFor(
    `${name} to complete round ${round}`,
    async () => {
      last = await getObject<AegisClusterHealthCheck>(fixture, plural, name);
      return last?.status?.phase === 'Completed' && (last.status.round ?? 0) >= round;
    },
    timeoutMs,
  );
  return last as AegisClusterHealthCheck;
}

async function nodeChecksOf(name: string): Promise<string[]> {
  const list = (await fixture.clients.customObjects.listNamespacedCustomObject({
    group: 'aegis.io',
    version: 'v1alpha1',
    namespace: fixture.namespace,
    plural: 'aegisnodehealthchecks',
    labelSelector: `aegis.io/cluster-health-check=${name}`,
  })) as { items: { metadata: { name: string } }[] };
  return list.items.map((item) => item.metadata.name);
}

async function eventReasons(name: string): Promise<string[]> {
  const events = await fixture.clients.core.listNamespacedEvent({ namespace: fixture.namespace });
  return events.items
    .filter((event) => event.involvedObject.name === name)
    .map((event) => event.reason ?? '');
}

beforeAll(async () => {
  // 6 nodes: node-1, node-2 without GPUs; node-3 … node-6 with GPUs; node-4 tainted for maintenance.
  fixture = await startHealthFixture(6);
  await fixture.clients.core.patchNode(
    {
      name: 'node-4',
      body: { spec: { taints: [{ key: 'maintenance', value: 'true', effect: 'NoSchedule' }] } },
    },
    (await import('@kubernetes/client-node')).setHeaderOptions(
      'Content-Type',
      (await import('@kubernetes/client-node')).PatchStrategy.MergePatch,
    ),
  );
  ingest = await startIngestPath(fixture);
  processes.push(await runHealthChecks(fixture, { alerts: ingest.intake }));
});

afterAll(async () => {
  for (const running of processes) await running.stop();
  await ingest?.close();
  await fixture?.close();
});

describe('AegisClusterHealthCheck on the sandbox', () => {
  it('checks every eligible node once, keeps only failing items, raises an alert per failing item, and cleans up', async () => {
    await annotateNode(fixture, 'node-5', {
      'sandbox.aegis.io/pod-log.checker': failingLog('6 of 8 GPUs visible'),
    });
    await createObject(fixture, plural, kind, 'gpu-once', {
      template: checkerTemplate(passingLog, { nodeSelector: gpuNodes }),
    });
    const done = await completedRound('gpu-once');
    // node-4 is tainted and the template does not tolerate it; node-1/2 have no GPU.
    expect(done.status).toMatchObject({
      desired: 3,
      active: 0,
      succeeded: 3,
      failed: 0,
      round: 1,
      uncheckedNodes: [],
    });
    expect(done.status?.checkResults).toEqual({
      checkType: 'Node',
      results: [
        {
          name: 'node-5',
          resultInfos: {
            gpu: [
              {
                item: 'gpu-count',
                condition: 'GpuCountMismatch',
                level: 'critical',
                status: true,
                message: '6 of 8 GPUs visible',
              },
            ],
          },
        },
      ],
    });
    expect(done.status?.history?.[0]).toMatchObject({
      round: 1,
      desired: 3,
      succeeded: 3,
      failingNodes: 1,
      uncheckedNodes: 0,
    });
    await waitFor('the node checks to be deleted', async () => (await nodeChecksOf('gpu-once')).length === 0);
    await waitFor('the NodeHealthCheckFailed alert', async () =>
      (await listAlerts(fixture)).some(
        (alert) => alert.type === 'NodeHealthCheckFailed' && alert.node === 'node-5',
      ),
    );
    const alert = (await listAlerts(fixture)).find((entry) => entry.node === 'node-5');
    expect(alert).toMatchObject({
      status: 'Firing',
      details: {
        node: 'node-5',
        module: 'gpu',
        item: 'gpu-count',
        condition: 'GpuCountMismatch',
        level: 'critical',
        message: '6 of 8 GPUs visible',
      },
    });
    expect(await eventReasons('gpu-once')).toEqual(
      expect.arrayContaining(['SucceededCreatedNodeChecks', 'Completed']),
    );
    await annotateNode(fixture, 'node-5', { 'sandbox.aegis.io/pod-log.checker': null });
  });

  it('covers tainted nodes the template tolerates', async () => {
    const tolerations = [{ key: 'maintenance', operator: 'Exists', effect: 'NoSchedule' }];
    await createObject(fixture, plural, kind, 'gpu-tolerant', {
      template: checkerTemplate(passingLog, { nodeSelector: gpuNodes, tolerations }),
    });
    const done = await completedRound('gpu-tolerant');
    expect(done.status).toMatchObject({
      desired: 4,
      succeeded: 4,
      checkResults: { checkType: 'Node', results: [] },
    });
  });

  it('completes a round at spec.timeout with the nodes it could not check', async () => {
    const template = checkerTemplate(passingLog, { nodeSelector: { 'kubernetes.io/hostname': 'node-6' } });
    delete (template['metadata'] as { annotations: Record<string, string> }).annotations[
      'sandbox.aegis.io/duration'
    ];
    await createObject(fixture, plural, kind, 'slow', { timeout: 1, template });
    const done = await completedRound('slow');
    expect(done.status).toMatchObject({
      desired: 1,
      succeeded: 0,
      uncheckedNodes: [{ node: 'node-6', reason: 'the round timed out before the check finished' }],
    });
    await waitFor(
      'the node checks of the timed-out round to be deleted',
      async () => (await nodeChecksOf('slow')).length === 0,
    );
  });

  it('runs on its schedule (twice), resolves the alert when a later round passes, and only once per firing with two processes', async () => {
    processes.push(await runHealthChecks(fixture, { alerts: ingest.intake }));
    await annotateNode(fixture, 'node-3', {
      'sandbox.aegis.io/pod-log.checker': failingLog('7 of 8 GPUs visible'),
    });
    await createObject(fixture, plural, kind, 'gpu-every-2s', {
      schedule: '*/2 * * * * *',
      template: checkerTemplate(passingLog, { nodeSelector: { 'kubernetes.io/hostname': 'node-3' } }),
    });
    await completedRound('gpu-every-2s', 1);
    await waitFor('the node-3 alert to fire', async () =>
      (await listAlerts(fixture)).some((alert) => alert.node === 'node-3' && alert.status === 'Firing'),
    );
    await annotateNode(fixture, 'node-3', { 'sandbox.aegis.io/pod-log.checker': null });
    const later = await completedRound('gpu-every-2s', 3, 30_000);
    expect(later.status?.lastScheduleTime).toBeDefined();
    expect(later.status?.history?.map((entry) => entry.round).slice(0, 3)).toEqual([
      later.status?.round,
      (later.status?.round ?? 0) - 1,
      (later.status?.round ?? 0) - 2,
    ]);
    await waitFor('the node-3 alert to resolve', async () =>
      (await listAlerts(fixture)).some((alert) => alert.node === 'node-3' && alert.status === 'Resolved'),
    );
    // Two processes share the schedule: had each fired it, the second firing would find the round running.
    expect(await eventReasons('gpu-every-2s')).not.toContain('RoundStillRunning');
  });

  it('keeps the schedule across a restart and runs a missed schedule once, not once per missed time', async () => {
    for (const running of processes.splice(0)) await running.stop();
    const before = await clusterCheck('gpu-every-2s');
    const connection = new Redis(fixture.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(checkScheduleQueueName, { connection, prefix: fixture.prefix });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => [scheduler.key, scheduler.pattern])).toContainEqual([
        `${fixture.namespace}.gpu-every-2s`,
        '*/2 * * * * *',
      ]);
      const completedBefore = (await queue.getJobCounts('completed')).completed ?? 0;
      await sleep(7_000); // three or four scheduled times pass with no process running
      processes.push(await runHealthChecks(fixture, { alerts: ingest.intake }));
      await completedRound('gpu-every-2s', (before.status?.round ?? 0) + 1);
      await sleep(500);
      const ran = ((await queue.getJobCounts('completed')).completed ?? 0) - completedBefore;
      expect(ran).toBeGreaterThanOrEqual(1);
      expect(ran).toBeLessThanOrEqual(2); // the missed one, and at most the next regular one
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('removes the schedule when the check is deleted', async () => {
    await fixture.clients.customObjects.deleteNamespacedCustomObject({
      group: 'aegis.io',
      version: 'v1alpha1',
      namespace: fixture.namespace,
      plural,
      name: 'gpu-every-2s',
    });
    await waitFor(
      'the scheduler to be removed',
      async () =>
        !(await processes[0]!.scheduler.list()).some(
          (scheduler) => scheduler.id === `${fixture.namespace}.gpu-every-2s`,
        ),
    );
  });
});
