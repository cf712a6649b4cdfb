/** Every tool the agent has, in the order the model sees them. All read, except the one proposal tool. */
import type { AgentTool } from './agent-tool.js';
import { diagnoseTool } from './diagnose-tool.js';
import { getAlertTool } from './get-alert-tool.js';
import { getNodeTool } from './get-node-tool.js';
import { getPodLogsTool } from './get-pod-logs-tool.js';
import { getPodTool } from './get-pod-tool.js';
import { getRuleTool } from './get-rule-tool.js';
import { getTemplateTool } from './get-template-tool.js';
import { listAlertsTool } from './list-alerts-tool.js';
import { listEventsTool } from './list-events-tool.js';
import { listNodesTool } from './list-nodes-tool.js';
import { listPodsTool } from './list-pods-tool.js';
import { listRulesTool } from './list-rules-tool.js';
import { listTemplatesTool } from './list-templates-tool.js';
import { proposeOpsRunTool } from './propose-ops-run-tool.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

export function createAgentTools(dependencies: AgentToolDependencies): AgentTool[] {
  return [
    listAlertsTool(dependencies),
    getAlertTool(dependencies),
    listRulesTool(dependencies),
    getRuleTool(dependencies),
    listTemplatesTool(dependencies),
    getTemplateTool(dependencies),
    listNodesTool(dependencies),
    getNodeTool(dependencies),
    listPodsTool(dependencies),
    getPodTool(dependencies),
    listEventsTool(dependencies),
    getPodLogsTool(dependencies),
    ...(dependencies.diagnoser === undefined ? [] : [diagnoseTool(dependencies.diagnoser)]),
    proposeOpsRunTool(dependencies),
  ];
}
