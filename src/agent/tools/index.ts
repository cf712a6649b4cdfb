export type { AgentTool, AgentToolContext, AgentToolKind } from './agent-tool.js';
export { createAgentTools } from './agent-tools.js';
export type {
  ClusterReader,
  EventQuery,
  PlainEvent,
  PlainNode,
  PlainPod,
  PodListQuery,
  PodLogQuery,
} from '../../core/ports/index.js';
export { maxLogLines } from './get-pod-logs-tool.js';
export type { ProposalResult } from './propose-ops-run-tool.js';
export {
  defaultMaxOutputChars,
  defaultToolTimeoutMs,
  runTool,
  ToolTimeoutError,
  type ToolInvocation,
  type ToolRunOptions,
} from './run-tool.js';
export { summarizeAlert } from './summarize-objects.js';
export type { AgentToolDependencies, ObjectDiagnoser, OpsRequestCreator } from './tool-dependencies.js';
