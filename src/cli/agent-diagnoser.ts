/** The agent's `diagnose` tool on the cluster: the diagnosis collectors with the configured log budget, reads only. */
import type { AegisConfig } from '../config/index.js';
import { createObjectDiagnoser, type ObjectDiagnoser } from '../controller/diagnosis/index.js';
import { createDiagnosisCluster, type KubeClients } from '../kube/index.js';

export function agentDiagnoser(config: AegisConfig, clients: KubeClients): ObjectDiagnoser {
  return createObjectDiagnoser(createDiagnosisCluster(clients), {
    keywords: config.diagnosisLogKeywords,
    fetchLines: config.diagnosisLogFetchLines,
    maxLines: config.diagnosisLogMaxLines,
  });
}
