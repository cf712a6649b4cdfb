/**
 * The alert reconcile: read the alert and what it depends on from the caches, let `decideAlertAction` choose
 * one step, do it, and write the status through `/status` as a merge patch guarded by the resourceVersion read.
 * A conflict (someone wrote in between) asks for another run shortly; the watch event of that other write
 * queues one anyway.
 *
 * A status write returns the alert as stored, so the run decides again on it at once (up to `maxStepsPerRun`
 * steps) instead of waiting for the write's watch event to queue another run: "initial status → trigger" or
 * "Running → outcome" take one run. The written alert is also what the next runs read until the cache has it
 * (`AlertVersions`), and a version the run has fully decided on is settled, so its own watch event queues
 * nothing. The step after a Workflow create is left to the Workflow's watch events (the cache has it then).
 */
import { AegisError } from '../../core/errors.js';
import type { ApprovalDefault } from '../../core/approvals/index.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { SilenceLike } from '../../core/silences/index.js';
import { isConflict, isNotFound } from '../ingest/index.js';
import { reconcileAgain, reconcileDone } from '../runtime/index.js';
import type {
  DeepReadonly,
  ObjectKey,
  ReconcileContext,
  ReconcileFunction,
  ReconcileResult,
} from '../runtime/index.js';
import { createAlertEventChain } from './alert-event-chain.js';
import { createAlertLookups, type WorkflowPolicy } from './alert-lookups.js';
import type { AlertMetrics } from './alert-metrics.js';
import { noopAlertMetrics } from './alert-metrics.js';
import {
  alertReconcilerErrorCodes,
  hasCode,
  type AlertEvent,
  type AlertStatusWriter,
  type EventRecorder,
  type ObjectCache,
  type ObjectReferenceView,
  type RuleMatcher,
  type RuleView,
  type TemplateStatusStore,
  type TemplateView,
  type WorkflowObject,
  type WorkflowStore,
} from '../../core/ports/index.js';
import { viewWorkflow } from './alert-workflow.js';
import {
  decideAlertAction,
  needsTrigger,
  triggerFailure,
  type AlertAction,
  type AlertFact,
  type AlertObject,
  type StatusPatch,
} from './decide-alert-action.js';
import type { AlertVersions } from './alert-versions.js';
import type { OutcomeLedger } from './outcome-ledger.js';
import { createTemplateCounterWriter } from './template-counters.js';

export type { ObjectCache } from '../../core/ports/index.js';

export interface AlertReconcilerDependencies {
  readonly alerts: Pick<ObjectCache<AlertObject>, 'get'>;
  readonly workflows: ObjectCache<WorkflowObject>;
  readonly templates: Pick<ObjectCache<TemplateView>, 'get'>;
  readonly rules: Pick<ObjectCache<RuleView>, 'get'>;
  /** Cached AegisSilences (a watch source fits); a silence applies to the alerts of its namespace. */
  readonly silences?: { list(namespace?: string): readonly DeepReadonly<SilenceLike>[] };
  readonly matcher: RuleMatcher;
  /** Template namespaces and Workflow service accounts allowed (see `WorkflowPolicy`). */
  readonly workflowPolicy?: WorkflowPolicy;
  /** Whether the lookup caches have listed; runs before that are put off (a missing template is not yet known). */
  readonly synced?: () => boolean;
  readonly workflowStore: WorkflowStore;
  readonly templateStore: TemplateStatusStore;
  readonly statusWriter: AlertStatusWriter;
  readonly events: EventRecorder;
  readonly ledger: OutcomeLedger;
  readonly metrics?: AlertMetrics;
  readonly logger?: Logger;
  /** Injected clock (default `new Date()`). */
  readonly now?: () => Date;
  /** Default `none`. */
  readonly approvalDefault?: ApprovalDefault;
  /** Default 10 s. */
  readonly initialStatusGraceMs?: number;
  /** Delay of the run asked for after a write conflict (default 200 ms). */
  readonly conflictRetryMs?: number;
  /**
   * Our own writes and settled versions (see `AlertVersions`); the alert watch must report its events to it
   * (`observe`). Without it every run reads the cache and every event queues a run, as before.
   */
  readonly versions?: AlertVersions;
}

/** Steps one run takes at most (each after a successful status write). */
const maxStepsPerRun = 4;

/** What performing one step did: the result to return, and the alert as written when a status write landed. */
interface StepOutcome {
  readonly result: ReconcileResult;
  readonly written?: AlertObject;
  /**
   * `decide`: decide again on `written` now. `settle`: the decision stands until an outside change (nothing to
   * do; a created Workflow, whose own events bring the next step). `event`: leave the next step to the watch
   * event of what was written (or to the retry asked for).
   */
  readonly next: 'decide' | 'settle' | 'event';
}

export function createAlertReconciler(dependencies: AlertReconcilerDependencies): ReconcileFunction {
  const deps = dependencies;
  const metrics = deps.metrics ?? noopAlertMetrics;
  const baseLogger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const conflictRetryMs = deps.conflictRetryMs ?? 200;
  const versions = deps.versions;
  const counters = createTemplateCounterWriter(deps.templateStore);
  const lookups = createAlertLookups(deps);
  const eventChain = createAlertEventChain(deps.events);

  return async (key: ObjectKey, context: ReconcileContext): Promise<ReconcileResult> => {
    const logger = context.logger ?? baseLogger;
    if (deps.synced !== undefined && !deps.synced()) return reconcileAgain(250);
    const versionKey = `${key.namespace}/${key.name}`;
    if (versions === undefined) return await run(key, versionKey, logger).then((ran) => ran.result);
    versions.begin(versionKey);
    let settled: readonly string[] | undefined;
    try {
      const ran = await run(key, versionKey, logger);
      settled = ran.settled;
      return ran.result;
    } finally {
      // Events of this alert that came while it ran, and that the run did not settle, need a run of their own.
      if (versions.end(versionKey, settled)) {
        await context.enqueue(key).catch((error: unknown) => {
          logger.warn({ err: String(error) }, 'could not queue the run an event asked for');
        });
      }
    }
  };

  /** Decide and perform up to `maxStepsPerRun` steps; `settled` lists the versions whose decision stands. */
  async function run(
    key: ObjectKey,
    versionKey: string,
    logger: Logger,
  ): Promise<{ result: ReconcileResult; settled?: readonly string[] }> {
    const cached = deps.alerts.get(key.namespace, key.name);
    let alert = versions === undefined ? cached : versions.current(versionKey, cached);
    if (alert === undefined) return { result: reconcileDone };
    const seen: string[] = [];
    for (let step = 1; ; step += 1) {
      if (alert.metadata.resourceVersion !== undefined) seen.push(alert.metadata.resourceVersion);
      const action = await decide(key, alert, logger);
      const outcome = await perform(alert, action, logger);
      if (outcome.written !== undefined) versions?.wrote(versionKey, alert, outcome.written);
      if (outcome.next === 'decide' && outcome.written !== undefined && step < maxStepsPerRun) {
        alert = outcome.written;
        continue;
      }
      if (outcome.next !== 'settle') return { result: outcome.result };
      const writtenVersion = outcome.written?.metadata.resourceVersion;
      return {
        result: outcome.result,
        settled: writtenVersion === undefined ? seen : [...seen, writtenVersion],
      };
    }
  }

  async function decide(key: ObjectKey, alert: AlertObject, logger: Logger): Promise<AlertAction> {
    const at = now();
    const silence = lookups.silenceOf(alert, at);

    const workflow = await lookups.findWorkflow(alert);
    // A silenced alert is neither matched nor rendered: it waits as it is.
    const trigger =
      needsTrigger(alert) && workflow?.owned !== true && silence === undefined
        ? lookups.resolveTrigger(alert)
        : undefined;
    // The rule named by the approval record on the suspended Workflow (never by the alert's status).
    const record =
      workflow?.owned === true && workflow.approval !== 'invalid' ? workflow.approval : undefined;
    const approvalRuleObject =
      record?.state === 'Approved' && record.rule !== undefined
        ? deps.rules.get(record.rule.namespace ?? key.namespace, record.rule.name)
        : undefined;
    const action = decideAlertAction(alert, {
      now: at,
      approvalDefault: deps.approvalDefault ?? 'none',
      initialStatusGraceMs: deps.initialStatusGraceMs ?? 10_000,
      ...(trigger === undefined ? {} : { trigger }),
      ...(workflow === undefined ? {} : { workflow }),
      ...(silence === undefined ? {} : { silence }),
      ...(approvalRuleObject?.spec?.approval === undefined
        ? {}
        : { approvalRule: approvalRuleObject.spec.approval }),
    });
    logger.debug({ action: action.kind, why: action.why }, 'alert step');
    return action;
  }

  async function perform(alert: AlertObject, action: AlertAction, logger: Logger): Promise<StepOutcome> {
    switch (action.kind) {
      case 'nothing':
        return {
          result: action.afterMs === undefined ? reconcileDone : reconcileAgain(Math.max(1, action.afterMs)),
          next: 'settle',
        };
      case 'writeStatus': {
        const written = await writeStatus(alert, action.status, action.events, logger);
        if (written.state !== 'written') return { result: afterFailedWrite(written.state), next: 'event' };
        if (action.fact !== undefined) report(action.fact);
        const result =
          action.afterMs === undefined ? reconcileDone : reconcileAgain(Math.max(1, action.afterMs));
        return { result, ...withWritten(written.object), next: 'decide' };
      }
      case 'createWorkflow':
        return await createWorkflow(alert, action, logger);
      case 'resumeWorkflow':
        return await resumeWorkflow(alert, action, logger);
      case 'deleteWorkflow':
        return await deleteWorkflow(alert, action, logger);
      case 'recordOutcome':
        return await recordOutcome(alert, action, logger);
    }
  }

  function report(fact: AlertFact): void {
    if (fact.kind === 'triggerFailed') metrics.triggerFailed(fact.reason);
    else if (fact.kind === 'approvalRequested') metrics.approvalRequested();
    else metrics.workflowOutcome('Deleted');
  }

  function afterFailedWrite(state: 'conflict' | 'gone'): ReconcileResult {
    return state === 'conflict' ? reconcileAgain(conflictRetryMs) : reconcileDone;
  }

  function withWritten(object: AlertObject | undefined): { written?: AlertObject } {
    return object === undefined ? {} : { written: object };
  }

  async function createWorkflow(
    alert: AlertObject,
    action: Extract<AlertAction, { kind: 'createWorkflow' }>,
    logger: Logger,
  ): Promise<StepOutcome> {
    const namespace = alert.metadata.namespace ?? '';
    const name = action.workflow.metadata?.name ?? '';
    let created = false;
    try {
      await deps.workflowStore.create(namespace, action.workflow);
      created = true;
      logger.info({ workflow: name, why: action.why }, 'created Workflow');
    } catch (error) {
      if (hasCode(error, alertReconcilerErrorCodes.alreadyExists)) {
        const existing = await deps.workflowStore.get(namespace, name);
        if (existing === undefined) {
          throw new AegisError('WORKFLOW_RACE', `Workflow ${namespace}/${name} vanished during create`, {
            retryable: true,
          });
        }
        if (!viewWorkflow(existing, alert.metadata.uid ?? '').owned) {
          const failure = triggerFailure(
            alert,
            'TriggerFailed',
            `a Workflow named ${name} already exists and is not owned by this alert`,
            now(),
          );
          return await perform(alert, failure, logger);
        }
        logger.info({ workflow: name }, 'adopting the Workflow this alert already owns');
      } else if (hasCode(error, alertReconcilerErrorCodes.apiError) && !error.retryable) {
        // The API server refused the Workflow as invalid: retrying cannot help.
        const failure = triggerFailure(alert, 'TriggerFailed', error.message, now());
        return await perform(alert, failure, logger);
      } else {
        throw error;
      }
    }
    if (created) metrics.workflowCreated();
    if (created && action.fact !== undefined) report(action.fact);
    const written = await writeStatus(alert, action.status, created ? action.events : [], logger);
    // On a conflict the next run finds the Workflow and adopts it.
    if (written.state !== 'written') return { result: afterFailedWrite(written.state), next: 'event' };
    // Not decided again here: the cache may not hold the new Workflow yet (a read through the API). The
    // Workflow's own watch event queues the next step; an adopted one may have been cached before this run, so
    // then the written alert is not settled and its own event queues the next run.
    return { result: reconcileDone, ...withWritten(written.object), next: created ? 'settle' : 'event' };
  }

  async function resumeWorkflow(
    alert: AlertObject,
    action: Extract<AlertAction, { kind: 'resumeWorkflow' }>,
    logger: Logger,
  ): Promise<StepOutcome> {
    const namespace = alert.metadata.namespace ?? '';
    try {
      // Guarded by the version the approval record was read at: a decision written since is decided on again.
      await deps.workflowStore.patch(namespace, action.name, {
        metadata: { resourceVersion: action.resourceVersion },
        spec: { suspend: false },
      });
      logger.info({ workflow: action.name, why: action.why }, 'resumed the approved Workflow');
    } catch (error) {
      if (hasCode(error, alertReconcilerErrorCodes.conflict))
        return { result: reconcileAgain(conflictRetryMs), next: 'event' };
      if (hasCode(error, alertReconcilerErrorCodes.notFound))
        return { result: reconcileAgain(conflictRetryMs), next: 'event' };
      throw error;
    }
    const written = await writeStatus(alert, action.status, action.events, logger);
    // On a conflict the next run finds the resumed Workflow and adopts it.
    if (written.state !== 'written') return { result: afterFailedWrite(written.state), next: 'event' };
    return { result: reconcileDone, ...withWritten(written.object), next: 'event' };
  }

  async function deleteWorkflow(
    alert: AlertObject,
    action: Extract<AlertAction, { kind: 'deleteWorkflow' }>,
    logger: Logger,
  ): Promise<StepOutcome> {
    const namespace = alert.metadata.namespace ?? '';
    await deps.workflowStore.delete(namespace, action.name);
    logger.info({ workflow: action.name, why: action.why }, 'deleted the suspended Workflow; nothing runs');
    const written = await writeStatus(alert, action.status, action.events, logger);
    if (written.state !== 'written') return { result: afterFailedWrite(written.state), next: 'event' };
    if (action.fact !== undefined) report(action.fact);
    return { result: reconcileDone, ...withWritten(written.object), next: 'event' };
  }

  async function recordOutcome(
    alert: AlertObject,
    action: Extract<AlertAction, { kind: 'recordOutcome' }>,
    logger: Logger,
  ): Promise<StepOutcome> {
    if (action.template !== undefined && action.workflowUid !== '') {
      await countOutcome(action.template, action.workflowUid, action.outcome, logger);
    }
    const written = await writeStatus(alert, action.status, action.events, logger);
    if (written.state !== 'written') return { result: afterFailedWrite(written.state), next: 'event' };
    metrics.workflowOutcome(action.outcome);
    return { result: reconcileDone, ...withWritten(written.object), next: 'decide' };
  }

  /**
   * Count once in the ledger, then write the template's counters as absolute values (idempotent, coalesced
   * with the other outcomes of the template: `TemplateCounterWriter`).
   */
  async function countOutcome(
    reference: ObjectReferenceView,
    workflowUid: string,
    outcome: 'Succeeded' | 'Failed',
    logger: Logger,
  ): Promise<void> {
    // The cache is enough to know the template's uid and to seed a ledger counter Redis lost; the write
    // itself reads the current counters through the API.
    const template =
      (deps.templates.get(reference.namespace, reference.name) as TemplateView | undefined) ??
      (await deps.templateStore.get(reference.namespace, reference.name));
    const uid = template?.metadata?.uid;
    if (template === undefined || uid === undefined) {
      logger.info(
        { template: `${reference.namespace}/${reference.name}` },
        'template gone; outcome not counted',
      );
      return;
    }
    const current = template.status?.executeStatus ?? {};
    const counts = await deps.ledger.count(
      uid,
      workflowUid,
      outcome === 'Succeeded' ? 'succeeded' : 'failed',
      {
        succeeded: current.succeeded ?? 0,
        failed: current.failed ?? 0,
      },
    );
    await counters.write(reference, counts, logger);
  }

  async function writeStatus(
    alert: AlertObject,
    status: StatusPatch,
    events: readonly AlertEvent[],
    logger: Logger,
  ): Promise<{ state: 'written'; object?: AlertObject } | { state: 'conflict' | 'gone' }> {
    const namespace = alert.metadata.namespace ?? '';
    const name = alert.metadata.name ?? '';
    const resourceVersion = alert.metadata.resourceVersion;
    let stored: unknown;
    try {
      stored = await deps.statusWriter.patchStatus(
        namespace,
        name,
        status,
        resourceVersion === undefined ? {} : { resourceVersion },
      );
    } catch (error) {
      if (isConflict(error)) return { state: 'conflict' };
      if (isNotFound(error)) return { state: 'gone' };
      throw error;
    }
    if (events.length > 0) eventChain.record(alert, events, logger);
    const object = storedAlert(stored, alert);
    return object === undefined ? { state: 'written' } : { state: 'written', object };
  }
}

/** The alert a `/status` write returned, when it is one (the same object, with a new resourceVersion). */
function storedAlert(stored: unknown, before: AlertObject): AlertObject | undefined {
  const candidate = stored as Partial<AlertObject> | undefined;
  const metadata = candidate?.metadata;
  if (
    metadata?.resourceVersion === undefined ||
    metadata.name !== before.metadata.name ||
    metadata.uid !== before.metadata.uid ||
    candidate?.spec === undefined
  )
    return undefined;
  return candidate as AlertObject;
}
