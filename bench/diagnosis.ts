/**
 * Diagnosis without an LLM on the sandbox (in this process) and a real Redis: time from creating an
 * AegisDiagnosis to `Completed` per kind (p50, p95), 100 diagnoses created at once, and the LLM prompt's tokens
 * per kind. Baseline, same run: collecting and analysing the same object directly (no CR, no queues), so the
 * ratio is what the controller path (CR create, watch, two queues, three status writes) adds.
 */
import { randomUUID } from 'node:crypto';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createLlmDiagnosisExplainer, createRedactor, estimateTokens } from '../src/agent/index.js';
import { collectFacts, startDiagnosisController, targetOf } from '../src/controller/diagnosis/index.js';
import { diagnoseFacts } from '../src/core/diagnosis/index.js';
import type { AegisDiagnosis } from '../src/core/resources/index.js';
import { createDiagnosisCluster, createKubeClients, installCrds, readCrdManifests } from '../src/kube/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { median, percentile, writeResults } from './support/stats.js';

const namespace = 'bench';
const aegis = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisdiagnosises' } as const;
const frozen = { 'sandbox.aegis.io/frozen': 'true' };
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const logs = { keywords: ['error', 'nccl', 'cuda'], fetchLines: 1_000, maxLines: 60 };

const redis = await startRedisProcess();
const sandbox = await startSandbox({ nodes: 3 });
const clients = createKubeClients({ yaml: sandbox.kubeconfig });
await installCrds(clients, await readCrdManifests());
await clients.core.createNamespace({ body: { metadata: { name: namespace } } });

const longLog = Array.from({ length: 2_000 }, (_, index) => (index % 97 === 0 ? `ERROR step ${index}: NCCL timeout` : `step ${index} loss 0.${index}`)).join('\n');
async function pod(name: string, labels: Record<string, string>, status: object, annotations: Record<string, string> = {}): Promise<void> {
  await clients.core.createNamespacedPod({ namespace, body: { metadata: { name, labels, annotations: { ...frozen, ...annotations } }, spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'x' }] } } });
  await clients.core.patchNamespacedPodStatus({ namespace, name, body: { status } }, mergePatch);
}
const crashing = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 5, containerID: 'c://1', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }] };
const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] };
await pod('trainer-0', {}, crashing, { 'sandbox.aegis.io/log.main': longLog, 'sandbox.aegis.io/previous-log.main': longLog });
const jobLabels = (role: string) => ({ 'training.kubeflow.org/job-name': 'llama', 'training.kubeflow.org/replica-type': role });
await clients.customObjects.createNamespacedCustomObject({ group: 'kubeflow.org', version: 'v1', plural: 'pytorchjobs', namespace, body: { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: { name: 'llama' }, spec: { pytorchReplicaSpecs: { Master: { replicas: 1, template: {} }, Worker: { replicas: 8, template: {} } } } } });
await clients.customObjects.patchNamespacedCustomObjectStatus({ group: 'kubeflow.org', version: 'v1', plural: 'pytorchjobs', namespace, name: 'llama', body: { status: { conditions: [{ type: 'Running', status: 'True' }] } } }, mergePatch);
await pod('llama-master-0', jobLabels('master'), running);
for (let index = 0; index < 8; index += 1) {
  await pod(`llama-worker-${index}`, jobLabels('worker'), index < 2 ? crashing : running, index < 2 ? { 'sandbox.aegis.io/previous-log.main': longLog } : {});
}
await clients.customObjects.createNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows', namespace, body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'drain', annotations: frozen }, spec: { entrypoint: 'drain', templates: [{ name: 'drain', container: { image: 'k' } }] }, status: { phase: 'Failed', message: 'Error (exit code 1)', nodes: { drain: { id: 'drain', name: 'drain', type: 'Pod', phase: 'Failed', message: 'Error (exit code 1)', outputs: { exitCode: '1' } } } } } });
await pod('drain', { 'workflows.argoproj.io/workflow': 'drain' }, { phase: 'Failed', containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }] }, { 'workflows.argoproj.io/node-id': 'drain', 'sandbox.aegis.io/log.main': longLog });

const controller = await startDiagnosisController({ clients, redisUrl: redis.url, prefix: `bench-diag-${randomUUID().slice(0, 8)}`, logs, defaultTimeoutMs: 60_000, defaultTtlMs: 86_400_000, language: 'English', concurrency: 16 });
const cluster = createDiagnosisCluster(clients);

const objects = {
  Pod: { kind: 'Pod', name: 'trainer-0', namespace },
  Node: { kind: 'Node', name: 'node-1' },
  PyTorchJob: { kind: 'PyTorchJob', name: 'llama', namespace },
  Workflow: { kind: 'Workflow', name: 'drain', namespace },
} as const;

async function runOne(object: Record<string, string>): Promise<number> {
  const start = performance.now();
  const created = (await clients.customObjects.createNamespacedCustomObject({ ...aegis, namespace, body: { apiVersion: 'aegis.io/v1alpha1', kind: 'AegisDiagnosis', metadata: { generateName: 'bench-' }, spec: { object } } })) as AegisDiagnosis;
  const name = created.metadata.name ?? '';
  for (;;) {
    const current = (await clients.customObjects.getNamespacedCustomObject({ ...aegis, namespace, name })) as AegisDiagnosis;
    if (current.status?.phase === 'Completed' || current.status?.phase === 'Failed') break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - start;
}

const redactor = createRedactor();
const explainer = createLlmDiagnosisExplainer({ llm: { model: 'none', complete: () => Promise.reject(new Error('no LLM in the benchmark')) }, redactor, keywords: logs.keywords });
const perKind: Record<string, unknown> = {};
const rounds = 15;
for (const [kind, object] of Object.entries(objects)) {
  const direct: number[] = [];
  const viaController: number[] = [];
  let promptTokens = 0;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    const target = targetOf({ metadata: { namespace }, spec: { object } });
    const facts = await collectFacts(cluster, target, { logs, signal: new AbortController().signal });
    const outcome = diagnoseFacts(facts);
    direct.push(performance.now() - start);
    if (round === 0) {
      promptTokens = estimateTokens(await explainer.prompt({ target, facts, outcome, language: 'English', signal: new AbortController().signal }));
    }
    viaController.push(await runOne(object));
  }
  perKind[kind] = {
    p50Ms: Math.round(median(viaController)),
    p95Ms: Math.round(percentile(viaController, 95)),
    directP50Ms: Math.round(median(direct) * 10) / 10,
    ratio: Math.round((median(viaController) / median(direct)) * 10) / 10,
    promptTokens,
  };
  console.log(`${kind}: CR → Completed p50 ${Math.round(median(viaController))} ms (p95 ${Math.round(percentile(viaController, 95))}); direct collect+analyse p50 ${median(direct).toFixed(1)} ms; prompt ${promptTokens} tokens`);
}

const burstStart = performance.now();
const burst = await Promise.all(Array.from({ length: 100 }, () => runOne(objects.Pod)));
const burstMs = performance.now() - burstStart;
console.log(`100 Pod diagnoses at once: all Completed in ${(burstMs / 1000).toFixed(2)} s (p50 ${Math.round(median(burst))} ms each)`);

await writeResults('diagnosis', {
  note: 'sandbox in this process; no LLM; shared 2-core machine under load from other work',
  perKind,
  burst100: { allDoneMs: Math.round(burstMs), p50Ms: Math.round(median(burst)), targetMs: 10_000 },
  targets: { p50Ms: 300, promptTokens: 6_000 },
});
await controller.stop();
await sandbox.close();
await redis.stop();
