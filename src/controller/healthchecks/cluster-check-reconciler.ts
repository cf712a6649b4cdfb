/**
 * The AegisClusterHealthCheck reconciler: one round at a time.
 *
 *   no round yet, or the schedule asked for one (`phase: Pending` without `desired`)
 *       → select nodes (template nodeSelector + tolerations vs taints), create one AegisNodeHealthCheck per node
 *         (`<check>-r<round>-<node>`, owned by the cluster check) → `Checking`, `desired`
 *   Checking → keep `active/succeeded/failed` current; when every node check finished, or the round timed out
 *       (`spec.timeout`, default from the config: upstream panicked without one)
 *       → `checkResults` (failing items only), `uncheckedNodes`, history, alerts (every failing item fires,
 *         items that failed last round and pass now resolve), the digest of what changed, then the node checks
 *         are deleted (their pods go with them).
 *
 * Side effects that happen once per round (alerts, digest) run BEFORE the status says `Completed`: if the
 * process dies in between, the round completes again and re-sends the same deliveries (same ids, so ingest
 * counts them once).
 */
import { isAegisError } from '../../core/errors.js';
import {
  boundedName,
  clusterHealthCheckLabel,
  compareRounds,
  flattenFailing,
  healthCheckAlert,
  healthCheckDeliveryId,
  parseCheckSchedule,
  selectNodes,
  summariseRound,
  type RoundChild,
  type Toleration,
} from '../../core/health-checks/index.js';
import type {
  AegisClusterHealthCheckStatus,
  CheckResultsByModule,
  ClusterCheckRound,
  Condition,
  NodeCheckResult,
} from '../../core/resources/index.js';
import type { CustomObjectClient } from '../../kube/index.js';
import { customObjectErrorCodes } from '../../kube/index.js';
import {
  mutableCopy,
  reconcileAgain,
  reconcileDone,
  type DeepReadonly,
  type ReconcileFunction,
} from '../runtime/index.js';
import type { CheckScheduler } from './check-scheduler.js';
import type { EventRecorder, HealthAlertIntake, HealthDigestSink } from './health-check-ports.js';
import type { ClusterCheckObject, HealthCheckSources, NodeCheckObject } from './health-check-resources.js';
import { nodeCheckResource } from './health-check-resources.js';
import { kubeTime, setCondition, subjectOf } from './node-check-conditions.js';
import { forEachLimited } from './parallel.js';

export const roundLabel = 'aegis.io/health-check-round';

export interface ClusterCheckDependencies {
  readonly sources: Pick<HealthCheckSources, 'clusterChecks' | 'nodeChecks' | 'nodes'>;
  readonly nodeChecks: Pick<CustomObjectClient<NodeCheckObject>, 'create' | 'delete'>;
  readonly status: Pick<CustomObjectClient<ClusterCheckObject>, 'patchStatus'>;
  readonly events: EventRecorder;
  readonly alerts?: HealthAlertIntake | undefined;
  readonly digest?: HealthDigestSink | undefined;
  readonly scheduler?: Pick<CheckScheduler, 'sync'> | undefined;
  /** `spec.timeout` when the check has none. */
  readonly defaultRoundTimeoutMs: number;
  /** Rounds kept in `status.history`. */
  readonly historyLimit: number;
  /** Least time between two writes of a running round's counters (default 1 s). */
  readonly countsIntervalMs?: number;
  /** Node checks created or deleted at once. */
  readonly parallelism?: number;
  readonly now: () => Date;
}

const kind = 'AegisClusterHealthCheck';
/** A round's node checks not all seen after this long were probably never created (crash mid-round). */
const missingChildrenGraceMs = 30_000;

export function childName(check: string, round: number, node: string): string {
  return boundedName(`${check}-r${round}-${node}`, 253);
}

export function createClusterCheckReconciler(dependencies: ClusterCheckDependencies): ReconcileFunction {
  const { sources } = dependencies;
  const parallelism = dependencies.parallelism ?? 32;
  const reportedSchedules = new Map<string, string>();
  // When this process last wrote a round's running counters: at most once per interval, so a round of 1,000
  // node checks is not 3,000 status writes (the final counters are always written at completion).
  const countsWrittenAt = new Map<string, number>();
  const countsIntervalMs = dependencies.countsIntervalMs ?? 1_000;

  const childrenOf = (check: DeepReadonly<ClusterCheckObject>): DeepReadonly<NodeCheckObject>[] =>
    sources.nodeChecks
      .list(check.metadata?.namespace ?? '')
      .filter(
        (child) =>
          child.metadata?.ownerReferences?.some((owner) => owner.uid === check.metadata?.uid) === true,
      );

  const withCondition = (
    check: DeepReadonly<ClusterCheckObject>,
    type: string,
    status: 'True' | 'False',
    reason: string,
    message: string,
    now: Date,
  ): Condition[] =>
    setCondition(
      mutableCopy(check.status?.conditions ?? []),
      { type, status, reason, message },
      now,
      check.metadata?.generation,
    );

  const patch = async (
    check: DeepReadonly<ClusterCheckObject>,
    status: Record<string, unknown>,
    guarded = false,
  ): Promise<void> => {
    await dependencies.status.patchStatus(
      check.metadata?.namespace ?? '',
      check.metadata?.name ?? '',
      status,
      guarded ? { resourceVersion: check.metadata?.resourceVersion } : {},
    );
  };

  const deleteChildren = async (children: readonly DeepReadonly<NodeCheckObject>[]): Promise<void> => {
    await forEachLimited(children, parallelism, async (child) => {
      await dependencies.nodeChecks.delete(child.metadata?.namespace ?? '', child.metadata?.name ?? '');
    });
  };

  const syncSchedule = async (check: DeepReadonly<ClusterCheckObject>, now: Date): Promise<void> => {
    const namespace = check.metadata?.namespace ?? '';
    const name = check.metadata?.name ?? '';
    const schedule = check.spec?.schedule;
    if (schedule === undefined || schedule === '') {
      await dependencies.scheduler?.sync(namespace, name, undefined);
      return;
    }
    const parsed = parseCheckSchedule(schedule);
    if (parsed.ok) {
      await dependencies.scheduler?.sync(namespace, name, parsed.pattern);
      return;
    }
    await dependencies.scheduler?.sync(namespace, name, undefined);
    const reportKey = `${check.metadata?.uid ?? ''}/${schedule}`;
    if (reportedSchedules.get(check.metadata?.uid ?? '') === reportKey) return;
    reportedSchedules.set(check.metadata?.uid ?? '', reportKey);
    await dependencies.events.record(subjectOf(check, kind), {
      type: 'Warning',
      reason: 'UnparseableSchedule',
      message: parsed.message,
    });
    await patch(check, {
      conditions: withCondition(check, 'ScheduleValid', 'False', 'UnparseableSchedule', parsed.message, now),
    });
  };

  const createChildren = async (
    check: DeepReadonly<ClusterCheckObject>,
    round: number,
    nodes: readonly string[],
  ): Promise<string | undefined> => {
    const namespace = check.metadata?.namespace ?? '';
    const name = check.metadata?.name ?? '';
    let failure: string | undefined;
    await forEachLimited(nodes, parallelism, async (node) => {
      if (failure !== undefined) return;
      try {
        await dependencies.nodeChecks.create(namespace, {
          apiVersion: 'aegis.io/v1alpha1',
          kind: nodeCheckResource.kind,
          metadata: {
            name: childName(name, round, node),
            namespace,
            labels: {
              ...(check.metadata?.labels ?? {}),
              [clusterHealthCheckLabel]: boundedName(name, 63),
              [roundLabel]: String(round),
            },
            ownerReferences: [
              {
                apiVersion: 'aegis.io/v1alpha1',
                kind,
                name,
                uid: check.metadata?.uid ?? '',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: {
            node,
            template: mutableCopy(check.spec?.template ?? {}),
            ...(check.spec?.ruleConfigmapSelector === undefined
              ? {}
              : { ruleConfigmapSelector: mutableCopy(check.spec.ruleConfigmapSelector) }),
          },
        });
      } catch (error) {
        if (isAegisError(error) && error.code === customObjectErrorCodes.alreadyExists) return;
        if (isAegisError(error) && !error.retryable) failure = error.message;
        else throw error;
      }
    });
    return failure;
  };

  const eligibleNodes = (check: DeepReadonly<ClusterCheckObject>): string[] => {
    const template = mutableCopy(check.spec?.template ?? {}) as {
      spec?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
    };
    return selectNodes(mutableCopy(sources.nodes.list()), template.spec ?? {});
  };

  const startRound = async (check: DeepReadonly<ClusterCheckObject>, now: Date): Promise<void> => {
    const round = (check.status?.round ?? 0) + 1;
    const nodes = eligibleNodes(check);
    // Leftovers of an earlier round (a crash between its status and its clean-up) must not count in this one.
    await deleteChildren(childrenOf(check));
    const message = `round ${round}: ${nodes.length} node check(s) to create`;
    // The round is recorded first, guarded by the resourceVersion: a reconcile that read a stale cache (the
    // node checks' events can arrive before this status does) fails with a conflict instead of a second round.
    await patch(
      check,
      {
        phase: 'Checking',
        round,
        startTime: kubeTime(now),
        completionTime: null,
        desired: nodes.length,
        active: nodes.length,
        succeeded: 0,
        failed: 0,
        conditions: withCondition(
          check,
          'SucceededCreateNodeCheck',
          'True',
          'NodeChecksCreated',
          message,
          now,
        ),
      },
      true,
    );
    const failure = await createChildren(check, round, nodes);
    if (failure !== undefined) {
      await patch(check, {
        phase: 'Failed',
        completionTime: kubeTime(now),
        conditions: withCondition(
          check,
          'FailedCreateNodeCheck',
          'True',
          'FailedCreateNodeCheck',
          failure,
          now,
        ),
      });
      await dependencies.events.record(subjectOf(check, kind), {
        type: 'Warning',
        reason: 'FailedCreateNodeCheck',
        message: failure,
      });
      return;
    }
    await dependencies.events.record(subjectOf(check, kind), {
      type: 'Normal',
      reason: 'SucceededCreatedNodeChecks',
      message: `round ${round}: ${nodes.length} node check(s) created`,
    });
  };

  const completeRound = async (
    check: DeepReadonly<ClusterCheckObject>,
    children: readonly DeepReadonly<NodeCheckObject>[],
    roundChildren: readonly RoundChild[],
    now: Date,
  ): Promise<void> => {
    const namespace = check.metadata?.namespace ?? '';
    const name = check.metadata?.name ?? '';
    const status = check.status ?? {};
    const round = status.round ?? 1;
    const summary = summariseRound(roundChildren, true);
    const changes = compareRounds(
      {
        failing: mutableCopy(status.checkResults?.results ?? []) as NodeCheckResult[],
        unchecked: (status.uncheckedNodes ?? []).map((entry) => entry.node),
      },
      summary,
    );
    const startTime = status.startTime ?? kubeTime(now);
    if (dependencies.alerts !== undefined) {
      const context = { check: `${namespace}/${name}`, roundStart: startTime };
      const roundId = `${check.metadata?.uid ?? ''}/${round}`;
      const alerts = [
        ...flattenFailing(summary.failing).map((item) => healthCheckAlert(item, 'Firing', context)),
        ...changes.recovered.map((item) => healthCheckAlert(item, 'Resolved', context)),
      ];
      for (let index = 0; index < alerts.length; index += 500) {
        await dependencies.alerts.accept(
          alerts
            .slice(index, index + 500)
            .map((alert) => ({ alert, deliveryId: healthCheckDeliveryId(alert, roundId) })),
        );
      }
    }
    const changed = changes.newFailures.length + changes.recovered.length + changes.newlyUnchecked.length > 0;
    if (dependencies.digest !== undefined && changed) {
      await dependencies.digest.post({
        check: { namespace, name, uid: check.metadata?.uid ?? '' },
        round,
        startTime,
        completionTime: kubeTime(now),
        desired: summary.desired,
        succeeded: summary.succeeded,
        failed: summary.failed,
        failingNodes: summary.failing.length,
        changes,
      });
    }
    const entry: ClusterCheckRound = {
      round,
      startTime,
      completionTime: kubeTime(now),
      desired: summary.desired,
      succeeded: summary.succeeded,
      failed: summary.failed,
      failingNodes: summary.failing.length,
      uncheckedNodes: summary.unchecked.length,
    };
    const history = [
      entry,
      ...mutableCopy(status.history ?? []).filter((previous) => previous.round !== round),
    ].slice(0, dependencies.historyLimit);
    const message =
      `round ${round}: ${summary.succeeded}/${summary.desired} node(s) checked, ${summary.failing.length} with problems, ` +
      `${summary.unchecked.length} not checked`;
    const statusPatch: AegisClusterHealthCheckStatus & Record<string, unknown> = {
      phase: 'Completed',
      completionTime: kubeTime(now),
      checkResults: { checkType: 'Node', results: summary.failing },
      uncheckedNodes: summary.unchecked,
      desired: summary.desired,
      active: 0,
      succeeded: summary.succeeded,
      failed: summary.failed,
      history,
      conditions: withCondition(check, 'Completed', 'True', 'RoundCompleted', message, now),
    };
    await patch(check, statusPatch, true);
    await dependencies.events.record(subjectOf(check, kind), {
      type: summary.failing.length + summary.unchecked.length === 0 ? 'Normal' : 'Warning',
      reason: 'Completed',
      message,
    });
    await deleteChildren(children);
  };

  return async (key, context) => {
    const check = sources.clusterChecks.get(key.namespace, key.name);
    if (check === undefined) {
      await dependencies.scheduler?.sync(key.namespace, key.name, undefined);
      return reconcileDone;
    }
    if (check.metadata?.deletionTimestamp !== undefined) return reconcileDone;
    const now = dependencies.now();
    await syncSchedule(check, now);
    const status = check.status ?? {};
    const children = childrenOf(check);
    if (status.phase === undefined || (status.phase === 'Pending' && status.desired === undefined)) {
      await startRound(check, now);
      return reconcileAgain(1_000);
    }
    if (status.phase === 'Completed' || status.phase === 'Failed') {
      if (children.length > 0) await deleteChildren(children);
      return reconcileDone;
    }
    const round = String(status.round ?? 1);
    const current = children.filter((child) => child.metadata?.labels?.[roundLabel] === round);
    const roundChildren: RoundChild[] = current.map((child) => ({
      node: child.spec?.node ?? '',
      status: child.status?.status,
      results:
        child.status?.results === undefined
          ? undefined
          : (mutableCopy(child.status.results) as CheckResultsByModule),
      reason: child.status?.conditions?.findLast((condition) => condition.status === 'True')?.message,
    }));
    const timeoutMs =
      check.spec?.timeout === undefined ? dependencies.defaultRoundTimeoutMs : check.spec.timeout * 1000;
    const remainingMs = (Date.parse(status.startTime ?? '') || now.getTime()) + timeoutMs - now.getTime();
    const desired = status.desired ?? 0;
    const summary = summariseRound(roundChildren, false);
    const startedMs = Date.parse(status.startTime ?? '') || now.getTime();
    if (current.length < desired && now.getTime() - startedMs > missingChildrenGraceMs && remainingMs > 0) {
      // The process died while creating this round's node checks: create the rest (names are fixed per round).
      const have = new Set(current.map((child) => child.spec?.node));
      const failure = await createChildren(
        check,
        status.round ?? 1,
        eligibleNodes(check).filter((node) => !have.has(node)),
      );
      if (failure !== undefined)
        context.logger.warn({ failure }, 'could not create the missing node checks of the round');
    }
    const allDone = current.length >= desired && summary.active === 0;
    if (allDone || remainingMs <= 0) {
      await completeRound(check, children, roundChildren, now);
      return reconcileDone;
    }
    const uid = check.metadata?.uid ?? '';
    const sinceCountsMs = now.getTime() - (countsWrittenAt.get(uid) ?? 0);
    if (sinceCountsMs < countsIntervalMs) {
      return reconcileAgain(Math.min(remainingMs + 50, countsIntervalMs - sinceCountsMs + 10));
    }
    if (
      summary.active !== status.active ||
      summary.succeeded !== status.succeeded ||
      summary.failed !== status.failed
    ) {
      countsWrittenAt.set(uid, now.getTime());
      await patch(check, {
        active: summary.active + Math.max(0, desired - current.length),
        succeeded: summary.succeeded,
        failed: summary.failed,
      });
    }
    return reconcileAgain(remainingMs + 50);
  };
}
