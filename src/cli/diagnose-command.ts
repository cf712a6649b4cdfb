/**
 * `aegis diagnose <kind> <name> [-n ns] [--wait]`: creates an AegisDiagnosis (in AEGIS_NAMESPACE) for a Node,
 * Pod, PyTorchJob or Workflow; with --wait, prints the phases as they come and the result. Exit code 1 when the
 * object is unhealthy or the diagnosis failed.
 */
import {
  describeDiagnosis,
  diagnosisResource,
  parseTargetKind,
  requestDiagnosis,
  waitForDiagnosis,
} from '../controller/diagnosis/index.js';
import type { AegisDiagnosis } from '../core/resources/index.js';
import { createCustomObjectClient, type KubeClients } from '../kube/index.js';

export interface DiagnoseOptions {
  namespace?: string;
  kubeconfig?: string;
  wait?: boolean;
  /** Seconds to wait with --wait (default 360). */
  timeout?: number;
  language?: string;
}

export interface DiagnoseCommandHandlers {
  diagnose(kind: string, name: string, options: DiagnoseOptions): Promise<void>;
}

export function diagnosisClientFrom(clients: KubeClients) {
  return createCustomObjectClient<AegisDiagnosis>(clients, diagnosisResource);
}

/** Returns the exit code. */
export async function diagnose(
  kindWord: string,
  name: string,
  options: DiagnoseOptions & { defaultNamespace: string; requestedBy: string },
  store: ReturnType<typeof diagnosisClientFrom>,
  dependencies: { print(text: string): void },
): Promise<number> {
  const kind = parseTargetKind(kindWord);
  const created = await requestDiagnosis(store, {
    kind,
    name,
    ...(options.namespace === undefined ? {} : { objectNamespace: options.namespace }),
    namespace: options.defaultNamespace,
    requestedBy: options.requestedBy,
    ...(options.language === undefined ? {} : { language: options.language }),
  });
  const namespace = created.metadata.namespace ?? options.defaultNamespace;
  const diagnosisName = created.metadata.name ?? '';
  dependencies.print(`aegisdiagnosis ${namespace}/${diagnosisName} created\n`);
  if (options.wait !== true) return 0;
  const done = await waitForDiagnosis(store, namespace, diagnosisName, {
    timeoutMs: (options.timeout ?? 360) * 1000,
    onPhase: (phase) => dependencies.print(`${phase}\n`),
  });
  const described = describeDiagnosis(done);
  dependencies.print(`\n${described.text}`);
  return described.healthy ? 0 : 1;
}
