export { kubectlInstructions, shellQuote } from './kubectl-instructions.js';
export { packageVersion } from './package-version.js';
export {
  createProgram,
  type AlertSendFlags,
  type CommandHandlers,
  type ProgramOutput,
  type SandboxFlags,
} from './program.js';
export { startStandaloneSandbox, type RunningSandbox } from './start-standalone-sandbox.js';
export { installAegisCrds, startServe, type RunningServe, type ServeDependencies } from './start-serve.js';
export { alertSendDefaultsFrom, sendAlert } from './alert-send.js';
