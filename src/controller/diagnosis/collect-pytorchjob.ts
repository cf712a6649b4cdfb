/**
 * Facts about a kubeflow.org/v1 PyTorchJob: the job, its Events, its pods (by the training operator's
 * job-name label), and the master plus up to five abnormal workers collected as pods.
 */
import { isAbnormalPod, jobNameLabel, podRole } from '../../core/diagnosis/index.js';
import type { DiagnosisCluster, MissingFacts, PyTorchJobFacts } from '../../core/diagnosis/index.js';
import { collectLimits, type LogBudget } from './collect-options.js';
import { collectPodFacts } from './collect-pod.js';

export async function collectPyTorchJob(
  cluster: DiagnosisCluster,
  namespace: string,
  name: string,
  budget: LogBudget,
): Promise<PyTorchJobFacts | MissingFacts> {
  const job = await cluster.getPyTorchJob(namespace, name);
  if (job === undefined) {
    return {
      kind: 'Missing',
      objectKind: 'PyTorchJob',
      reason: `PyTorchJob ${namespace}/${name} does not exist (or the kubeflow.org/v1 API is not installed).`,
    };
  }
  const [events, pods] = await Promise.all([
    cluster.listEvents({ kind: 'PyTorchJob', name, namespace, limit: collectLimits.events }),
    cluster.listPods({ namespace, labelSelector: `${jobNameLabel}=${name}`, limit: collectLimits.pods }),
  ]);
  const masters = pods.filter((pod) => podRole(pod) === 'master');
  const abnormalWorkers = pods
    .filter((pod) => podRole(pod) === 'worker' && isAbnormalPod(pod))
    .slice(0, collectLimits.abnormalWorkers);
  const analysedPods = await Promise.all(
    [...masters.slice(0, 1), ...abnormalWorkers].map((pod) => collectPodFacts(cluster, pod, budget)),
  );
  return { kind: 'PyTorchJob', job, events, pods, analysedPods };
}
