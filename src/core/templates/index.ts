/**
 * Ops templates: Go-style `{{.x}}` templates (as upstream writes them) rendered safely into Argo Workflows.
 * Pure: no Kubernetes, no I/O.
 */
export {
  renderOpsTemplate,
  validateOpsTemplate,
  maxManifestLength,
  type RenderResult,
} from './render-template.js';
export {
  buildRunVariables,
  buildTemplateVariables,
  type TemplateAlert,
  type TemplateVariables,
} from './template-variables.js';
export { runGoTemplate } from './run-go-template.js';
export {
  describeCharacter,
  isRawSafe,
  maxRawValueLength,
  rawValueProblem,
  shellQuote,
  shellQuoteProblem,
  type RawValueProblem,
} from './shell-safety.js';
export type { TemplateFailureReason } from './template-problem.js';
export { canonicalJson, workflowDigest } from './canonical-digest.js';
export {
  argoApiVersion,
  formatCommandLine,
  workflowScripts,
  workflowShapeProblem,
} from './workflow-shape.js';
export { workflowServiceAccountProblem } from './workflow-service-accounts.js';
