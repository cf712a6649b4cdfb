/**
 * The alert reconciler: a firing AegisAlert → rule → template → (approval) → its one Argo Workflow, whose phase
 * flows back into the alert's status, conditions and Events and into the template's outcome counters.
 */
export {
  startAlertController,
  type AlertController,
  type AlertControllerOptions,
} from './start-alert-controller.js';
export {
  createAlertReconciler,
  type AlertReconcilerDependencies,
  type ObjectCache,
} from './reconcile-alert.js';
export {
  alertWorkflowName,
  decideAlertAction,
  maxApprovalManifestLength,
  needsTrigger,
  silencedMessage,
  triggerFailure,
  triggeredStatus,
  type AlertAction,
  type AlertDecisionContext,
  type AlertFact,
  type AlertObject,
  type StatusPatch,
  type TriggerResolution,
} from './decide-alert-action.js';
export {
  buildAlertWorkflow,
  parseReference,
  viewWorkflow,
  workflowAnnotations,
  workflowNameFor,
  type WorkflowPhase,
  type WorkflowView,
} from './alert-workflow.js';
export { alertConditionTypes, setCondition } from './alert-conditions.js';
export { createOutcomeLedger, type OutcomeLedger, type TemplateCounts } from './outcome-ledger.js';
export { createAlertMetrics, noopAlertMetrics, type AlertMetrics } from './alert-metrics.js';
export {
  alertReconcilerErrorCodes,
  type AlertEvent,
  type AlertStatusWriter,
  type EventRecorder,
  type EventType,
  type ObjectReferenceView,
  type RuleApprovalView,
  type RuleMatch,
  type RuleMatcher,
  type RuleView,
  type SilenceView,
  type TemplateStatusStore,
  type TemplateView,
  type WorkflowObject,
  type WorkflowStore,
} from '../../core/ports/index.js';
