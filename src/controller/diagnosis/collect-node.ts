/** Facts about a Node: the object, its Events, the pods bound to it, and (when enabled) the collector pod. */
import type { DiagnosisCluster, MissingFacts, NodeFacts } from '../../core/diagnosis/index.js';
import { collectLimits, type CollectOptions } from './collect-options.js';
import { runCollectorPod } from './collector-pod.js';

export async function collectNode(
  cluster: DiagnosisCluster,
  name: string,
  options: CollectOptions,
): Promise<NodeFacts | MissingFacts> {
  const node = await cluster.getNode(name);
  if (node === undefined)
    return { kind: 'Missing', objectKind: 'Node', reason: `Node ${name} does not exist.` };
  const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready')?.status === 'True';
  const [events, pods, collector] = await Promise.all([
    cluster.listEvents({ kind: 'Node', name, limit: collectLimits.events }),
    cluster.listPods({ node: name, limit: collectLimits.pods }),
    // A pod cannot start on a node that is not Ready; the diagnosis says why from the conditions instead.
    options.collectorPod === undefined
      ? Promise.resolve(undefined)
      : ready
        ? runCollectorPod(cluster, name, options.collectorPod, options.signal).catch((error: unknown) => ({
            sections: {},
            error: error instanceof Error ? error.message : String(error),
          }))
        : Promise.resolve({
            sections: {},
            error: 'the node is not Ready, so no collector pod can run on it',
          }),
  ]);
  return { kind: 'Node', node, events, pods, ...(collector === undefined ? {} : { collector }) };
}
