/**
 * The AegisNodeHealthCheck reconciler. Level-based, one pass per event:
 *
 *   no pod yet        → check the node exists, find the rule ConfigMaps, create the checker pod → `Pending`
 *   pod Pending       → `Pending`;  pod Running → `Checking`
 *   pod Succeeded     → read its log, parse the `results:` block → `Succeeded` with `status.results`,
 *                       or `Failed` (`FailedFetchResult`, saying which log line is wrong)
 *   pod Failed        → `Failed` (`NodeCheckFailed`, with the container's exit code)
 *   past `spec.timeout` (default 5 min) → `Failed` (`Timeout`)
 *
 * Once finished, the pod is deleted (its results are in the status). A check that no cluster check owns raises
 * its failing items as `NodeHealthCheckFailed` alerts (and resolves items it reports passing); a cluster
 * check's children leave that to the round, which knows what the previous round found. With
 * `fireNodeEvents`, each failing item is also a Warning Event on the Node (upstream `--nodecheck.fireevent`).
 */
import { isAegisError } from '../../core/errors.js';
import {
  buildCheckerPod,
  checkerPodName,
  checkLogLimitBytes,
  healthCheckAlert,
  healthCheckDeliveryId,
  parseCheckResults,
} from '../../core/health-checks/index.js';
import {
  formatLabelSelector,
  labelSelectorFromObject,
  LabelSelectorError,
  type LabelSelectorObject,
} from '../../core/label-selector.js';
import type {
  AegisNodeHealthCheckStatus,
  CheckResultsByModule,
  Condition,
} from '../../core/resources/index.js';
import type { CustomObjectClient, NodePodClient } from '../../kube/index.js';
import { nodePodErrorCodes } from '../../kube/index.js';
import {
  reconcileAgain,
  reconcileDone,
  type ReconcileFunction,
  type DeepReadonly,
} from '../runtime/index.js';
import { mutableCopy } from '../runtime/index.js';
import type { EventRecorder, HealthAlertIntake } from './health-check-ports.js';
import type { HealthCheckSources, NodeCheckObject, PodObject } from './health-check-resources.js';
import { clusterCheckResource } from './health-check-resources.js';
import { conditionIsTrue, kubeTime, setCondition, subjectOf } from './node-check-conditions.js';

export interface NodeCheckDependencies {
  readonly sources: Pick<HealthCheckSources, 'nodeChecks' | 'pods' | 'nodes'>;
  readonly status: Pick<CustomObjectClient<NodeCheckObject>, 'patchStatus'>;
  readonly pods: NodePodClient;
  readonly events: EventRecorder;
  /** Where standalone checks raise their alerts; none → no alerts. */
  readonly alerts?: HealthAlertIntake | undefined;
  readonly fireNodeEvents: boolean;
  /** `spec.timeout` when the check has none. */
  readonly defaultTimeoutMs: number;
  readonly now: () => Date;
}

const kind = 'AegisNodeHealthCheck';
const finishedStates = new Set(['Succeeded', 'Failed']);
/** A pod we created that the watch has not shown yet is waited for this long before it counts as lost. */
const podAppearGraceMs = 30_000;

export function isNodeCheckFinished(check: DeepReadonly<NodeCheckObject>): boolean {
  return finishedStates.has(check.status?.status ?? '') && check.status?.completionTime !== undefined;
}

export function ownedByClusterCheck(check: DeepReadonly<NodeCheckObject>): boolean {
  return (check.metadata?.ownerReferences ?? []).some(
    (owner) => owner.controller === true && owner.kind === clusterCheckResource.kind,
  );
}

interface Finish {
  readonly status: 'Succeeded' | 'Failed';
  readonly condition: { type: string; reason: string; message: string };
  readonly results?: CheckResultsByModule;
  readonly event: { type: 'Normal' | 'Warning'; reason: string; message: string };
}

export function createNodeCheckReconciler(dependencies: NodeCheckDependencies): ReconcileFunction {
  const { sources } = dependencies;

  const writeStatus = async (
    check: DeepReadonly<NodeCheckObject>,
    status: AegisNodeHealthCheckStatus,
  ): Promise<void> => {
    const namespace = check.metadata?.namespace ?? '';
    await dependencies.status.patchStatus(namespace, check.metadata?.name ?? '', status);
  };

  const conditionsWith = (
    check: DeepReadonly<NodeCheckObject>,
    type: string,
    reason: string,
    message: string,
    now: Date,
  ): Condition[] =>
    setCondition(
      mutableCopy(check.status?.conditions ?? []),
      { type, status: 'True', reason, message },
      now,
      check.metadata?.generation,
    );

  const finish = async (
    check: DeepReadonly<NodeCheckObject>,
    pod: DeepReadonly<PodObject> | undefined,
    result: Finish,
  ): Promise<void> => {
    const now = dependencies.now();
    const namespace = check.metadata?.namespace ?? '';
    const node = check.spec?.node ?? '';
    await writeStatus(check, {
      status: result.status,
      startTime: check.status?.startTime ?? kubeTime(now),
      completionTime: kubeTime(now),
      ...(result.results === undefined ? {} : { results: result.results }),
      conditions: conditionsWith(
        check,
        result.condition.type,
        result.condition.reason,
        result.condition.message,
        now,
      ),
      ...(check.metadata?.generation === undefined ? {} : { observedGeneration: check.metadata.generation }),
    });
    await dependencies.events.record(subjectOf(check, kind), result.event);
    const failing = Object.entries(result.results ?? {}).flatMap(([module, items]) =>
      items.map((item) => ({ ...item, node, module })),
    );
    if (dependencies.fireNodeEvents) {
      for (const item of failing.filter((entry) => entry.status === true)) {
        await dependencies.events.record(
          { apiVersion: 'v1', kind: 'Node', name: node, namespace: 'default' },
          {
            type: 'Warning',
            reason: item.condition ?? 'NodeHealthCheckFailed',
            message: `${item.module}/${item.item ?? ''}: ${item.message ?? ''}`,
          },
        );
      }
    }
    if (dependencies.alerts !== undefined && !ownedByClusterCheck(check) && result.status === 'Succeeded') {
      const context = {
        check: `${namespace}/${check.metadata?.name ?? ''}`,
        roundStart: check.status?.startTime ?? kubeTime(now),
      };
      const round = `${check.metadata?.uid ?? ''}/${context.roundStart}`;
      const deliveries = failing.map((item) => {
        const alert = healthCheckAlert(item, item.status === true ? 'Firing' : 'Resolved', context);
        return { alert, deliveryId: healthCheckDeliveryId(alert, round) };
      });
      if (deliveries.length > 0) await dependencies.alerts.accept(deliveries);
    }
    if (pod !== undefined) await dependencies.pods.delete(namespace, pod.metadata?.name ?? '');
  };

  const createPod = async (check: DeepReadonly<NodeCheckObject>, now: Date): Promise<Finish | undefined> => {
    const namespace = check.metadata?.namespace ?? '';
    const node = check.spec?.node ?? '';
    const failed = (reason: string, message: string): Finish => ({
      status: 'Failed',
      condition: { type: 'FailedCreatePod', reason, message },
      event: { type: 'Warning', reason: 'FailedCreateNodeCheckPod', message },
    });
    if (node === '') return failed('InvalidSpec', 'spec.node: is required');
    if (sources.nodes.get('', node) === undefined)
      return failed('NodeNotFound', `node ${node} does not exist`);
    let configMaps: string[] = [];
    if (check.spec?.ruleConfigmapSelector !== undefined) {
      let selector: string;
      try {
        selector = formatLabelSelector(
          labelSelectorFromObject(mutableCopy(check.spec.ruleConfigmapSelector) as LabelSelectorObject),
        );
      } catch (error) {
        if (!(error instanceof LabelSelectorError)) throw error;
        return failed('InvalidSpec', `spec.ruleConfigmapSelector.${error.message}`);
      }
      configMaps = await dependencies.pods.listConfigMapNames(namespace, selector);
    }
    const built = buildCheckerPod({
      check: {
        namespace,
        name: check.metadata?.name ?? '',
        uid: check.metadata?.uid ?? '',
        ...(check.metadata?.labels === undefined ? {} : { labels: { ...check.metadata.labels } }),
      },
      node,
      template: mutableCopy(check.spec?.template),
      ruleConfigMaps: configMaps,
    });
    if (!built.ok) return failed('InvalidSpec', built.message);
    try {
      await dependencies.pods.create(namespace, built.pod);
    } catch (error) {
      if (isAegisError(error) && error.code === nodePodErrorCodes.invalid)
        return failed('PodRefused', error.message);
      if (!(isAegisError(error) && error.code === nodePodErrorCodes.alreadyExists)) throw error;
    }
    const message =
      `checker pod ${checkerPodName(check.metadata?.name ?? '')} created on node ${node}` +
      (configMaps.length === 0 ? '' : ` with rules from ${configMaps.join(', ')}`);
    await writeStatus(check, {
      status: 'Pending',
      startTime: check.status?.startTime ?? kubeTime(now),
      conditions: conditionsWith(check, 'SucceededCreatePod', 'PodCreated', message, now),
    });
    await dependencies.events.record(subjectOf(check, kind), {
      type: 'Normal',
      reason: 'SucceededCreateNodeCheckPod',
      message,
    });
    return undefined;
  };

  const judgeFinishedPod = async (
    check: DeepReadonly<NodeCheckObject>,
    pod: DeepReadonly<PodObject>,
  ): Promise<Finish> => {
    const namespace = check.metadata?.namespace ?? '';
    const podName = pod.metadata?.name ?? '';
    if (pod.status?.phase === 'Failed') {
      const terminated = pod.status.containerStatuses?.[0]?.state?.terminated;
      const how =
        terminated === undefined
          ? ''
          : ` (exit code ${terminated.exitCode ?? '?'}${terminated.reason === undefined ? '' : `, ${terminated.reason}`})`;
      const message = `checker pod ${podName} on node ${check.spec?.node ?? ''} failed${how}`;
      return {
        status: 'Failed',
        condition: { type: 'Failed', reason: 'NodeCheckFailed', message },
        event: { type: 'Warning', reason: 'NodeCheckFailed', message },
      };
    }
    const log = await dependencies.pods.readLog(namespace, podName, { limitBytes: checkLogLimitBytes });
    const parsed = parseCheckResults(log);
    if (!parsed.ok) {
      const message = `cannot read the results of checker pod ${podName}: ${parsed.message}`;
      return {
        status: 'Failed',
        condition: { type: 'FailedFetchResult', reason: 'FetchResultFailed', message },
        event: { type: 'Warning', reason: 'FetchResultFailed', message },
      };
    }
    const items = Object.values(parsed.results).flat();
    const bad = items.filter((item) => item.status === true).length;
    const message = `${items.length} item(s) checked on node ${check.spec?.node ?? ''}, ${bad} failing`;
    return {
      status: 'Succeeded',
      results: parsed.results,
      condition: { type: 'Succeed', reason: 'NodeCheckSucceeded', message },
      event: { type: 'Normal', reason: 'Completed', message },
    };
  };

  return async (key) => {
    const check = sources.nodeChecks.get(key.namespace, key.name);
    if (check === undefined || check.metadata?.deletionTimestamp !== undefined) return reconcileDone;
    const podName = checkerPodName(key.name);
    const cached = sources.pods.get(key.namespace, podName);
    const pod =
      cached !== undefined &&
      cached.metadata?.ownerReferences?.some((owner) => owner.uid === check.metadata?.uid) === true
        ? cached
        : undefined;
    if (isNodeCheckFinished(check)) {
      if (pod !== undefined) await dependencies.pods.delete(key.namespace, podName);
      return reconcileDone;
    }
    const now = dependencies.now();
    const startMs = Date.parse(check.status?.startTime ?? '') || now.getTime();
    const timeoutMs =
      check.spec?.timeout === undefined ? dependencies.defaultTimeoutMs : check.spec.timeout * 1000;
    const remainingMs = startMs + timeoutMs - now.getTime();
    const created = conditionIsTrue(check.status?.conditions, 'SucceededCreatePod');
    if (pod === undefined) {
      if (created === undefined) {
        const failure = await createPod(check, now);
        if (failure !== undefined) await finish(check, undefined, failure);
        return failure === undefined ? reconcileAgain(Math.max(1_000, timeoutMs)) : reconcileDone;
      }
      if (now.getTime() - Date.parse(created.lastTransitionTime) < podAppearGraceMs)
        return reconcileAgain(1_000);
      const message = `checker pod ${podName} disappeared before it finished`;
      await finish(check, undefined, {
        status: 'Failed',
        condition: { type: 'Failed', reason: 'PodMissing', message },
        event: { type: 'Warning', reason: 'NodeCheckFailed', message },
      });
      return reconcileDone;
    }
    const phase = pod.status?.phase ?? 'Pending';
    if (phase === 'Succeeded' || phase === 'Failed') {
      await finish(check, pod, await judgeFinishedPod(check, pod));
      return reconcileDone;
    }
    if (remainingMs <= 0) {
      const message = `checker pod ${podName} did not finish within ${Math.round(timeoutMs / 1000)}s (phase ${phase})`;
      await finish(check, pod, {
        status: 'Failed',
        condition: { type: 'Failed', reason: 'Timeout', message },
        event: { type: 'Warning', reason: 'NodeCheckTimeout', message },
      });
      return reconcileDone;
    }
    const desired = phase === 'Running' ? 'Checking' : phase === 'Pending' ? 'Pending' : 'Unknown';
    if (check.status?.status !== desired) {
      await writeStatus(check, {
        status: desired,
        ...(desired === 'Checking'
          ? {
              conditions: conditionsWith(
                check,
                'Checking',
                'PodRunning',
                `checker pod ${podName} is running`,
                now,
              ),
            }
          : {}),
      });
    }
    return reconcileAgain(remainingMs + 50);
  };
}
