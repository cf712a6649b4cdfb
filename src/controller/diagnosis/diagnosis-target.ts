/** Which object a diagnosis is about, resolved from its spec (namespace defaults to the diagnosis's own). */
import type { AegisDiagnosis } from '../../core/resources/index.js';

export type TargetKind = 'Node' | 'Pod' | 'PyTorchJob' | 'Workflow';

export interface DiagnosisTarget {
  readonly kind: TargetKind;
  readonly name: string;
  /** Empty for a Node. */
  readonly namespace: string;
}

export function targetOf(diagnosis: Pick<AegisDiagnosis, 'spec' | 'metadata'>): DiagnosisTarget {
  const object = diagnosis.spec.object;
  const kind: TargetKind = object.kind === 'PytorchJob' ? 'PyTorchJob' : object.kind;
  const namespace = kind === 'Node' ? '' : (object.namespace ?? diagnosis.metadata.namespace ?? 'default');
  return { kind, name: object.name, namespace };
}

export function describeTarget(target: DiagnosisTarget): string {
  return target.kind === 'Node' ? `Node ${target.name}` : `${target.kind} ${target.namespace}/${target.name}`;
}
