/** AegisDiagnosis: the reconciler, the work queue that collects and analyses, and the collectors. */
export {
  diagnosisControllerName,
  diagnosisResource,
  diagnosisWorkQueueName,
  startDiagnosisController,
  type DiagnosisController,
  type DiagnosisControllerOptions,
  type DiagnosisObject,
} from './start-diagnosis-controller.js';
export { createDiagnosisReconciler } from './diagnosis-reconciler.js';
export { createDiagnosisWork } from './run-diagnosis-work.js';
export { collectFacts } from './collect-facts.js';
export { builtinCollectorScript, collectorPodManifest } from './collector-pod.js';
export type { CollectOptions, CollectorPodSettings, LogBudget } from './collect-options.js';
export type { DiagnosisExplainer, DiagnosisStore, ExplainInput } from './diagnosis-ports.js';
export { describeTarget, targetOf, type DiagnosisTarget, type TargetKind } from './diagnosis-target.js';
export { describeDiagnosis } from './describe-diagnosis.js';
export {
  parseTargetKind,
  requestDiagnosis,
  waitForDiagnosis,
  type DiagnosisRequest,
  type DiagnosisRequestStore,
} from './request-diagnosis.js';
export {
  createObjectDiagnoser,
  type ObjectDiagnoser,
  type ObjectToDiagnose,
} from './diagnose-object.js';
