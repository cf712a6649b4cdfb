/**
 * What the alert reconciler should do next for one AegisAlert: a pure function of the alert and what the
 * caller looked up (rule match, template, render, the alert's Workflow, the time). Sample-controller style:
 * compare what the status says with what exists, and return one step; the reconcile does it, writes status,
 * and the resulting watch event brings the next step.
 *
 * Firing alert without ops → match → template → render → (approval) → create the Workflow → Triggered Pending.
 * The Workflow's phase then drives Running → Succeeded | Failed (Running is always recorded before the outcome,
 * so `kubectl get aegisalerts -w` shows every step even when a Workflow finished between two runs).
 *
 * Approval (see docs/decisions/0006-workflow-per-alert.md): Pending → `again` at `expiresAt`; Approved → the
 * Workflow is created from `renderedManifest` after `approvalIsValid` and the digest check; Rejected →
 * triggerStatus Rejected; past `expiresAt` → approval Expired, triggerStatus TriggerFailed "approval expired";
 * alert Resolved while Pending → approval Cancelled, TriggerFailed "alert resolved before approval".
 *
 * Silences (`alertConditionTypes.silenced`): a Firing alert not yet triggered that an AegisSilence matches
 * is held: triggerStatus stays unset, condition `Silenced=True` (reason `Silenced`) and `opsStatus.message` say
 * which silence and until when, and the run comes again at `until`. Once no silence matches, condition
 * `Silenced=False` (reason `SilenceEnded`) is written first, then the alert triggers as usual. A silence never
 * touches an alert that was already triggered (or awaits approval).
 */
import { parse as parseYaml } from 'yaml';
import {
  approvalIsValid,
  approvalPolicyOf,
  approvalRequired,
  newPendingApproval,
  opsRequestApprovalPolicy,
  type ApprovalDefault,
  type RuleApprovalInput,
} from '../../core/approvals/index.js';
import type {
  AegisAlert,
  AegisAlertStatus,
  AlertApproval,
  Condition,
  TriggerStatus,
} from '../../core/resources/index.js';
import type { RenderResult } from '../../core/templates/index.js';
import { workflowDigest, workflowShapeProblem } from '../../core/templates/index.js';
import type { DeepReadonly } from '../runtime/index.js';
import { alertConditionTypes, kubeTime, normaliseTime, setCondition } from './alert-conditions.js';
import type { ConditionUpdate } from './alert-conditions.js';
import type {
  AlertEvent,
  ObjectReferenceView,
  RuleApprovalView,
  SilenceView,
  TemplateView,
  WorkflowObject,
} from './alert-ports.js';
import { buildAlertWorkflow, workflowNameFor } from './alert-workflow.js';
import type { WorkflowView } from './alert-workflow.js';

export type AlertObject = DeepReadonly<AegisAlert>;
export type StatusPatch = Partial<AegisAlertStatus>;

/** Rule match, template and render for an alert that is about to be triggered. */
export type TriggerResolution =
  | { readonly kind: 'none' }
  | { readonly kind: 'many'; readonly rules: readonly string[] }
  | {
      readonly kind: 'resolved';
      /** The matched rule; undefined for an ops request. */
      readonly rule?: ObjectReferenceView;
      readonly ruleApproval?: RuleApprovalView;
      /** An operator-initiated run (`spec.opsRequest`): always approved first, by anyone but the requester. */
      readonly opsRequest?: { readonly requestedBy: string };
      readonly template: ObjectReferenceView;
      /** Undefined when the template does not exist. */
      readonly templateObject?: TemplateView;
      /** Undefined when the template is missing or marked Invalid. */
      readonly render?: RenderResult;
    };

export interface AlertDecisionContext {
  readonly now: Date;
  /** `AEGIS_APPROVAL_DEFAULT`: whether a rule without an approval block waits for approval. */
  readonly approvalDefault: ApprovalDefault;
  /** How long to wait for the ingest worker's initial status before writing it ourselves (as upstream). */
  readonly initialStatusGraceMs: number;
  /** Filled when `needsTrigger(alert)`. */
  readonly trigger?: TriggerResolution;
  /** The Workflow of the alert's name (owned or not), as cached or read; undefined when none exists. */
  readonly workflow?: WorkflowView;
  /** The current `spec.approval` of the rule an Approved approval names (undefined when none or gone). */
  readonly approvalRule?: RuleApprovalView;
  /** The silence in force that matches the alert; looked up while the alert has no trigger status yet. */
  readonly silence?: SilenceView;
}

/** A metric-worthy fact about the step. */
export type AlertFact =
  | { readonly kind: 'triggerFailed'; readonly reason: string }
  | { readonly kind: 'approvalRequested' }
  | { readonly kind: 'workflowDeleted' };

export type AlertAction =
  | { readonly kind: 'nothing'; readonly why: string; readonly afterMs?: number }
  | {
      readonly kind: 'writeStatus';
      readonly why: string;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
      readonly fact?: AlertFact;
      readonly afterMs?: number;
    }
  | {
      /** Create the Workflow (or adopt it if this alert already owns one of that name), then write `status`. */
      readonly kind: 'createWorkflow';
      readonly why: string;
      readonly workflow: WorkflowObject;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
    }
  | {
      /** Count the outcome on the template (exactly once per Workflow uid), then write `status`. */
      readonly kind: 'recordOutcome';
      readonly why: string;
      readonly outcome: 'Succeeded' | 'Failed';
      readonly workflowUid: string;
      readonly template?: ObjectReferenceView;
      readonly status: StatusPatch;
      readonly events: readonly AlertEvent[];
    };

function alertStatusOf(alert: AlertObject): 'Firing' | 'Resolved' {
  return alert.status?.status ?? alert.spec.status;
}

/** Whether the alert is about to be matched and rendered (the caller then fills `context.trigger`). */
export function needsTrigger(alert: AlertObject): boolean {
  return (
    alert.metadata.deletionTimestamp === undefined &&
    alert.status?.startTime !== undefined &&
    alert.status.opsStatus?.triggerStatus === undefined &&
    alertStatusOf(alert) === 'Firing'
  );
}

/** The name of the Workflow the alert owns or will own. */
export function alertWorkflowName(alert: AlertObject): string {
  return alert.status?.opsStatus?.workflowName ?? workflowNameFor(alert.metadata.name ?? '');
}

function reference(ref: ObjectReferenceView): string {
  return `${ref.namespace}/${ref.name}`;
}

function conditionPatch(
  alert: AlertObject,
  updates: readonly ConditionUpdate[],
  now: Date,
): Pick<StatusPatch, 'conditions'> {
  let conditions = alert.status?.conditions as AegisAlertStatus['conditions'];
  for (const update of updates) conditions = setCondition(conditions, update, now, alert.metadata.generation);
  return conditions === undefined ? {} : { conditions };
}

/** The step for a trigger that did not (and will not) create a Workflow. */
export function triggerFailure(
  alert: AlertObject,
  reason: TriggerStatus,
  message: string,
  now: Date,
  extra: { conditionReason?: string; approval?: AlertApproval; eventType?: 'Normal' | 'Warning' } = {},
): AlertAction {
  const conditionReason = extra.conditionReason ?? reason;
  return {
    kind: 'writeStatus',
    why: `trigger failed: ${reason}`,
    status: {
      opsStatus: { triggerStatus: reason, message },
      ...(extra.approval === undefined ? {} : { approval: extra.approval }),
      ...conditionPatch(
        alert,
        [{ type: alertConditionTypes.triggered, status: 'False', reason: conditionReason, message }],
        now,
      ),
    },
    events: [{ type: extra.eventType ?? 'Warning', reason: conditionReason, message }],
    fact: { kind: 'triggerFailed', reason: conditionReason },
  };
}

/** The status written once the Workflow exists (created now, or adopted after a crash or a lost race). */
export function triggeredStatus(alert: AlertObject, workflowName: string, now: Date): StatusPatch {
  const message = `Workflow ${workflowName} created`;
  return {
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Pending',
      workflowName,
      total: 1,
      active: 1,
      succeeded: 0,
      failed: 0,
      message,
    },
    ...conditionPatch(
      alert,
      [{ type: alertConditionTypes.triggered, status: 'True', reason: 'WorkflowCreated', message }],
      now,
    ),
  };
}

function toRuleApprovalInput(view: RuleApprovalView | undefined): RuleApprovalInput | undefined {
  if (view === undefined) return undefined;
  const input: RuleApprovalInput = {};
  if (view.required !== undefined) input.required = view.required;
  if (view.approvers !== undefined) input.approvers = [...view.approvers];
  if (view.minApprovals !== undefined) input.minApprovals = view.minApprovals;
  if (view.timeout !== undefined) input.timeout = view.timeout;
  if (view.allowSelfApproval !== undefined) input.allowSelfApproval = view.allowSelfApproval;
  return input;
}

function identity(alert: AlertObject): {
  name: string;
  namespace: string;
  uid: string;
  labels?: Readonly<Record<string, string>>;
} {
  return {
    name: alert.metadata.name ?? '',
    namespace: alert.metadata.namespace ?? '',
    uid: alert.metadata.uid ?? '',
    ...(alert.metadata.labels === undefined ? {} : { labels: alert.metadata.labels }),
  };
}

function createStep(
  alert: AlertObject,
  manifest: Readonly<Record<string, unknown>>,
  origin: {
    template?: ObjectReferenceView | undefined;
    rule?: ObjectReferenceView | undefined;
    digest: string;
  },
  now: Date,
  why: string,
): AlertAction {
  const workflow = buildAlertWorkflow(manifest, identity(alert), origin);
  const name = workflow.metadata?.name ?? '';
  const from = origin.template === undefined ? '' : ` from AegisOpsTemplate ${reference(origin.template)}`;
  return {
    kind: 'createWorkflow',
    why,
    workflow,
    status: triggeredStatus(alert, name, now),
    events: [
      {
        type: 'Normal',
        reason: 'SucceededCreateOpsWorkflow',
        message: `Created Workflow ${name}${from}`,
      },
    ],
  };
}

/** Largest rendered manifest kept in the alert status for approval (the object must stay well under 1.5 MiB). */
export const maxApprovalManifestLength = 512 * 1024;

function decideTrigger(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now, trigger } = context;
  if (trigger === undefined) return { kind: 'nothing', why: 'trigger inputs were not resolved' };
  if (trigger.kind === 'none') {
    return triggerFailure(
      alert,
      'RuleNotFound',
      `no AegisAlertOpsRule matches type ${alert.spec.type} with status ${alertStatusOf(alert)} and the alert's labels`,
      now,
    );
  }
  if (trigger.kind === 'many') {
    return triggerFailure(
      alert,
      'TooManyRulesFound',
      `${trigger.rules.length} AegisAlertOpsRules match (one is needed): ${trigger.rules.join(', ')}`,
      now,
    );
  }
  const template = reference(trigger.template);
  if (trigger.templateObject === undefined) {
    return triggerFailure(alert, 'TemplateNotFound', `AegisOpsTemplate ${template} not found`, now);
  }
  if (trigger.templateObject.status?.status === 'Invalid') {
    const why = trigger.templateObject.status.message ?? 'no reason given';
    return triggerFailure(alert, 'TemplateInvalid', `AegisOpsTemplate ${template} is Invalid: ${why}`, now);
  }
  const render = trigger.render;
  if (render === undefined) return { kind: 'nothing', why: 'the template was not rendered' };
  if (!render.ok) {
    return triggerFailure(alert, render.reason, `AegisOpsTemplate ${template}: ${render.message}`, now);
  }
  const origin = { template: trigger.template, rule: trigger.rule, digest: render.digest };
  const ruleApproval = toRuleApprovalInput(trigger.ruleApproval);
  const required =
    trigger.opsRequest !== undefined || approvalRequired(ruleApproval, context.approvalDefault);
  if (!required) return createStep(alert, render.workflow, origin, now, 'rule matched, no approval needed');

  if (render.yaml.length > maxApprovalManifestLength) {
    return triggerFailure(
      alert,
      'TriggerFailed',
      `the rendered Workflow (${render.yaml.length} characters) is too large to hold for approval`,
      now,
    );
  }
  const policy = trigger.opsRequest === undefined ? approvalPolicyOf(ruleApproval) : opsRequestApprovalPolicy;
  let approval: AlertApproval;
  try {
    approval = newPendingApproval({
      policy,
      now,
      renderedManifest: render.yaml,
      manifestDigest: render.digest,
      template: { ...trigger.template },
      ...(trigger.rule === undefined ? {} : { rule: { ...trigger.rule } }),
      ...(trigger.opsRequest === undefined ? {} : { requestedBy: trigger.opsRequest.requestedBy }),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return triggerFailure(alert, 'TriggerFailed', `cannot request approval: ${why}`, now);
  }
  const expiresAt = approval.expiresAt ?? kubeTime(now);
  const message = `waiting for approval until ${expiresAt}`;
  return {
    kind: 'writeStatus',
    why: 'approval required',
    status: {
      approval,
      opsStatus: { triggerStatus: 'AwaitingApproval', message },
      ...conditionPatch(
        alert,
        [{ type: alertConditionTypes.triggered, status: 'False', reason: 'AwaitingApproval', message }],
        now,
      ),
    },
    events: [
      {
        type: 'Normal',
        reason: 'ApprovalRequested',
        message: `Approval requested to run AegisOpsTemplate ${template} (${policy.minApprovals} approval${policy.minApprovals === 1 ? '' : 's'} needed, until ${expiresAt})`,
      },
    ],
    fact: { kind: 'approvalRequested' },
    afterMs: Math.max(0, Date.parse(expiresAt) - now.getTime()),
  };
}

/** The message of the Silenced condition (and of `opsStatus.message`) for a silence. */
export function silencedMessage(silence: SilenceView): string {
  const reason = silence.reason === undefined || silence.reason === '' ? '' : `: ${silence.reason}`;
  return `silenced by AegisSilence ${silence.name} until ${silence.until}${reason}`;
}

function silencedCondition(alert: AlertObject): DeepReadonly<Condition> | undefined {
  return alert.status?.conditions?.find((condition) => condition.type === alertConditionTypes.silenced);
}

/** Hold a silenced alert: record why once, then wait for the silence to end (a change of it re-queues us). */
function decideSilenced(alert: AlertObject, silence: SilenceView, now: Date): AlertAction {
  const message = silencedMessage(silence);
  const until = Date.parse(silence.until);
  // A little after `until`, so the silence is over when the run comes (`silenceInForce` is `now < until`).
  const afterMs = Number.isFinite(until) ? Math.max(1, until - now.getTime() + 50) : undefined;
  const wait = afterMs === undefined ? {} : { afterMs };
  const condition = silencedCondition(alert);
  if (
    condition?.status === 'True' &&
    condition.message === message &&
    alert.status?.opsStatus?.message === message
  ) {
    return { kind: 'nothing', why: 'silenced', ...wait };
  }
  return {
    kind: 'writeStatus',
    why: 'silenced',
    status: {
      opsStatus: { message },
      ...conditionPatch(
        alert,
        [{ type: alertConditionTypes.silenced, status: 'True', reason: 'Silenced', message }],
        now,
      ),
    },
    events: condition?.status === 'True' ? [] : [{ type: 'Normal', reason: 'Silenced', message }],
    ...wait,
  };
}

/** The silence is over (expired or deleted): say so, then the next run triggers. */
function silenceEnded(alert: AlertObject, now: Date): AlertAction {
  const message = 'no AegisSilence matches any more; the alert is handled now';
  return {
    kind: 'writeStatus',
    why: 'silence ended',
    status: conditionPatch(
      alert,
      [{ type: alertConditionTypes.silenced, status: 'False', reason: 'SilenceEnded', message }],
      now,
    ),
    // The write's own watch event brings the run that triggers.
    events: [{ type: 'Normal', reason: 'SilenceEnded', message }],
  };
}

/** Close a pending approval without a run (timeout or the alert resolving). */
function closeApproval(
  alert: AlertObject,
  approval: DeepReadonly<AlertApproval>,
  state: 'Expired' | 'Cancelled',
  message: string,
  now: Date,
): AlertAction {
  const at = kubeTime(now);
  const closed: AlertApproval = {
    ...(structuredClone(approval) as AlertApproval),
    state,
    decidedAt: at,
    history: [
      ...((structuredClone(approval.history ?? []) as AlertApproval['history']) ?? []),
      { decision: state, by: 'aegis', via: 'controller', at, reason: message },
    ],
  };
  return triggerFailure(alert, 'TriggerFailed', message, now, {
    conditionReason: state === 'Expired' ? 'ApprovalExpired' : 'ApprovalCancelled',
    approval: closed,
    eventType: state === 'Expired' ? 'Warning' : 'Normal',
  });
}

/** Parse the approved manifest and check it is exactly what was approved (digest) and still a Workflow. */
function approvedManifest(
  approval: DeepReadonly<AlertApproval>,
): { ok: true; manifest: Record<string, unknown>; digest: string } | { ok: false; message: string } {
  if (approval.renderedManifest === undefined || approval.manifestDigest === undefined) {
    return { ok: false, message: 'the approval holds no rendered manifest and digest' };
  }
  let manifest: unknown;
  try {
    manifest = parseYaml(approval.renderedManifest, { version: '1.1' });
  } catch (error) {
    return { ok: false, message: `the approved manifest does not parse: ${String(error)}` };
  }
  if (workflowDigest(manifest) !== approval.manifestDigest) {
    return { ok: false, message: 'the approved manifest does not match its digest; nothing was run' };
  }
  const shape = workflowShapeProblem(manifest);
  if (shape !== undefined) return { ok: false, message: shape.problem };
  return { ok: true, manifest: manifest as Record<string, unknown>, digest: approval.manifestDigest };
}

function decideApproval(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now } = context;
  const approval = alert.status?.approval;
  if (approval === undefined) {
    return triggerFailure(alert, 'TriggerFailed', 'awaiting approval but status.approval is missing', now);
  }
  switch (approval.state) {
    case 'Pending': {
      if (alertStatusOf(alert) === 'Resolved') {
        return closeApproval(alert, approval, 'Cancelled', 'alert resolved before approval', now);
      }
      const expiresAt = approval.expiresAt === undefined ? Infinity : Date.parse(approval.expiresAt);
      if (!(now.getTime() < expiresAt)) {
        return closeApproval(alert, approval, 'Expired', 'approval expired', now);
      }
      return {
        kind: 'nothing',
        why: 'waiting for approval',
        ...(Number.isFinite(expiresAt) ? { afterMs: expiresAt - now.getTime() } : {}),
      };
    }
    case 'Approved': {
      const validity = approvalIsValid(
        structuredClone(approval) as AlertApproval,
        toRuleApprovalInput(context.approvalRule),
      );
      if (!validity.valid) {
        return triggerFailure(alert, 'TriggerFailed', `the approval is not valid: ${validity.reason}`, now, {
          conditionReason: 'ApprovalInvalid',
        });
      }
      const checked = approvedManifest(approval);
      if (!checked.ok) {
        return triggerFailure(alert, 'TriggerFailed', checked.message, now, {
          conditionReason: 'ApprovedManifestMismatch',
        });
      }
      const origin = {
        template: approval.template === undefined ? undefined : referenceOf(approval.template, alert),
        rule: approval.rule === undefined ? undefined : referenceOf(approval.rule, alert),
        digest: checked.digest,
      };
      return createStep(
        alert,
        checked.manifest,
        origin,
        now,
        `approved by ${validity.approvedBy.join(', ')}`,
      );
    }
    case 'Rejected': {
      const rejection = [...(approval.history ?? [])]
        .reverse()
        .find((entry) => entry.decision === 'Rejected');
      const by = rejection === undefined ? '' : ` by ${rejection.by}`;
      const reason = rejection?.reason === undefined ? '' : `: ${rejection.reason}`;
      return triggerFailure(alert, 'Rejected', `rejected${by}${reason}`, now, {
        conditionReason: 'ApprovalRejected',
        eventType: 'Normal',
      });
    }
    case 'Expired':
      return triggerFailure(alert, 'TriggerFailed', 'approval expired', now, {
        conditionReason: 'ApprovalExpired',
      });
    case 'Cancelled':
      return triggerFailure(alert, 'TriggerFailed', 'approval cancelled', now, {
        conditionReason: 'ApprovalCancelled',
        eventType: 'Normal',
      });
  }
}

function referenceOf(
  ref: { readonly namespace?: string | undefined; readonly name: string },
  alert: AlertObject,
): ObjectReferenceView {
  return { namespace: ref.namespace ?? alert.metadata.namespace ?? '', name: ref.name };
}

function decideFollow(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now, workflow } = context;
  const ops = alert.status?.opsStatus ?? {};
  if (ops.alertOpsStatus === 'Succeeded' || ops.alertOpsStatus === 'Failed') {
    return { kind: 'nothing', why: 'ops finished' };
  }
  const name = alertWorkflowName(alert);
  if (workflow === undefined || !workflow.owned) {
    const message = `Workflow ${name} was deleted before it finished`;
    return {
      kind: 'writeStatus',
      why: 'workflow gone',
      status: {
        opsStatus: { alertOpsStatus: 'Failed', completionTime: kubeTime(now), active: 0, failed: 1, message },
        ...conditionPatch(
          alert,
          [{ type: alertConditionTypes.failed, status: 'True', reason: 'WorkflowDeleted', message }],
          now,
        ),
      },
      events: [{ type: 'Warning', reason: 'WorkflowDeleted', message }],
      fact: { kind: 'workflowDeleted' },
    };
  }
  if (workflow.phase === 'Pending') return { kind: 'nothing', why: 'workflow pending' };
  if (ops.startTime === undefined || ops.alertOpsStatus !== 'Running') {
    // Running is recorded before any outcome, so every step shows in a watch of the alert.
    return {
      kind: 'writeStatus',
      why: 'workflow running',
      status: {
        opsStatus: {
          alertOpsStatus: 'Running',
          startTime: ops.startTime ?? normaliseTime(workflow.startedAt) ?? kubeTime(now),
          active: 1,
          message: `Workflow ${workflow.name} is running`,
        },
      },
      events: [],
    };
  }
  if (workflow.phase === 'Running') return { kind: 'nothing', why: 'workflow running' };
  const succeeded = workflow.phase === 'Succeeded';
  const completionTime = normaliseTime(workflow.finishedAt) ?? kubeTime(now);
  const detail = workflow.message === undefined ? '' : `: ${workflow.message}`;
  const message = succeeded
    ? `Workflow ${workflow.name} succeeded`
    : `Workflow ${workflow.name} ${workflow.phase === 'Error' ? 'errored' : 'failed'}${detail}`;
  const reason = succeeded
    ? 'WorkflowSucceeded'
    : workflow.phase === 'Error'
      ? 'WorkflowError'
      : 'WorkflowFailed';
  return {
    kind: 'recordOutcome',
    why: `workflow ${workflow.phase}`,
    outcome: succeeded ? 'Succeeded' : 'Failed',
    workflowUid: workflow.uid,
    ...(workflow.template === undefined ? {} : { template: workflow.template }),
    status: {
      opsStatus: {
        alertOpsStatus: succeeded ? 'Succeeded' : 'Failed',
        completionTime,
        active: 0,
        succeeded: succeeded ? 1 : 0,
        failed: succeeded ? 0 : 1,
        message,
      },
      ...conditionPatch(
        alert,
        [
          {
            type: succeeded ? alertConditionTypes.complete : alertConditionTypes.failed,
            status: 'True',
            reason,
            message,
          },
        ],
        now,
      ),
    },
    events: [
      {
        type: succeeded ? 'Normal' : 'Warning',
        reason: succeeded ? 'WorkflowSucceeded' : 'WorkflowFailed',
        message,
      },
    ],
  };
}

export function decideAlertAction(alert: AlertObject, context: AlertDecisionContext): AlertAction {
  const { now } = context;
  if (alert.metadata.deletionTimestamp !== undefined) return { kind: 'nothing', why: 'alert being deleted' };
  const status = alert.status ?? {};

  // The ingest worker writes status (Firing, count 1, startTime) right after creating the alert. Wait for it,
  // so that the first row of a watch is "Firing 1"; an alert made some other way gets it from us (as upstream).
  if (status.startTime === undefined) {
    const created = Date.parse(alert.metadata.creationTimestamp ?? '');
    const age = Number.isFinite(created) ? now.getTime() - created : Infinity;
    if (age < context.initialStatusGraceMs) {
      return {
        kind: 'nothing',
        why: 'waiting for the initial status',
        afterMs: context.initialStatusGraceMs - age,
      };
    }
    return {
      kind: 'writeStatus',
      why: 'initial status',
      status: {
        status: alertStatusOf(alert),
        count: Math.max(status.count ?? 0, 1),
        startTime: kubeTime(now),
      },
      events: [],
    };
  }

  const trigger = status.opsStatus?.triggerStatus;
  // A Workflow this alert owns exists but the status does not say so: a crash (or a lost status write) after
  // the create. Adopt it rather than deciding anew: there is never a second Workflow.
  if (trigger !== 'Triggered' && context.workflow?.owned === true) {
    return {
      kind: 'writeStatus',
      why: 'adopting the existing workflow',
      status: triggeredStatus(alert, context.workflow.name, now),
      events: [],
    };
  }
  switch (trigger) {
    case undefined:
      if (alertStatusOf(alert) !== 'Firing') return { kind: 'nothing', why: 'resolved before any trigger' };
      if (context.silence !== undefined && alert.spec.opsRequest === undefined) {
        return decideSilenced(alert, context.silence, now);
      }
      if (silencedCondition(alert)?.status === 'True') return silenceEnded(alert, now);
      return decideTrigger(alert, context);
    case 'AwaitingApproval':
      return decideApproval(alert, context);
    case 'Triggered':
      return decideFollow(alert, context);
    default:
      return { kind: 'nothing', why: `trigger finished: ${trigger}` };
  }
}
