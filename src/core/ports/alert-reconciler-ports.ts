/**
 * The small interfaces the alert reconciler needs, declared by their consumer. `src/kube/` implements the API
 * ones with @kubernetes/client-node; the rule matcher comes from `src/controller/rules/` (any object with a
 * compatible `match` will do, e.g. a test double).
 */
import type { AegisError } from '../errors.js';
import { isAegisError } from '../errors.js';
import type { AegisAlert, AegisAlertStatus, AegisOpsTemplateStatus } from '../resources/index.js';
import type { DeepReadonly } from '../deep-readonly.js';

/** A read-only cache of one kind (a watch source fits). */
export interface ObjectCache<T> {
  get(namespace: string, name: string): DeepReadonly<T> | undefined;
  list(namespace?: string): DeepReadonly<T>[];
}

/** A namespaced object reference (rule, template). */
export interface ObjectReferenceView {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The parts of an AegisAlertOpsRule the reconciler reads: a cached rule object (`metadata`) or a compiled rule
 * of the rule index (`namespace`, `name` at the top) both fit.
 */
export interface RuleView {
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly metadata?:
    { readonly name?: string | undefined; readonly namespace?: string | undefined } | undefined;
  readonly spec?: { readonly approval?: RuleApprovalView | undefined } | undefined;
}

/** A rule's `spec.approval`, read-only and with every field optional (as read without zod defaults). */
export interface RuleApprovalView {
  readonly required?: boolean | undefined;
  readonly approvers?: readonly string[] | undefined;
  readonly minApprovals?: number | undefined;
  readonly timeout?: string | undefined;
  readonly allowSelfApproval?: boolean | undefined;
}

export type RuleMatch =
  | { readonly kind: 'matched'; readonly rule: RuleView; readonly templateRef: ObjectReferenceView }
  | { readonly kind: 'none' }
  | { readonly kind: 'many'; readonly rules: readonly RuleView[] };

/** What `createRuleMatcher(...)` of `src/controller/rules` offers; only `match` is used here. */
export interface RuleMatcher {
  match(alert: {
    readonly type: string;
    readonly status: string;
    readonly labels: Readonly<Record<string, string>>;
  }): RuleMatch;
}

/** The parts of an AegisOpsTemplate the reconciler reads. */
export interface TemplateView {
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly uid?: string };
  readonly spec?: { readonly manifest?: string };
  readonly status?: {
    readonly status?: string;
    readonly message?: string;
    readonly executeStatus?: { readonly succeeded?: number; readonly failed?: number };
  };
}

/** An Argo Workflow as far as the reconciler reads it. */
export interface WorkflowObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: {
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }[];
  };
  spec?: Record<string, unknown>;
  status?: { phase?: string; startedAt?: string | null; finishedAt?: string | null; message?: string };
}

/** The AegisSilence in force that matches an alert (see `findSilence` in src/core/silences). */
export interface SilenceView {
  readonly name: string;
  /** RFC 3339: when the silence ends. */
  readonly until: string;
  readonly reason?: string | undefined;
}

/** Errors the adapters raise, by code. */
export const alertReconcilerErrorCodes = {
  /** A create found an object of that name already there. */
  alreadyExists: 'KUBE_ALREADY_EXISTS',
  /** A write's resourceVersion precondition no longer held. */
  conflict: 'KUBE_CONFLICT',
  notFound: 'KUBE_NOT_FOUND',
  apiError: 'KUBE_API_ERROR',
} as const;

export function hasCode(error: unknown, code: string): error is AegisError {
  return isAegisError(error) && error.code === code;
}

/** Workflows through the API (never a cache): create, read, patch (resume, approval record) and delete. */
export interface WorkflowStore {
  /** Rejects with `KUBE_ALREADY_EXISTS` when the name is taken. */
  create(namespace: string, workflow: WorkflowObject): Promise<WorkflowObject>;
  get(namespace: string, name: string): Promise<WorkflowObject | undefined>;
  /**
   * JSON merge patch of the Workflow; a `metadata.resourceVersion` in it is a precondition (`KUBE_CONFLICT` when
   * it moved, `KUBE_NOT_FOUND` when gone).
   */
  patch(namespace: string, name: string, patch: Record<string, unknown>): Promise<WorkflowObject>;
  /** Resolves false when it was already gone. */
  delete(namespace: string, name: string): Promise<boolean>;
}

/** AegisOpsTemplate reads and `/status` writes through the API, for the outcome counters. */
export interface TemplateStatusStore {
  get(namespace: string, name: string): Promise<TemplateView | undefined>;
  /** JSON merge patch of `/status`, guarded by resourceVersion (`KUBE_CONFLICT` when it moved). */
  patchStatus(
    namespace: string,
    name: string,
    status: Partial<AegisOpsTemplateStatus>,
    resourceVersion: string | undefined,
  ): Promise<void>;
}

/**
 * The AegisAlert `/status` writer: the ingest's AlertStore fits. A write whose resourceVersion precondition no
 * longer holds rejects with the ingest code `ALERT_CONFLICT`.
 */
export interface AlertStatusWriter {
  patchStatus(
    namespace: string,
    name: string,
    status: Partial<AegisAlertStatus>,
    preconditions?: { resourceVersion?: string },
  ): Promise<AegisAlert>;
}

export type EventType = 'Normal' | 'Warning';

export interface AlertEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

/** core/v1 Events about an object; best effort (a failure is logged by the caller, never retried). */
export interface EventRecorder {
  record(
    involved: {
      apiVersion: string;
      kind: string;
      name: string;
      namespace: string;
      uid?: string;
      resourceVersion?: string;
    },
    event: AlertEvent,
  ): Promise<void>;
}
