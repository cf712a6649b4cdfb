/**
 * Facts about one Pod: the object, its Events, and the current and previous logs of its failing containers
 * (terminated with a non-zero code, crash-looping or restarted), cut to their budget by the keyword filter.
 */
import { filterLogLines, splitLogLines } from '../../core/diagnosis/index.js';
import type {
  ContainerLog,
  ContainerStatus,
  DiagnosisCluster,
  MissingFacts,
  PodFacts,
  PodObject,
} from '../../core/diagnosis/index.js';
import { collectLimits, type LogBudget } from './collect-options.js';

export async function collectPod(
  cluster: DiagnosisCluster,
  namespace: string,
  name: string,
  budget: LogBudget,
): Promise<PodFacts | MissingFacts> {
  const pod = await cluster.getPod(namespace, name);
  if (pod === undefined) {
    return { kind: 'Missing', objectKind: 'Pod', reason: `Pod ${namespace}/${name} does not exist.` };
  }
  return await collectPodFacts(cluster, pod, budget);
}

/** Events and logs of a pod already read (also used for PyTorchJob replicas and Workflow steps). */
export async function collectPodFacts(
  cluster: DiagnosisCluster,
  pod: PodObject,
  budget: LogBudget,
): Promise<PodFacts> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const [events, logs] = await Promise.all([
    cluster.listEvents({ kind: 'Pod', name, namespace, limit: collectLimits.events }),
    collectLogs(cluster, pod, budget),
  ]);
  return { kind: 'Pod', pod, events, logs };
}

/** A container worth reading: it failed, crash-loops or restarted after a failure. */
export function isFailingContainer(status: ContainerStatus): boolean {
  const terminated = status.state?.terminated;
  if (terminated !== undefined && (terminated.exitCode ?? 0) !== 0) return true;
  if (status.state?.waiting?.reason === 'CrashLoopBackOff') return true;
  const last = status.lastState?.terminated;
  return (status.restartCount ?? 0) > 0 && last !== undefined && (last.exitCode ?? 0) !== 0;
}

async function collectLogs(
  cluster: DiagnosisCluster,
  pod: PodObject,
  budget: LogBudget,
): Promise<ContainerLog[]> {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const failing = statuses.filter(isFailingContainer).slice(0, collectLimits.containersPerPod);
  const reads: Promise<ContainerLog | undefined>[] = [];
  for (const status of failing) {
    const container = status.name ?? '';
    // The current log exists once the container started; the previous one after a restart.
    if (
      status.state?.terminated !== undefined ||
      status.state?.running !== undefined ||
      status.containerID !== undefined
    ) {
      reads.push(readLog(cluster, pod, container, false, budget));
    }
    if ((status.restartCount ?? 0) > 0 || status.lastState?.terminated !== undefined) {
      reads.push(readLog(cluster, pod, container, true, budget));
    }
  }
  return (await Promise.all(reads)).filter((log): log is ContainerLog => log !== undefined);
}

async function readLog(
  cluster: DiagnosisCluster,
  pod: PodObject,
  container: string,
  previous: boolean,
  budget: LogBudget,
): Promise<ContainerLog | undefined> {
  try {
    const text = await cluster.readPodLog({
      namespace: pod.metadata?.namespace ?? 'default',
      name: pod.metadata?.name ?? '',
      container,
      previous,
      tailLines: budget.fetchLines,
      limitBytes: collectLimits.logBytes,
    });
    const lines = filterLogLines(splitLogLines(text), {
      keywords: budget.keywords,
      maxLines: budget.maxLines,
    });
    return { container, previous, lines };
  } catch (error) {
    // A log that cannot be read (no previous instance, node gone) is recorded, not fatal.
    return { container, previous, lines: [], error: error instanceof Error ? error.message : String(error) };
  }
}
