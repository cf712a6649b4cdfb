/**
 * The one path every approval decision takes (Slack, the CLI, the HTTP API): read the alert, let the pure
 * `decide` judge, write `status.approval` through /status guarded by the resourceVersion that was read. On a
 * conflict (another decision, or the reconciler, wrote in between) the alert is read again and decided again,
 * so concurrent clicks never lose a decision and never count one twice. Every outcome, refusals included, is
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
  type ApprovalRefusalCode,
  type OpsRequestInput,
} from '../../core/approvals/index.js';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AegisAlert, AlertApproval, ApprovalChannel } from '../../core/resources/index.js';
import { isConflict, isNotFound } from '../ingest/index.js';
import type { ApprovalAlertStore, ApprovalEventRecorder, EventSubject } from './approval-ports.js';

export interface AlertReference {
  namespace?: string | undefined;
  name: string;
}

export interface ApprovalActor {
  /** A chat user id (Slack `U…`) or a user name. */
  id: string;
  /** Groups the actor belongs to; when left out, `resolveGroups` is asked. */
  groups?: readonly string[];
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
  clock: () => Date;
  /** AEGIS_NAMESPACE: where ops requests are created, and the default namespace of an alert reference. */
  namespace: string;
  events?: ApprovalEventRecorder;
  logger?: Logger;
  /** The groups (e.g. Slack user groups) a user belongs to, for `approvers` that list groups. */
  resolveGroups?: (userId: string) => Promise<readonly string[]>;
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
    const groups = actor.groups ?? (await options.resolveGroups?.(actor.id)) ?? [];
    const fields = { alert: `${namespace}/${name}`, decision, by: actor.id, via };
    for (let attempt = 1; ; attempt += 1) {
      const alert = await store.get(namespace, name);
      if (alert === undefined) {
        logger?.info({ ...fields, code: 'NotFound' }, 'approval decision refused');
        return { ok: false, code: 'NotFound', message: `alert ${namespace}/${name} does not exist` };
      }
      const approval = alert.status?.approval;
      if (approval === undefined) {
        const message = `alert ${namespace}/${name} is not waiting for approval`;
        return await refused(alert, 'NotPending', message);
      }
      const result = decide(approval, {
        decision,
        by: actor.id,
        byGroups: groups,
        via,
        now: clock(),
        ...(reason === undefined ? {} : { reason }),
        ...(alert.spec.opsRequest === undefined ? {} : { requester: alert.spec.opsRequest.requestedBy }),
      });
      if (!result.ok) return await refused(alert, result.code, result.message);
      if (!result.changed) {
        logger?.info({ ...fields, state: approval.state }, 'approval decision already recorded');
        return { ok: true, alert, approval, changed: false };
      }
      const resourceVersion = alert.metadata.resourceVersion;
      try {
        const written = await store.patchStatus(
          namespace,
          name,
          { approval: result.approval },
          resourceVersion === undefined ? {} : { resourceVersion },
        );
        await recorded(written, result.approval);
        return { ok: true, alert: written, approval: result.approval, changed: true };
      } catch (error) {
        if (isNotFound(error)) continue;
        if (!isConflict(error)) throw error;
        if (attempt >= maxAttempts) {
          throw new AegisError('APPROVAL_CONFLICT', `alert ${namespace}/${name} kept changing; try again`, {
            retryable: true,
            cause: error,
          });
        }
        logger?.debug({ ...fields, attempt }, 'alert changed while deciding; deciding again');
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
