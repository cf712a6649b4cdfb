/** Facts about an Argo Workflow: the object, its Events, and the pods of its failed steps (with their logs). */
import type { DiagnosisCluster, MissingFacts, WorkflowFacts } from '../../core/diagnosis/index.js';
import { collectLimits, type LogBudget } from './collect-options.js';
import { collectPodFacts } from './collect-pod.js';

const workflowLabel = 'workflows.argoproj.io/workflow';
const nodeIdAnnotation = 'workflows.argoproj.io/node-id';

export async function collectWorkflow(
  cluster: DiagnosisCluster,
  namespace: string,
  name: string,
  budget: LogBudget,
): Promise<WorkflowFacts | MissingFacts> {
  const workflow = await cluster.getWorkflow(namespace, name);
  if (workflow === undefined) {
    return {
      kind: 'Missing',
      objectKind: 'Workflow',
      reason: `Workflow ${namespace}/${name} does not exist (or the argoproj.io API is not installed).`,
    };
  }
  const failedIds = new Set(
    Object.values(workflow.status?.nodes ?? {})
      .filter(
        (node) =>
          node !== undefined && (node.phase === 'Failed' || node.phase === 'Error') && node.type === 'Pod',
      )
      .map((node) => node?.id ?? ''),
  );
  const [events, pods] = await Promise.all([
    cluster.listEvents({ kind: 'Workflow', name, namespace, limit: collectLimits.events }),
    failedIds.size === 0
      ? Promise.resolve([])
      : cluster.listPods({ namespace, labelSelector: `${workflowLabel}=${name}`, limit: collectLimits.pods }),
  ]);
  const failedPods = pods
    .filter((pod) => failedIds.has(pod.metadata?.annotations?.[nodeIdAnnotation] ?? ''))
    .slice(0, collectLimits.failedSteps);
  const stepPods = await Promise.all(
    failedPods.map(async (pod) => ({
      ...(await collectPodFacts(cluster, pod, budget)),
      nodeId: pod.metadata?.annotations?.[nodeIdAnnotation] ?? '',
    })),
  );
  return { kind: 'Workflow', workflow, events, stepPods };
}
