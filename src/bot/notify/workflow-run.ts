/**
 * An Argo Workflow as an alert's thread follows it: the rule and template it came from (its `aegis.io/*`
 * annotations) and its pod steps in the order they started, each with its phase, times, message and pod name
 * (for the log tail of a failed step). Pure: reads the Workflow JSON as the API server sends it, tolerating
 * anything missing.
 */
import type { WorkflowStepView } from '../render/index.js';

export interface WorkflowRun {
  readonly name: string;
  readonly rule?: string;
  readonly template?: string;
  readonly steps: readonly WorkflowStepRun[];
}

export interface WorkflowStepRun extends WorkflowStepView {
  /** The step's node id (stable across updates). */
  readonly id: string;
  /** The pod that ran it (Argo's POD_NAMES v2 naming unless the Workflow says v1). */
  readonly podName: string;
}

interface ArgoNode {
  id?: unknown;
  displayName?: unknown;
  name?: unknown;
  type?: unknown;
  templateName?: unknown;
  phase?: unknown;
  startedAt?: unknown;
  finishedAt?: unknown;
  message?: unknown;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Steps shown per workflow; a huge fan-out is summarised by its first ones. */
const maxSteps = 30;

export function workflowRunFrom(workflow: unknown): WorkflowRun | undefined {
  if (typeof workflow !== 'object' || workflow === null) return undefined;
  const object = workflow as {
    metadata?: { name?: unknown; annotations?: Record<string, unknown> };
    status?: { nodes?: unknown };
  };
  const name = text(object.metadata?.name);
  if (name === undefined) return undefined;
  const annotations = object.metadata?.annotations ?? {};
  const v1Names = annotations['workflows.argoproj.io/pod-name-format'] === 'v1';
  const nodes = object.status?.nodes;
  const pods = (
    typeof nodes === 'object' && nodes !== null ? Object.values(nodes as Record<string, unknown>) : []
  )
    .filter((node): node is ArgoNode => typeof node === 'object' && node !== null)
    .filter((node) => node.type === 'Pod' && text(node.id) !== undefined)
    .sort((a, b) => (text(a.startedAt) ?? '').localeCompare(text(b.startedAt) ?? ''))
    .slice(0, maxSteps);
  const steps = pods.map((node): WorkflowStepRun => {
    const id = text(node.id) ?? '';
    const template = text(node.templateName) ?? '';
    const startedAt = text(node.startedAt);
    const finishedAt = text(node.finishedAt);
    const message = text(node.message);
    return {
      id,
      // A single-pod Workflow's one node is named after the Workflow: its template name says more.
      name:
        (id === name ? text(node.templateName) : undefined) ??
        text(node.displayName) ??
        text(node.name) ??
        id,
      phase: text(node.phase) ?? 'Pending',
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(finishedAt === undefined ? {} : { finishedAt }),
      ...(message === undefined ? {} : { message }),
      podName: v1Names ? id : podNameV2(name, template, id),
    };
  });
  const rule = text(annotations['aegis.io/rule']);
  const template = text(annotations['aegis.io/template']);
  return {
    name,
    ...(rule === undefined ? {} : { rule }),
    ...(template === undefined ? {} : { template }),
    steps,
  };
}

/** `<workflow>-<template>-<hash>`, the hash being the node id's suffix; the workflow's own name for its root. */
function podNameV2(workflow: string, template: string, nodeId: string): string {
  if (nodeId === workflow || template === '' || !nodeId.startsWith(`${workflow}-`)) return nodeId;
  const hash = nodeId.slice(workflow.length + 1);
  return `${`${workflow}-${template}`.slice(0, 242)}-${hash}`;
}
