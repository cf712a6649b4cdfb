/**
 * Compact views of cluster objects for the model: the fields that explain an object's health, none of the
 * bulk (managedFields, full specs). Smaller tool outputs mean fewer prompt tokens and less to redact.
 */
import type { AegisAlert, AegisAlertOpsRule, AegisOpsTemplate } from '../../core/resources/index.js';
import type {
  PlainCondition,
  PlainContainerStatus,
  PlainEvent,
  PlainMetadata,
  PlainNode,
  PlainPod,
} from '../../core/ports/index.js';

/** Annotations longer than this are cut; some (last-applied-configuration) hold whole manifests. */
const annotationLimit = 300;
const skippedAnnotations = [
  /^kubectl\.kubernetes\.io\/last-applied-configuration$/,
  /^sandbox\.aegis\.io\/(previous-)?log\./,
];

export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… [${text.length - limit} more characters]`;
}

export function annotationsOf(metadata: PlainMetadata | undefined): Record<string, string> | undefined {
  const entries = Object.entries(metadata?.annotations ?? {}).filter(
    ([key]) => !skippedAnnotations.some((pattern) => pattern.test(key)),
  );
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([key, value]) => [key, clip(value, annotationLimit)]));
}

function conditionsOf(conditions: readonly PlainCondition[] | undefined) {
  return (conditions ?? []).map((condition) => ({
    type: condition.type,
    status: condition.status,
    reason: condition.reason,
    message: condition.message === undefined ? undefined : clip(condition.message, 300),
    since: condition.lastTransitionTime,
  }));
}

export function summarizeAlert(alert: AegisAlert, detail: 'brief' | 'full') {
  const { spec, status, metadata } = alert;
  const brief = {
    name: metadata.name,
    namespace: metadata.namespace,
    type: spec.type,
    source: spec.source,
    severity: spec.severity,
    status: status?.status ?? spec.status,
    involvedObject: spec.involvedObject,
    count: status?.count,
    startTime: status?.startTime,
    lastSeen: status?.lastSeen,
    opsStatus: status?.opsStatus?.alertOpsStatus,
    triggerStatus: status?.opsStatus?.triggerStatus,
    approval: status?.approval?.state,
  };
  if (detail === 'brief') return brief;
  const approval = status?.approval;
  return {
    ...brief,
    details: spec.details ?? spec.detials,
    labels: metadata.labels,
    annotations: annotationsOf(metadata),
    resolvedAt: status?.resolvedAt,
    ops: status?.opsStatus,
    approval:
      approval === undefined
        ? undefined
        : {
            state: approval.state,
            requestedAt: approval.requestedAt,
            expiresAt: approval.expiresAt,
            template: approval.template,
            approvers: approval.approvers,
            minApprovals: approval.minApprovals,
            requestedBy: approval.requestedBy,
            decisions: (approval.history ?? []).map((entry) => ({
              decision: entry.decision,
              by: entry.by,
              at: entry.at,
            })),
          },
    opsRequest: spec.opsRequest,
    conditions: status?.conditions?.map((condition) => ({
      type: condition.type,
      status: condition.status,
      reason: condition.reason,
      message: condition.message,
    })),
  };
}

export function summarizeRule(rule: AegisAlertOpsRule) {
  return {
    name: rule.metadata.name,
    namespace: rule.metadata.namespace,
    alertConditions: rule.spec.alertConditions,
    selector: rule.spec.selector,
    opsTemplate: rule.spec.opsTemplate,
    approval: rule.spec.approval,
    status: rule.status,
  };
}

/**
 * Template variables a manifest substitutes directly (`{{.node}}`, `{{ .node | quote }}`): what an ops request
 * must supply, since its run sees exactly its parameters. Variables only tested (`{{if .drain}}`) are optional.
 */
export function templateVariables(manifest: string): string[] {
  const names = new Set<string>();
  for (const match of manifest.matchAll(/\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names].sort();
}

export function summarizeTemplate(template: AegisOpsTemplate, detail: 'brief' | 'full') {
  const manifest = template.spec.manifest ?? '';
  const brief = {
    name: template.metadata.name,
    namespace: template.metadata.namespace,
    description: template.metadata.annotations?.['description'],
    variables: templateVariables(manifest),
    status: template.status?.status,
    executeStatus: template.status?.executeStatus,
  };
  return detail === 'brief'
    ? brief
    : { ...brief, message: template.status?.message, manifest: clip(manifest, 4_000) };
}

export function summarizeNode(node: PlainNode, detail: 'brief' | 'full') {
  const conditions = conditionsOf(node.status?.conditions);
  const ready = conditions.find((condition) => condition.type === 'Ready')?.status;
  const brief = {
    name: node.metadata?.name,
    ready,
    unschedulable: node.spec?.unschedulable === true,
    taints: node.spec?.taints,
    problems: conditions
      .filter((condition) =>
        condition.type === 'Ready' ? condition.status !== 'True' : condition.status === 'True',
      )
      .map((condition) => condition.type),
    gpu: node.status?.capacity?.['nvidia.com/gpu'],
  };
  if (detail === 'brief') return brief;
  return {
    ...brief,
    labels: node.metadata?.labels,
    annotations: annotationsOf(node.metadata),
    createdAt: node.metadata?.creationTimestamp,
    conditions,
    capacity: node.status?.capacity,
    allocatable: node.status?.allocatable,
    addresses: node.status?.addresses,
    kubeletVersion: node.status?.nodeInfo?.['kubeletVersion'],
  };
}

function stateOf(state: PlainContainerStatus['state']) {
  const [name, value] = Object.entries(state ?? {}).find(([, entry]) => entry !== undefined) ?? [];
  if (name === undefined) return undefined;
  const message = value?.message;
  return {
    state: name,
    reason: value?.reason,
    exitCode: value?.exitCode,
    message: message === undefined ? undefined : clip(message, 300),
  };
}

export function summarizePod(pod: PlainPod, detail: 'brief' | 'full') {
  const statuses = pod.status?.containerStatuses ?? [];
  const brief = {
    name: pod.metadata?.name,
    namespace: pod.metadata?.namespace,
    node: pod.spec?.nodeName,
    phase: pod.status?.phase,
    reason: pod.status?.reason,
    ready: statuses.length > 0 && statuses.every((status) => status.ready === true),
    restarts: statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0),
  };
  if (detail === 'brief') return brief;
  return {
    ...brief,
    message: pod.status?.message,
    labels: pod.metadata?.labels,
    annotations: annotationsOf(pod.metadata),
    owners: pod.metadata?.ownerReferences?.map((owner) => `${owner.kind ?? ''}/${owner.name ?? ''}`),
    startTime: pod.status?.startTime,
    conditions: conditionsOf(pod.status?.conditions),
    containers: (pod.spec?.containers ?? []).map((container) => {
      const status = statuses.find((entry) => entry.name === container.name);
      return {
        name: container.name,
        image: container.image,
        resources: container.resources,
        ready: status?.ready,
        restarts: status?.restartCount,
        current: stateOf(status?.state),
        last: stateOf(status?.lastState),
      };
    }),
  };
}

export function summarizeEvent(event: PlainEvent) {
  return {
    type: event.type,
    reason: event.reason,
    message: event.message === undefined ? undefined : clip(event.message, 500),
    count: event.count,
    first: event.firstTimestamp ?? event.eventTime,
    last: event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp,
    source: event.source?.component ?? event.reportingComponent,
    object: event.involvedObject,
  };
}
