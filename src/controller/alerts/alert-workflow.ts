/**
 * The one Workflow an alert owns: its deterministic name, the object created from a rendered manifest, and the
 * reconciler's view of an existing one (owner, phase, times, which template made it).
 */
import { createHash } from 'node:crypto';
import { withoutReservedLabels } from '../../core/alerts/index.js';
import { parseApprovalRecord, type ApprovalRecord } from '../../core/approvals/index.js';
import { aegisApiVersion } from '../../core/resources/index.js';
import type { ObjectReferenceView, WorkflowObject } from '../../core/ports/index.js';

/** Annotations Aegis adds to the Workflows it creates. */
export const workflowAnnotations = {
  alert: 'aegis.io/alert',
  template: 'aegis.io/template',
  rule: 'aegis.io/rule',
  manifestDigest: 'aegis.io/manifest-digest',
  /** The approval record of a Workflow created suspended, waiting for approval (approval-record.ts). */
  approval: 'aegis.io/approval',
} as const;

/** Argo validates Workflow names to at most 63 characters (the name becomes a pod label value). */
const maxWorkflowNameLength = 63;

/**
 * The Workflow name for an alert: the alert's own name when it fits Argo's 63 characters, else its first 52
 * characters, `-` and 10 hex digits of the name's sha256. Deterministic, so every run, replica and restart
 * asks for the same name and the API server lets only one create succeed.
 */
export function workflowNameFor(alertName: string): string {
  if (alertName.length <= maxWorkflowNameLength) return alertName;
  const hash = createHash('sha256').update(alertName).digest('hex').slice(0, 10);
  return `${alertName.slice(0, 52).replace(/[-.]+$/, '')}-${hash}`;
}

export interface AlertIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') result[key] = item;
  return result;
}

function formatReference(reference: ObjectReferenceView): string {
  return `${reference.namespace}/${reference.name}`;
}

export function parseReference(text: string | undefined): ObjectReferenceView | undefined {
  if (text === undefined) return undefined;
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

/**
 * The Workflow to create for an alert from a rendered (or approved) manifest. As upstream: in the alert's
 * namespace (the manifest's own name and namespace are ignored), owned by the alert (controller, blocking
 * owner deletion, so deleting the alert deletes it), the manifest's annotations and finalizers kept. Labels:
 * the manifest's own plus the alert's (the alert's win, they are how `spec.selector` finds it; reserved keys such
 * as `workflows.argoproj.io/completed` are never taken from the alert). Aegis adds
 * annotations naming the alert, template, rule and the manifest digest.
 */
export function buildAlertWorkflow(
  manifest: Readonly<Record<string, unknown>>,
  alert: AlertIdentity,
  origin: {
    template?: ObjectReferenceView | undefined;
    rule?: ObjectReferenceView | undefined;
    digest: string;
  },
): WorkflowObject {
  const metadata = (manifest['metadata'] ?? {}) as Record<string, unknown>;
  const finalizers = Array.isArray(metadata['finalizers'])
    ? metadata['finalizers'].filter((item): item is string => typeof item === 'string')
    : [];
  const annotations: Record<string, string> = {
    ...stringMap(metadata['annotations']),
    [workflowAnnotations.alert]: alert.name,
    [workflowAnnotations.manifestDigest]: origin.digest,
  };
  if (origin.template !== undefined)
    annotations[workflowAnnotations.template] = formatReference(origin.template);
  if (origin.rule !== undefined) annotations[workflowAnnotations.rule] = formatReference(origin.rule);
  return {
    ...structuredClone(manifest),
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: workflowNameFor(alert.name),
      namespace: alert.namespace,
      // An alert's labels come from its sender: never Argo's, Kubernetes' or Aegis's reserved keys.
      labels: { ...stringMap(metadata['labels']), ...withoutReservedLabels(alert.labels ?? {}) },
      annotations,
      ...(finalizers.length === 0 ? {} : { finalizers }),
      ownerReferences: [
        {
          apiVersion: aegisApiVersion,
          kind: 'AegisAlert',
          name: alert.name,
          uid: alert.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
  };
}

/** The alert's ops phase for an Argo phase (`''`/Pending → Pending, Error → Failed). */
export type WorkflowPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';

/** What the reconciler knows about the alert's Workflow. */
export interface WorkflowView {
  readonly name: string;
  readonly uid: string;
  /** Controlled by this alert (ownerReference with its uid). */
  readonly owned: boolean;
  readonly phase: WorkflowPhase;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly message?: string;
  readonly template?: ObjectReferenceView;
  readonly rule?: ObjectReferenceView;
  readonly resourceVersion?: string;
  /** `spec.suspend: true`: Argo runs nothing until it is resumed. */
  readonly suspended: boolean;
  /**
   * The approval record of a Workflow created to wait for approval; `'invalid'` when the annotation is there but
   * does not parse (nothing is then ever resumed).
   */
  readonly approval?: ApprovalRecord | 'invalid';
  /** The Workflow's spec as it will run (for the people's copy in the alert status). */
  readonly spec?: unknown;
}

function argoPhase(phase: string | undefined): WorkflowPhase {
  switch (phase) {
    case 'Running':
    case 'Succeeded':
    case 'Failed':
    case 'Error':
      return phase;
    default:
      return 'Pending';
  }
}

type ReadonlyWorkflow = {
  readonly metadata?: {
    readonly name?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly { readonly uid: string; readonly controller?: boolean }[];
  };
  readonly spec?: unknown;
  readonly status?: {
    readonly phase?: string;
    readonly startedAt?: string | null;
    readonly finishedAt?: string | null;
    readonly message?: string;
  };
};

function isSuspended(spec: unknown): boolean {
  return typeof spec === 'object' && spec !== null && (spec as { suspend?: unknown }).suspend === true;
}

export function viewWorkflow(workflow: ReadonlyWorkflow, alertUid: string): WorkflowView {
  const metadata = workflow.metadata ?? {};
  const status = workflow.status ?? {};
  const owned = (metadata.ownerReferences ?? []).some(
    (reference) => reference.controller === true && reference.uid === alertUid,
  );
  const template = parseReference(metadata.annotations?.[workflowAnnotations.template]);
  const rule = parseReference(metadata.annotations?.[workflowAnnotations.rule]);
  const recordText = metadata.annotations?.[workflowAnnotations.approval];
  const approval = recordText === undefined ? undefined : (parseApprovalRecord(recordText) ?? 'invalid');
  return {
    name: metadata.name ?? '',
    uid: metadata.uid ?? '',
    owned,
    suspended: isSuspended(workflow.spec),
    ...(approval === undefined ? {} : { approval }),
    ...(metadata.resourceVersion === undefined ? {} : { resourceVersion: metadata.resourceVersion }),
    ...(workflow.spec === undefined ? {} : { spec: workflow.spec }),
    phase: argoPhase(status.phase),
    ...(typeof status.startedAt === 'string' ? { startedAt: status.startedAt } : {}),
    ...(typeof status.finishedAt === 'string' ? { finishedAt: status.finishedAt } : {}),
    ...(status.message === undefined || status.message === '' ? {} : { message: status.message }),
    ...(template === undefined ? {} : { template }),
    ...(rule === undefined ? {} : { rule }),
  };
}

type WatchedWorkflow = ReadonlyWorkflow & {
  readonly metadata?: { readonly deletionTimestamp?: string };
};

/** What of a Workflow the alert reflects; two versions with the same key look the same to the alert. */
function reflectedState(workflow: WatchedWorkflow): string {
  const metadata = workflow.metadata ?? {};
  const status = workflow.status ?? {};
  return JSON.stringify([
    metadata.name,
    metadata.uid,
    metadata.deletionTimestamp,
    (metadata.ownerReferences ?? [])
      .filter((reference) => reference.controller === true)
      .map((reference) => reference.uid),
    metadata.annotations?.[workflowAnnotations.template],
    metadata.annotations?.[workflowAnnotations.rule],
    metadata.annotations?.[workflowAnnotations.approval],
    isSuspended(workflow.spec),
    argoPhase(status.phase),
    status.startedAt,
    status.finishedAt,
    status.message,
  ]);
}

/** Whether a Workflow update changes anything its alert's status reflects (Argo rewrites nodes and progress often). */
export function workflowChangeMatters(previous: WatchedWorkflow, next: WatchedWorkflow): boolean {
  return reflectedState(previous) !== reflectedState(next);
}
