/** Dispatch to the collector of the target's kind. */
import type { DiagnosisCluster, DiagnosisFacts } from '../../core/diagnosis/index.js';
import { collectNode } from './collect-node.js';
import type { CollectOptions } from './collect-options.js';
import { collectPod } from './collect-pod.js';
import { collectPyTorchJob } from './collect-pytorchjob.js';
import { collectWorkflow } from './collect-workflow.js';
import type { DiagnosisTarget } from './diagnosis-target.js';

export async function collectFacts(
  cluster: DiagnosisCluster,
  target: DiagnosisTarget,
  options: CollectOptions,
): Promise<DiagnosisFacts> {
  switch (target.kind) {
    case 'Node':
      return await collectNode(cluster, target.name, options);
    case 'Pod':
      return await collectPod(cluster, target.namespace, target.name, options.logs);
    case 'PyTorchJob':
      return await collectPyTorchJob(cluster, target.namespace, target.name, options.logs);
    case 'Workflow':
      return await collectWorkflow(cluster, target.namespace, target.name, options.logs);
  }
}
