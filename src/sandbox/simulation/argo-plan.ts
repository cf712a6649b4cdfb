import { argoNodeId, argoPodName } from './argo-naming.js';

export interface ArgoTemplate {
  name?: string;
  container?: { image?: string; command?: string[]; args?: string[] };
  script?: { image?: string; command?: string[]; source?: string };
  steps?: { name?: string; template?: string }[][];
  dag?: { tasks?: { name?: string; template?: string }[] };
}

export interface PlannedStep {
  nodeId: string;
  nodeName: string;
  displayName: string;
  templateName: string;
  podName: string;
  image: string;
  /** What the step would run, shown in the sandbox's pod log. Never executed. */
  commandLine: string;
}

export interface WorkflowPlan {
  rootType: 'Pod' | 'Steps' | 'DAG';
  rootTemplate: string;
  steps: PlannedStep[];
}

function commandLineOf(template: ArgoTemplate): string {
  if (template.container !== undefined) return [...(template.container.command ?? []), ...(template.container.args ?? [])].join(' ');
  if (template.script !== undefined) return template.script.source ?? '';
  return '';
}

function imageOf(template: ArgoTemplate): string {
  return template.container?.image ?? template.script?.image ?? 'argoproj/argoexec:latest';
}

/** The pods a Workflow runs, in order: the entrypoint itself, or its steps / DAG tasks one level down. */
export function planWorkflow(workflowName: string, spec: { entrypoint?: string; templates?: ArgoTemplate[] }): WorkflowPlan {
  const templates = new Map((spec.templates ?? []).map((t) => [t.name ?? '', t]));
  const entry = templates.get(spec.entrypoint ?? '') ?? spec.templates?.[0];
  const entryName = entry?.name ?? 'main';
  if (entry === undefined || (entry.steps === undefined && entry.dag === undefined)) {
    const template = entry ?? {};
    return {
      rootType: 'Pod',
      rootTemplate: entryName,
      steps: [
        {
          nodeId: workflowName,
          nodeName: workflowName,
          displayName: workflowName,
          templateName: entryName,
          podName: argoPodName(workflowName, entryName, workflowName),
          image: imageOf(template),
          commandLine: commandLineOf(template),
        },
      ],
    };
  }
  const children: { name: string; nodeName: string; template: string }[] = [];
  if (entry.steps !== undefined) {
    entry.steps.forEach((group, index) => {
      for (const step of group) {
        children.push({ name: step.name ?? '', nodeName: `${workflowName}[${index}].${step.name ?? ''}`, template: step.template ?? '' });
      }
    });
  } else {
    for (const task of entry.dag?.tasks ?? []) {
      children.push({ name: task.name ?? '', nodeName: `${workflowName}.${task.name ?? ''}`, template: task.template ?? '' });
    }
  }
  return {
    rootType: entry.steps !== undefined ? 'Steps' : 'DAG',
    rootTemplate: entryName,
    steps: children.map((child) => {
      const template = templates.get(child.template) ?? {};
      return {
        nodeId: argoNodeId(workflowName, child.nodeName),
        nodeName: child.nodeName,
        displayName: child.name,
        templateName: child.template,
        podName: argoPodName(workflowName, child.template, child.nodeName),
        image: imageOf(template),
        commandLine: commandLineOf(template),
      };
    }),
  };
}
