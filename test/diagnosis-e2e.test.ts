/**
 * AegisDiagnosis end to end on the sandbox API server with a real Redis: one diagnosis per kind (Pod, Node,
 * PyTorchJob, Workflow) about objects whose status is hand-written and kept as written (`sandbox.aegis.io/frozen`),
 * container logs set with `sandbox.aegis.io/log.<container>` / `previous-log.<container>`. Checks every phase is
 * written as it happens (seen through a watch), the result and its evidence, a missing object as Unknown, and
 * `spec.timeout`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main.js';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventsV1Api,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1ObjectMeta,
  type V1PodSpec,
} from '@kubernetes/client-node';
import { startDiagnosisController, type DiagnosisController } from '../src/controller/diagnosis/index.js';
import type { AegisDiagnosis } from '../src/core/resources/index.js';
import { createDiagnosisCluster } from '../src/kube/index.js';
import type { DiagnosisCluster } from '../src/core/diagnosis/index.js';
import { eventually, startIngestEnvironment, type IngestEnvironment } from './support/ingest-environment.js';

const namespace = 'team-a';
const aegis = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisdiagnosises' } as const;
const frozen = { 'sandbox.aegis.io/frozen': 'true' };

let env: IngestEnvironment;
let controller: DiagnosisController;
const phasesSeen = new Map<string, string[]>();
let stopWatch: (() => void) | undefined;

/** A cluster whose Node reads can be slowed down, to prove spec.timeout. */
let slowNodes = false;
function slowable(cluster: DiagnosisCluster): DiagnosisCluster {
  return {
    ...cluster,
    async getNode(name) {
      if (slowNodes && name === 'slow-node') await new Promise((resolve) => setTimeout(resolve, 5_000));
      return await cluster.getNode(name);
    },
  };
}

beforeAll(async () => {
  env = await startIngestEnvironment();
  await env.clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  controller = await startDiagnosisController({
    clients: env.clients,
    redisUrl: env.redis.url,
    prefix: `diag-${randomUUID().slice(0, 8)}`,
    logs: { keywords: ['error', 'nccl'], fetchLines: 200, maxLines: 5 },
    defaultTimeoutMs: 60_000,
    defaultTtlMs: 3_600_000,
    language: 'English',
    cluster: slowable(createDiagnosisCluster(env.clients)),
  });
  const watch = new Watch(env.clients.kubeConfig);
  const request = await watch.watch(
    '/apis/aegis.io/v1alpha1/aegisdiagnosises',
    {},
    (_type: string, object: AegisDiagnosis) => {
      const phase = object.status?.phase;
      const seen = phasesSeen.get(object.metadata.name ?? '') ?? [];
      if (phase !== undefined && seen[seen.length - 1] !== phase) seen.push(phase);
      phasesSeen.set(object.metadata.name ?? '', seen);
    },
    () => undefined,
  );
  stopWatch = () => request.abort();
}, 60_000);

afterAll(async () => {
  stopWatch?.();
  await controller?.stop();
  await env?.stop();
});

/** Create a pod, then write its status through /status (a create resets it, as on a real API server). */
const pods = {
  createNamespacedPod: ({
    body,
  }: {
    namespace: string;
    body: { metadata: V1ObjectMeta; spec: V1PodSpec; status: object };
  }) => createPod(body),
};
async function createPod(body: { metadata: V1ObjectMeta; spec: V1PodSpec; status: object }): Promise<void> {
  const { status, ...rest } = body;
  await env.clients.core.createNamespacedPod({ namespace, body: rest });
  await env.clients.core.patchNamespacedPodStatus(
    { namespace, name: (body.metadata as { name: string }).name, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

async function diagnose(
  name: string,
  object: Record<string, string>,
  extra: Record<string, unknown> = {},
): Promise<AegisDiagnosis> {
  await env.clients.customObjects.createNamespacedCustomObject({
    ...aegis,
    namespace,
    body: {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisDiagnosis',
      metadata: { name },
      spec: { object, ...extra },
    },
  });
  return await eventually(
    async () => {
      const current = (await env.clients.customObjects.getNamespacedCustomObject({
        ...aegis,
        namespace,
        name,
      })) as AegisDiagnosis;
      const phase = current.status?.phase;
      return phase === 'Completed' || phase === 'Failed' ? current : undefined;
    },
    30_000,
    `diagnosis ${name} to finish`,
  );
}

describe('AegisDiagnosis on the sandbox', () => {
  it('diagnoses a crash-looping Pod from its status, events and previous log, writing every phase', async () => {
    await pods.createNamespacedPod({
      namespace,
      body: {
        metadata: {
          name: 'trainer-0',
          annotations: {
            ...frozen,
            'sandbox.aegis.io/log.main': 'starting\n',
            'sandbox.aegis.io/previous-log.main':
              'loading config\nline a\nline b\nline c\nline d\nERROR: /etc/trainer.yaml: no such file\nexiting\n',
          },
        },
        spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'trainer:1.0' }] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            {
              name: 'main',
              image: 'trainer:1.0',
              imageID: '',
              ready: false,
              restartCount: 6,
              containerID: 'containerd://abc',
              state: {
                waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
              },
              lastState: { terminated: { reason: 'Error', exitCode: 3 } },
            },
          ],
        },
      },
    });
    const done = await diagnose('pod-trainer', { kind: 'Pod', name: 'trainer-0', namespace });
    expect(done.status?.phase).toBe('Completed');
    expect(done.status?.result?.status).toBe('UnHealthy');
    const failure = done.status?.result?.failures?.[0] ?? '';
    expect(failure).toContain('keeps crashing (CrashLoopBackOff, 6 restarts)');
    expect(failure).toContain('exit code 3');
    // The keyword line comes first even though it is not among the last lines of the log.
    expect(failure).toContain('ERROR: /etc/trainer.yaml: no such file');
    expect(done.status?.explain).toMatch(/^Healthy: No\nError: Container main keeps crashing/);
    expect(done.status?.startTime).toBeDefined();
    expect(done.status?.completionTime).toBeDefined();
    await eventually(
      () => Promise.resolve((phasesSeen.get('pod-trainer') ?? []).includes('Completed') ? true : undefined),
      10_000,
      'the watch to see Completed',
    );
    expect(phasesSeen.get('pod-trainer')).toEqual(['Pending', 'Diagnosing', 'Completed']);
  });

  it('diagnoses a NotReady Node with GPUs missing from allocatable', async () => {
    await env.clients.core.createNode({
      body: {
        metadata: { name: 'gpu-9', annotations: frozen },
        spec: { unschedulable: true },
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'KubeletNotReady',
              message: 'container runtime network not ready',
            },
          ],
          capacity: { 'nvidia.com/gpu': '8' },
          allocatable: { 'nvidia.com/gpu': '7' },
        },
      },
    });
    await env.clients.core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'gpu-9.xid' },
        involvedObject: { kind: 'Node', name: 'gpu-9' },
        reason: 'GPUXidError',
        type: 'Warning',
        message: 'NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus',
      },
    });
    const done = await diagnose('node-gpu-9', { kind: 'Node', name: 'gpu-9' });
    const failures = done.status?.result?.failures ?? [];
    expect(
      failures.some((text) => text.includes('Node gpu-9 is NotReady: container runtime network not ready')),
    ).toBe(true);
    expect(failures.some((text) => text.includes('1 of the 8 GPUs'))).toBe(true);
    expect(failures.some((text) => text.includes('Xid 79'))).toBe(true);
    expect(done.status?.result?.warnings?.some((text) => text.includes('cordoned'))).toBe(true);
  });

  it('reads events.k8s.io/v1 Events as well as core/v1 ones', async () => {
    await pods.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'web-2', annotations: frozen },
        spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'web' }] },
        status: { phase: 'Pending' },
      },
    });
    await env.clients.kubeConfig.makeApiClient(EventsV1Api).createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: 'web-2.mount' },
        eventTime: new Date(),
        reportingController: 'kubelet',
        reportingInstance: 'node-1',
        action: 'Mount',
        regarding: { kind: 'Pod', name: 'web-2', namespace },
        reason: 'FailedMount',
        type: 'Warning',
        note: 'MountVolume.SetUp failed for volume "cfg" : configmap "web-config" not found',
      },
    });
    const done = await diagnose('pod-web-2', { kind: 'Pod', name: 'web-2', namespace });
    expect(done.status?.result?.failures?.[0]).toContain('the configmap web-config it mounts does not exist');
  });

  it('diagnoses a PyTorchJob: condition, missing workers, NCCL errors in an abnormal worker', async () => {
    await env.clients.customObjects.createNamespacedCustomObject({
      group: 'kubeflow.org',
      version: 'v1',
      plural: 'pytorchjobs',
      namespace,
      body: {
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        metadata: { name: 'llama' },
        spec: {
          pytorchReplicaSpecs: {
            Master: {
              replicas: 1,
              template: { spec: { containers: [{ name: 'pytorch', image: 'llama' }] } },
            },
            Worker: {
              replicas: 2,
              template: { spec: { containers: [{ name: 'pytorch', image: 'llama' }] } },
            },
          },
        },
      },
    });
    await env.clients.customObjects.patchNamespacedCustomObjectStatus(
      {
        group: 'kubeflow.org',
        version: 'v1',
        plural: 'pytorchjobs',
        namespace,
        name: 'llama',
        body: {
          status: {
            conditions: [
              { type: 'Created', status: 'True' },
              { type: 'Running', status: 'True', reason: 'PyTorchJobRunning' },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const labels = (role: string) => ({
      'training.kubeflow.org/job-name': 'llama',
      'training.kubeflow.org/replica-type': role,
    });
    const running = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'pytorch',
          image: 'llama',
          imageID: '',
          ready: true,
          restartCount: 0,
          state: { running: {} },
        },
      ],
    };
    await pods.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'llama-master-0', labels: labels('master'), annotations: frozen },
        spec: { nodeName: 'node-1', containers: [{ name: 'pytorch', image: 'llama' }] },
        status: running,
      },
    });
    await pods.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'llama-worker-0', labels: labels('worker'), annotations: frozen },
        spec: { nodeName: 'node-2', containers: [{ name: 'pytorch', image: 'llama' }] },
        status: running,
      },
    });
    await pods.createNamespacedPod({
      namespace,
      body: {
        metadata: {
          name: 'llama-worker-1',
          labels: labels('worker'),
          annotations: {
            ...frozen,
            'sandbox.aegis.io/previous-log.pytorch':
              'rank 2 up\nRuntimeError: NCCL error in: ProcessGroupNCCL.cpp:1275, unhandled system error, NCCL version 2.18.1\nncclSystemError: System call (e.g. socket, malloc) or external library call failed\n',
          },
        },
        spec: { nodeName: 'node-2', containers: [{ name: 'pytorch', image: 'llama' }] },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            {
              name: 'pytorch',
              image: 'llama',
              imageID: '',
              ready: false,
              restartCount: 2,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { reason: 'Error', exitCode: 1 } },
            },
          ],
        },
      },
    });
    const done = await diagnose('job-llama', { kind: 'PytorchJob', name: 'llama', namespace });
    const failures = (done.status?.result?.failures ?? []).join('\n');
    expect(failures).toContain('Only 1 of 2 worker replicas are running and ready');
    expect(failures).toContain('worker pod llama-worker-1: NCCL communication between ranks failed');
    expect(failures).toContain('ncclSystemError');
    expect(done.status?.result?.infos?.join('\n')).toContain('PyTorchJob llama is Running');
  });

  it('diagnoses a failed Workflow step with its exit code and pod log', async () => {
    await env.clients.customObjects.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'workflows',
      namespace,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name: 'drain-gpu-9', annotations: frozen },
        spec: {
          entrypoint: 'drain',
          templates: [{ name: 'drain', container: { image: 'kubectl', command: ['kubectl', 'drain'] } }],
        },
        status: {
          phase: 'Failed',
          message: 'Error (exit code 1)',
          nodes: {
            'drain-gpu-9': {
              id: 'drain-gpu-9',
              name: 'drain-gpu-9',
              displayName: 'drain-gpu-9',
              type: 'Pod',
              templateName: 'drain',
              phase: 'Failed',
              message: 'Error (exit code 1)',
              outputs: { exitCode: '1' },
            },
          },
        },
      },
    });
    await pods.createNamespacedPod({
      namespace,
      body: {
        metadata: {
          name: 'drain-gpu-9',
          labels: { 'workflows.argoproj.io/workflow': 'drain-gpu-9' },
          annotations: {
            ...frozen,
            'workflows.argoproj.io/node-id': 'drain-gpu-9',
            'sandbox.aegis.io/log.main':
              "evicting pod team-a/web-1\nerror: cannot evict pod as it would violate the pod's disruption budget\n",
          },
        },
        spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'kubectl' }] },
        status: {
          phase: 'Failed',
          containerStatuses: [
            {
              name: 'main',
              image: 'kubectl',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: { terminated: { reason: 'Error', exitCode: 1 } },
            },
          ],
        },
      },
    });
    const done = await diagnose('wf-drain', { kind: 'Workflow', name: 'drain-gpu-9', namespace });
    const failures = (done.status?.result?.failures ?? []).join('\n');
    expect(failures).toContain('Step drain-gpu-9 (template drain) failed with exit code 1');
    expect(failures).toContain(
      "log: error: cannot evict pod as it would violate the pod's disruption budget",
    );
  });

  it('completes a diagnosis of a missing object as Unknown, with the reason', async () => {
    const done = await diagnose('pod-missing', { kind: 'Pod', name: 'nope', namespace });
    expect(done.status?.phase).toBe('Completed');
    expect(done.status?.result?.status).toBe('Unknown');
    expect(done.status?.result?.failures).toEqual([`Pod ${namespace}/nope does not exist.`]);
  });

  it('fails a diagnosis that exceeds spec.timeout, saying so', async () => {
    slowNodes = true;
    const done = await diagnose('node-slow', { kind: 'Node', name: 'slow-node' }, { timeout: '1s' });
    slowNodes = false;
    expect(done.status?.phase).toBe('Failed');
    expect(done.status?.errorResult).toContain('did not finish within 1s (spec.timeout)');
  });

  it('shows kind, object, phase and result in kubectl columns', async () => {
    const table = (await (
      await fetch(
        `${env.sandbox.url}/apis/aegis.io/v1alpha1/namespaces/${namespace}/aegisdiagnosises/pod-missing`,
        {
          headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
        },
      )
    ).json()) as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    expect(table.columnDefinitions.map((column) => column.name)).toEqual([
      'Name',
      'Kind',
      'Object',
      'Namespace',
      'Phase',
      'Result',
      'Age',
    ]);
    expect(table.rows[0]?.cells.slice(0, 6)).toEqual([
      'pod-missing',
      'Pod',
      'nope',
      namespace,
      'Completed',
      'Unknown',
    ]);
  });

  it('runs from the CLI: `aegis diagnose pod … -n … --wait` prints the phases and the result, exit 1 when unhealthy', async () => {
    const kubeconfig = join(await mkdtemp(join(tmpdir(), 'aegis-diagnose-')), 'kubeconfig');
    await writeFile(kubeconfig, env.sandbox.kubeconfig);
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, {
        stdout: (text) => void out.push(text),
        stderr: (text) => void err.push(text),
      });
      return { code, stdout: out.join(''), stderr: err.join('') };
    };
    const result = await run(
      'diagnose',
      'pod',
      'trainer-0',
      '-n',
      namespace,
      '--wait',
      '--kubeconfig',
      kubeconfig,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^aegisdiagnosis monitoring\/diag-pod-trainer-0-\w+ created\n/);
    expect(result.stdout).toContain('Completed\n');
    expect(result.stdout).toContain(`of Pod ${namespace}/trainer-0: Completed, UnHealthy`);
    expect(result.stdout).toContain('Failures:\n- Container main keeps crashing');
    const refused = await run('diagnose', 'deployment', 'web', '--kubeconfig', kubeconfig);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('cannot diagnose "deployment": use node, pod, pytorchjob or workflow');
  });

  it('runs examples/diagnosis/ on the sandbox: one diagnosis per kind, with the findings its README shows', async () => {
    const read = async (file: string) =>
      parseAllDocuments(
        await readFile(new URL(`../examples/diagnosis/${file}`, import.meta.url), 'utf8'),
      ).map(
        (document) => document.toJS() as { kind: string; metadata: { name: string; namespace?: string } },
      );
    await env.clients.core.createNamespace({ body: { metadata: { name: 'examples-a' } } });
    // The example's namespace is team-a; here it goes to examples-a, so the other tests' objects stay apart.
    for (const object of await read('broken-objects.yaml')) {
      const body = { ...object, metadata: { ...object.metadata, namespace: 'examples-a' } };
      await env.clients.objects.create(body);
    }
    // Diagnose once the simulation has done what the annotations ask: the step failed, the pods started.
    await eventually(
      async () => {
        const workflow = (await env.clients.customObjects.getNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          plural: 'workflows',
          namespace: 'examples-a',
          name: 'drain-node-1',
        })) as { status?: { phase?: string } };
        const pods = await env.clients.core.listNamespacedPod({
          namespace: 'examples-a',
          labelSelector: 'training.kubeflow.org/job-name=llama',
        });
        return workflow.status?.phase === 'Error' &&
          pods.items.every((pod) => pod.status?.phase === 'Running')
          ? true
          : undefined;
      },
      15_000,
      'the example workflow to fail and its pods to run',
    );
    const names: string[] = [];
    for (const diagnosis of await read('diagnoses.yaml')) {
      const spec = (diagnosis as unknown as { spec: { object: Record<string, string> } }).spec;
      const object =
        spec.object.namespace === undefined ? spec.object : { ...spec.object, namespace: 'examples-a' };
      await env.clients.customObjects.createNamespacedCustomObject({
        ...aegis,
        namespace: 'monitoring',
        body: { ...diagnosis, metadata: { name: diagnosis.metadata.name }, spec: { ...spec, object } },
      });
      names.push(diagnosis.metadata.name);
    }
    const results = new Map<string, AegisDiagnosis>();
    for (const name of names) {
      results.set(
        name,
        await eventually(
          async () => {
            const current = (await env.clients.customObjects.getNamespacedCustomObject({
              ...aegis,
              namespace: 'monitoring',
              name,
            })) as AegisDiagnosis;
            return current.status?.phase === 'Completed' ? current : undefined;
          },
          30_000,
          `example diagnosis ${name}`,
        ),
      );
    }
    const failures = (name: string) => (results.get(name)?.status?.result?.failures ?? []).join('\n');
    expect(results.get('node-node-1')?.status?.result?.status).toBe('Healthy');
    expect(failures('pod-trainer-0')).toContain(
      'Container main keeps crashing (CrashLoopBackOff, 6 restarts); it last exited with Error, exit code 3.',
    );
    expect(failures('pod-trainer-0')).toContain('ERROR: /etc/trainer/config.yaml: no such file or directory');
    expect(failures('pytorchjob-llama')).toContain(
      'worker pod llama-worker-0: NCCL communication between ranks failed',
    );
    expect(failures('workflow-drain-node-1')).toContain(
      "log: error: cannot evict pod as it would violate the pod's disruption budget",
    );
  });
});
