/**
 * The one path every approval decision takes (Slack, the HTTP API, the CLI through it): read the alert and the
 * suspended Workflow that holds its approval request, let the pure `decide` judge the request's record (kept on
 * that Workflow, never in the alert's status: docs/decisions/0011-approval-on-suspended-workflow.md), write the
 * record back guarded by the Workflow's resourceVersion, then mirror it into `status.approval` for people. On a
 * conflict (another decision, or the reconciler, wrote in between) everything is read and decided again, so
 * concurrent clicks never lose a decision and never count one twice. Every outcome, refusals included, is
 * recorded as an Event on the alert and logged: the audit trail survives the chat.
 *
 * Also creates ops requests: AegisAlerts with `spec.source: OpsRequest` that the alert reconciler renders with
 * the given parameters and always sends through approval.
 */
import {
  buildOpsRequestObject,
  decide,
  kubeTime,
  opsRequestProblems,
  serialiseApprovalRecord,
  type ApprovalRecord,
  type ApprovalRefusalCode,
  type OpsRequestInput,
} from '../../core/approvals/index.js';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AegisAlert, AlertApproval, ApprovalChannel } from '../../core/resources/index.js';
import {
  alertReconcilerErrorCodes,
  viewWorkflow,
  workflowAnnotations,
  workflowNameFor,
  type WorkflowStore,
} from '../alerts/index.js';
import type { ApprovalAlertStore, ApprovalEventRecorder, EventSubject } from './approval-ports.js';

export interface AlertReference {
  namespace?: string | undefined;
  name: string;
}

export interface ApprovalActor {
  /** A chat user id (Slack `U…`) or a user name: an authenticated identity, or what an unbound token claims. */
  id: string;
  /**
   * Groups the actor belongs to, resolved on the server (Slack user groups); never taken from a request. When left
   * out, `resolveGroups` is asked.
   */
  groups?: readonly string[];
  /** Resolves, on the server, which of the request's approver ids are groups the actor belongs to. */
  groupsAmong?: (candidates: readonly string[]) => Promise<readonly string[]>;
  /**
   * The credential the decision came with (`slack:U123`, `token:U123`, `token:sha256:…`): each credential counts
   * as one approver, whatever `id` it gives.
   */
  credential?: string;
}

export type ApprovalServiceRefusal = ApprovalRefusalCode | 'NotFound';

export type ApprovalOutcome =
  | {
      ok: true;
      /** The alert as written (or as read, when nothing changed). */
      alert: AegisAlert;
      approval: AlertApproval;
      /** False for a repeated decision that was already recorded. */
      changed: boolean;
    }
  | { ok: false; code: ApprovalServiceRefusal; message: string };

export interface ApprovalService {
  approve(
    alert: AlertReference,
    actor: ApprovalActor,
    via: ApprovalChannel,
    reason?: string,
  ): Promise<ApprovalOutcome>;
  reject(
    alert: AlertReference,
    actor: ApprovalActor,
    via: ApprovalChannel,
    reason?: string,
  ): Promise<ApprovalOutcome>;
  /** Create an ops request in the alert namespace; resolves with the created alert's name. */
  createOpsRequest(request: OpsRequestInput): Promise<{ namespace: string; name: string }>;
}

export interface ApprovalServiceOptions {
  store: ApprovalAlertStore;
  /** The alerts' Workflows: the suspended one of a request holds its record (`src/kube` createWorkflowStore). */
  workflows: Pick<WorkflowStore, 'get' | 'patch'>;
  clock: () => Date;
  /** AEGIS_NAMESPACE: where ops requests are created, and the default namespace of an alert reference. */
  namespace: string;
  events?: ApprovalEventRecorder;
  logger?: Logger;
  /** The groups among `candidates` (the request's approvers) a user belongs to, e.g. Slack user groups. */
  resolveGroups?: (userId: string, candidates: readonly string[]) => Promise<readonly string[]>;
  /** Bound on re-reads after a conflict (default 8). */
  maxAttempts?: number;
}

/** Error codes `createOpsRequest` raises. */
export const opsRequestErrorCodes = { invalid: 'OPS_REQUEST_INVALID' } as const;

export function createApprovalService(options: ApprovalServiceOptions): ApprovalService {
  const { store, clock } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const logger = options.logger?.child({ component: 'approvals' });

  const audit = async (alert: AegisAlert, type: 'Normal' | 'Warning', reason: string, message: string) => {
    if (options.events === undefined) return;
    try {
      await options.events.record(subjectOf(alert), { type, reason, message });
    } catch (error) {
      // The decision is in the alert's status either way; a lost Event must not undo or fail it.
      logger?.warn({ err: error, alert: alert.metadata.name, reason }, 'could not record the approval Event');
    }
  };

  const decideOn = async (
    reference: AlertReference,
    decision: 'approve' | 'reject',
    actor: ApprovalActor,
    via: ApprovalChannel,
    reason: string | undefined,
  ): Promise<ApprovalOutcome> => {
    const namespace = reference.namespace ?? options.namespace;
    const name = reference.name;
    const fields = { alert: `${namespace}/${name}`, decision, by: actor.id, via };
    for (let attempt = 1; ; attempt += 1) {
      const alert = await store.get(namespace, name);
      if (alert === undefined) {
        logger?.info({ ...fields, code: 'NotFound' }, 'approval decision refused');
        return { ok: false, code: 'NotFound', message: `alert ${namespace}/${name} does not exist` };
      }
      const request = await requestOf(alert);
      if (request === undefined) return await refusedWithoutRequest(alert);
      const record = request.record;
      const candidates = (record.approvers ?? []).filter((id) => id !== actor.id);
      const groups =
        actor.groups ??
        (candidates.length === 0
          ? []
          : ((await actor.groupsAmong?.(candidates)) ??
            (await options.resolveGroups?.(actor.id, candidates)) ??
            []));
      const result = decide(record, {
        decision,
        by: actor.id,
        byGroups: groups,
        via,
        now: clock(),
        ...(reason === undefined ? {} : { reason }),
        ...(actor.credential === undefined ? {} : { credential: actor.credential }),
      });
      if (!result.ok) return await refused(alert, result.code, result.message);
      if (!result.changed) {
        logger?.info({ ...fields, state: record.state }, 'approval decision already recorded');
        return { ok: true, alert, approval: result.approval, changed: false };
      }
      try {
        await options.workflows.patch(namespace, request.workflow, {
          metadata: {
            resourceVersion: request.resourceVersion,
            annotations: { [workflowAnnotations.approval]: serialiseApprovalRecord(result.approval) },
          },
        });
      } catch (error) {
        const retry =
          isAegisCode(error, alertReconcilerErrorCodes.conflict) ||
          isAegisCode(error, alertReconcilerErrorCodes.notFound);
        if (!retry) throw error;
        if (attempt >= maxAttempts) {
          throw new AegisError('APPROVAL_CONFLICT', `alert ${namespace}/${name} kept changing; try again`, {
            retryable: true,
            cause: error,
          });
        }
        logger?.debug({ ...fields, attempt }, 'the approval request changed while deciding; deciding again');
        continue;
      }
      const written = await mirror(alert, result.approval);
      await recorded(written, result.approval);
      return { ok: true, alert: written, approval: result.approval, changed: true };
    }

    async function refusedWithoutRequest(alert: AegisAlert): Promise<ApprovalOutcome> {
      // Only to say why: the status is a report, so its closed state explains the refusal but decides nothing.
      const shown = alert.status?.approval;
      if (shown !== undefined && shown.state !== 'Pending' && shown.state !== 'Approved') {
        const judged = decide(shown, { decision, by: actor.id, via, now: clock() });
        if (!judged.ok) return await refused(alert, judged.code, judged.message);
      }
      const message = `alert ${namespace}/${name} is not waiting for approval`;
      return await refused(alert, 'NotPending', message);
    }

    /** The people's copy in the alert's status (best effort: the reconciler rewrites it from the record too). */
    async function mirror(alert: AegisAlert, next: ApprovalRecord): Promise<AegisAlert> {
      try {
        return await store.patchStatus(namespace, name, { approval: next });
      } catch (error) {
        logger?.warn({ ...fields, err: error }, 'could not mirror the decision into status.approval');
        return alert;
      }
    }

    async function refused(
      alert: AegisAlert,
      code: ApprovalRefusalCode,
      message: string,
    ): Promise<ApprovalOutcome> {
      logger?.warn({ ...fields, code, reason: message }, 'approval decision refused');
      await audit(
        alert,
        'Warning',
        'ApprovalRefused',
        `${decision} by ${actor.id} via ${via} refused (${code}): ${message}`,
      );
      return { ok: false, code, message };
    }

    async function recorded(alert: AegisAlert, next: AlertApproval): Promise<void> {
      const why = reason === undefined || reason === '' ? '' : `: ${reason}`;
      if (decision === 'reject') {
        logger?.info({ ...fields, state: next.state }, 'run rejected');
        await audit(alert, 'Normal', 'ApprovalRejected', `rejected by ${actor.id} via ${via}${why}`);
        return;
      }
      const approvals = (next.history ?? []).filter((entry) => entry.decision === 'Approved').length;
      const needed = next.minApprovals ?? 1;
      const progress =
        next.state === 'Approved' ? 'the run is approved' : `${approvals} of ${needed} approvals`;
      logger?.info({ ...fields, state: next.state, approvals, needed }, 'approval recorded');
      await audit(
        alert,
        'Normal',
        'ApprovalGranted',
        `approved by ${actor.id} via ${via} (${progress})${why}`,
      );
    }
  };

  /** The suspended Workflow holding the alert's approval request, and its record; undefined when none. */
  const requestOf = async (
    alert: AegisAlert,
  ): Promise<{ workflow: string; resourceVersion: string; record: ApprovalRecord } | undefined> => {
    const namespace = alert.metadata.namespace ?? options.namespace;
    const workflowName = workflowNameFor(alert.metadata.name ?? '');
    const workflow = await options.workflows.get(namespace, workflowName);
    if (workflow === undefined) return undefined;
    const view = viewWorkflow(workflow, alert.metadata.uid ?? '');
    if (!view.owned || !view.suspended || view.approval === undefined || view.approval === 'invalid')
      return undefined;
    return { workflow: workflowName, resourceVersion: view.resourceVersion ?? '', record: view.approval };
  };

  return {
    approve: (alert, actor, via, reason) => decideOn(alert, 'approve', actor, via, reason),
    reject: (alert, actor, via, reason) => decideOn(alert, 'reject', actor, via, reason),

    async createOpsRequest(request) {
      const problems = opsRequestProblems(request);
      if (problems.length > 0) {
        throw new AegisError(opsRequestErrorCodes.invalid, `invalid ops request: ${problems.join('; ')}`, {
          userMessage: problems.join('; '),
        });
      }
      const object = buildOpsRequestObject(request, { namespace: options.namespace });
      const created = await store.create(object);
      const name = created.metadata.name ?? '';
      const now = kubeTime(clock());
      // Like an ingested alert: Firing, seen once. No resourceVersion guard: the reconciler may already have
      // written opsStatus/approval, which this merge patch leaves alone.
      const written = await store.patchStatus(options.namespace, name, {
        status: 'Firing',
        count: 1,
        startTime: now,
        lastSeen: now,
      });
      const template = object.spec.opsRequest.template;
      logger?.info(
        { alert: `${options.namespace}/${name}`, template, requestedBy: request.requestedBy },
        'ops request created',
      );
      await audit(
        written,
        'Normal',
        'OpsRequested',
        `${request.requestedBy} asked to run ${template.namespace}/${template.name}${request.reason === undefined || request.reason === '' ? '' : `: ${request.reason}`}`,
      );
      return { namespace: options.namespace, name };
    },
  };
}

function isAegisCode(error: unknown, code: string): boolean {
  return error instanceof AegisError && error.code === code;
}

function subjectOf(alert: AegisAlert): EventSubject {
  const { name = '', namespace = '', uid, resourceVersion } = alert.metadata;
  return {
    apiVersion: alert.apiVersion,
    kind: alert.kind,
    name,
    namespace,
    ...(uid === undefined ? {} : { uid }),
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
  };
}
