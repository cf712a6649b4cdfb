export { kubectlInstructions, shellQuote } from './kubectl-instructions.js';
export { packageVersion } from './package-version.js';
export {
  createProgram,
  type AlertSendFlags,
  type ApprovalFlags,
  type CommandHandlers,
  type ProgramOutput,
  type SandboxFlags,
} from './program.js';
export { startStandaloneSandbox, type RunningSandbox } from './start-standalone-sandbox.js';
export { installAegisCrds, startServe, type RunningServe, type ServeDependencies } from './start-serve.js';
export { alertSendDefaultsFrom, sendAlert } from './alert-send.js';
export {
  approvalDefaultsFrom,
  runApprovalCommand,
  type ApprovalCommandDefaults,
  type ApprovalCommandFlags,
} from './approval-commands.js';
export {
  addTemplateCommands,
  renderTemplateCommand,
  templateAlertFromFile,
  templateManifestFromFile,
  type TemplateCommandHandlers,
  type TemplateRenderDefaults,
  type TemplateRenderOptions,
} from './template-commands.js';
export {
  addRuleCommands,
  connectCliKubernetes,
  createRulesFromFile,
  deleteRule,
  getRules,
  lintRuleFiles,
  lintText,
  ruleKubeFrom,
  type LintProblem,
  type RuleCommandHandlers,
  type RuleCommandOptions,
} from './rule-commands.js';
export {
  addChatCommand,
  chatAgentSettingsFrom,
  chatLlmFrom,
  formatReply,
  noLlmMessage,
  runChat,
  startChat,
  type ChatCommandHandlers,
  type ChatFlags,
  type ChatTerminal,
  type StartChatOptions,
} from './chat-command.js';
