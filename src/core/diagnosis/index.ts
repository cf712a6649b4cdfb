/** Diagnosis: facts about a Node, Pod, PyTorchJob or Workflow, the pure analyzers over them, and the summary. */
export type {
  CollectorOutput,
  ContainerLog,
  DiagnosisFacts,
  MissingFacts,
  NodeFacts,
  ObjectEvent,
  PodFacts,
  PyTorchJobFacts,
  WorkflowFacts,
} from './diagnosis-facts.js';
export type {
  ContainerStatus,
  NodeObject,
  PodObject,
  PyTorchJobObject,
  StatusCondition,
  WorkflowObject,
} from './kube-shapes.js';
export { failure, formatFinding, info, warning, type Finding, type FindingSeverity } from './finding.js';
export { filterLogLines, splitLogLines, type LogFilterOptions } from './filter-log-lines.js';
export { analyzePod } from './analyze-pod.js';
export { analyzeNode } from './analyze-node.js';
export { findGpuErrors, xidMeaning } from './gpu-errors.js';
export {
  activeJobCondition,
  analyzePyTorchJob,
  isAbnormalPod,
  jobNameLabel,
  podRole,
  replicaTypeLabel,
} from './analyze-pytorchjob.js';
export { analyzeWorkflow } from './analyze-workflow.js';
export { findTrainingErrors } from './training-log-errors.js';
export { diagnoseFacts, resultOf, type DiagnosisOutcome, type DiagnosisVerdict } from './diagnose-facts.js';
export { explainFindings, solutionFor } from './explain-findings.js';
export { parseCollectorOutput } from './parse-collector-output.js';
export type { DiagnosisCluster, PodLogRequest } from './diagnosis-ports.js';
