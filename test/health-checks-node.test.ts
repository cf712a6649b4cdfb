import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHealthChecks } from '../src/controller/healthchecks/index.js';
import type { AegisNodeHealthCheck } from '../src/core/resources/index.js';
import { waitFor } from './controller-runtime-helpers.js';
import {
  checkerTemplate,
  failingLog,
  createObject,
  getObject,
  passingLog,
  runHealthChecks,
  startHealthFixture,
  type HealthFixture,
} from './health-check-fixture.js';

let fixture: HealthFixture;
let running: RunningHealthChecks;

const plural = 'aegisnodehealthchecks';
const kind = 'AegisNodeHealthCheck';

async function check(name: string): Promise<AegisNodeHealthCheck | undefined> {
  return await getObject<AegisNodeHealthCheck>(fixture, plural, name);
}

async function finished(name: string): Promise<AegisNodeHealthCheck> {
  let last: AegisNodeHealthCheck | undefined;
  await waitFor(
    `${name} to finish`,
    async () => {
      last = await check(name);
      return last?.status?.completionTime !== undefined;
    },
    15_000,
  );
  return last as AegisNodeHealthCheck;
}

async function podExists(name: string): Promise<boolean> {
  const pods = await fixture.clients.core.listNamespacedPod({ namespace: fixture.namespace });
  return pods.items.some((pod) => pod.metadata?.name === `${name}-checker`);
}

beforeAll(async () => {
  fixture = await startHealthFixture(3);
  await fixture.clients.core.createNamespacedConfigMap({
    namespace: fixture.namespace,
    body: {
      metadata: { name: 'gpu-rules', labels: { 'aegis.io/check-rules': 'gpu' } },
      data: { 'rules.yaml': 'rules: []\n' },
    },
  });
  running = await runHealthChecks(fixture, { fireNodeEvents: true });
});

afterAll(async () => {
  await running?.stop();
  await fixture?.close();
});

describe('AegisNodeHealthCheck on the sandbox', () => {
  it('runs a checker pod pinned to the node with the rule ConfigMaps mounted, records the results and deletes the pod', async () => {
    const seen: string[] = [];
    const unsubscribe = running.sources.pods.onChange((event) => {
      if (event.type !== 'add') return;
      seen.push(JSON.stringify(event.object));
    });
    await createObject(
      fixture,
      plural,
      kind,
      'gpu-node-2',
      {
        node: 'node-2',
        ruleConfigmapSelector: { matchLabels: { 'aegis.io/check-rules': 'gpu' } },
        template: checkerTemplate(passingLog),
      },
      { team: 'infra' },
    );
    const done = await finished('gpu-node-2');
    unsubscribe();
    expect(done.status?.status).toBe('Succeeded');
    expect(done.status?.results).toEqual({
      gpu: [
        {
          item: 'gpu-count',
          condition: 'GpuCountMismatch',
          level: 'critical',
          status: false,
          message: '8 of 8 GPUs visible',
        },
      ],
    });
    const types = done.status?.conditions?.map((condition) => condition.type);
    expect(types).toEqual(expect.arrayContaining(['SucceededCreatePod', 'Succeed']));
    expect(types).not.toContain('Failed');
    const pod = JSON.parse(seen[0] ?? '{}') as {
      metadata: { labels: Record<string, string>; ownerReferences: { kind: string }[] };
      spec: {
        nodeName: string;
        restartPolicy: string;
        volumes: unknown[];
        containers: { volumeMounts: unknown[] }[];
      };
    };
    expect(pod.spec.nodeName).toBe('node-2');
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.metadata.labels).toMatchObject({
      app: 'node-checker',
      team: 'infra',
      'aegis.io/node-health-check': 'gpu-node-2',
    });
    expect(pod.metadata.ownerReferences[0]?.kind).toBe(kind);
    expect(pod.spec.volumes).toEqual([{ name: 'volume-gpu-rules', configMap: { name: 'gpu-rules' } }]);
    expect(pod.spec.containers[0]?.volumeMounts).toEqual([
      { name: 'volume-gpu-rules', mountPath: '/nodecheck/config/gpu-rules', readOnly: true },
    ]);
    await waitFor('the checker pod to be deleted', async () => !(await podExists('gpu-node-2')));
    const events = await fixture.clients.core.listNamespacedEvent({ namespace: fixture.namespace });
    const reasons = events.items
      .filter((event) => event.involvedObject.name === 'gpu-node-2')
      .map((event) => event.reason);
    expect(reasons).toEqual(expect.arrayContaining(['SucceededCreateNodeCheckPod', 'Completed']));
  });

  it('says which log line is wrong when the results block does not parse', async () => {
    const log = ['progress line', 'results:', '  gpu:', '  - item: gpu-count', '    status: [oops', ''].join(
      '\n',
    );
    await createObject(fixture, plural, kind, 'broken-output', {
      node: 'node-1',
      template: checkerTemplate(log),
    });
    const done = await finished('broken-output');
    expect(done.status?.status).toBe('Failed');
    const condition = done.status?.conditions?.find((entry) => entry.type === 'FailedFetchResult');
    expect(condition?.reason).toBe('FetchResultFailed');
    expect(condition?.message).toMatch(/log line \d+: the results block is not valid YAML/);
  });

  it('says which field has the wrong type', async () => {
    const log = ['results:', '  gpu:', '  - item: gpu-count', '    status: maybe', ''].join('\n');
    await createObject(fixture, plural, kind, 'wrong-type', {
      node: 'node-1',
      template: checkerTemplate(log),
    });
    const done = await finished('wrong-type');
    expect(done.status?.conditions?.find((entry) => entry.type === 'FailedFetchResult')?.message).toContain(
      'log line 1: results.gpu.0.status:',
    );
  });

  it('fails a check whose pod does not finish within spec.timeout, and deletes the pod', async () => {
    const template = checkerTemplate(passingLog);
    delete (template['metadata'] as { annotations: Record<string, string> }).annotations[
      'sandbox.aegis.io/duration'
    ];
    await createObject(fixture, plural, kind, 'never-ends', { node: 'node-3', timeout: 1, template });
    const done = await finished('never-ends');
    expect(done.status?.status).toBe('Failed');
    expect(done.status?.conditions?.find((entry) => entry.reason === 'Timeout')?.message).toContain(
      'did not finish within 1s',
    );
    await waitFor('the checker pod to be deleted', async () => !(await podExists('never-ends')));
  });

  it('fails with the reason when the node does not exist or the template has two containers', async () => {
    await createObject(fixture, plural, kind, 'no-such-node', {
      node: 'node-99',
      template: checkerTemplate(passingLog),
    });
    const twoContainers = checkerTemplate(passingLog);
    const spec = twoContainers['spec'] as { containers: unknown[] };
    spec.containers.push({ name: 'second', image: 'busybox' });
    await createObject(fixture, plural, kind, 'two-containers', { node: 'node-1', template: twoContainers });
    expect((await finished('no-such-node')).status?.conditions?.[0]).toMatchObject({
      type: 'FailedCreatePod',
      reason: 'NodeNotFound',
      message: 'node node-99 does not exist',
    });
    expect((await finished('two-containers')).status?.conditions?.[0]?.message).toBe(
      'spec.template.spec.containers: must hold exactly one container, found 2',
    );
  });

  it('fires a Warning event on the Node for each failing item', async () => {
    await createObject(fixture, plural, kind, 'gpu-bad', {
      node: 'node-3',
      template: checkerTemplate(failingLog('6 of 8 GPUs visible')),
    });
    const done = await finished('gpu-bad');
    expect(done.status?.status).toBe('Succeeded');
    // The Node event is recorded right after the status; wait for it rather than racing it.
    await waitFor('the Warning event on node-3', async () => {
      const events = await fixture.clients.core.listEventForAllNamespaces({
        fieldSelector: 'involvedObject.kind=Node,involvedObject.name=node-3',
      });
      return events.items.some(
        (event) =>
          event.type === 'Warning' &&
          event.reason === 'GpuCountMismatch' &&
          event.message === 'gpu/gpu-count: 6 of 8 GPUs visible',
      );
    });
  });

  it('records a failed checker pod with its exit code', async () => {
    const template = checkerTemplate(passingLog);
    (template['metadata'] as { annotations: Record<string, string> }).annotations[
      'sandbox.aegis.io/outcome'
    ] = 'Failed';
    (template['metadata'] as { annotations: Record<string, string> }).annotations[
      'sandbox.aegis.io/exit-code'
    ] = '3';
    await createObject(fixture, plural, kind, 'crashes', { node: 'node-1', template });
    const done = await finished('crashes');
    expect(done.status?.conditions?.find((entry) => entry.type === 'Failed')).toMatchObject({
      reason: 'NodeCheckFailed',
      message: 'checker pod crashes-checker on node node-1 failed (exit code 3, Error)',
    });
  });
});
