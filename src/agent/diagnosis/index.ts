/** The LLM summary of a diagnosis (optional; without an LLM the controller writes the rule-based one). */
export {
  createLlmDiagnosisExplainer,
  type DiagnosisExplainRequest,
  type LlmDiagnosisExplainerOptions,
} from './create-diagnosis-explainer.js';
export {
  diagnosisPromptTokenBudget,
  fillDiagnosisPrompt,
  loadDiagnosisPrompt,
  type DiagnosisPromptInput,
} from './render-diagnosis-prompt.js';
