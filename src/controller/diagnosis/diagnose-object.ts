/**
 * Diagnose one object in-process, without an AegisDiagnosis: the same collectors and analyzers the reconciler
 * runs, with reads only (no collector pod, even when the controller has one enabled). The agent's `diagnose`
 * tool uses it, so the agent stays a reader.
 */
import type { DiagnosisCluster, DiagnosisOutcome } from '../../core/diagnosis/index.js';
import { diagnoseFacts } from '../../core/diagnosis/index.js';
import { collectFacts } from './collect-facts.js';
import type { LogBudget } from './collect-options.js';
import type { DiagnosisTarget, TargetKind } from './diagnosis-target.js';

export interface ObjectToDiagnose {
  readonly kind: TargetKind;
  readonly name: string;
  /** Namespace of the object (ignored for a Node; `default` when absent). */
  readonly namespace?: string | undefined;
}

export interface ObjectDiagnoser {
  diagnose(object: ObjectToDiagnose, signal: AbortSignal): Promise<DiagnosisOutcome>;
}

export function createObjectDiagnoser(cluster: DiagnosisCluster, logs: LogBudget): ObjectDiagnoser {
  return {
    async diagnose(object, signal) {
      const namespace = object.kind === 'Node' ? '' : (object.namespace ?? 'default');
      const target: DiagnosisTarget = { kind: object.kind, name: object.name, namespace };
      const facts = await collectFacts(cluster, target, { logs, signal });
      return diagnoseFacts(facts);
    },
  };
}
