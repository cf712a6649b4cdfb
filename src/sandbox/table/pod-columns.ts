import type { KubeObject } from '../types.js';
import { creationTimestampDescription, objectMetaNameDescription } from './column-descriptions.js';
import { ageSince, parseTimestamp } from './human-duration.js';
import { numberOf, recordOf, recordsOf, stringOf, type JsonRecord } from './read-fields.js';
import { column, type TableCell, type TableConverter, type TableRowCondition } from './table-types.js';

const podColumns = [
  column('Name', 'string', objectMetaNameDescription, { format: 'name' }),
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  column('Age', 'string', creationTimestampDescription),
  column(
    'IP',
    'string',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    {
      priority: 1,
    },
  ),
  column(
    'Node',
    'string',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
    { priority: 1 },
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    { priority: 1 },
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    { priority: 1 },
  ),
];

/** The READY, STATUS and RESTARTS cells, computed as kubectl's `printPod` does. */
export interface PodSummary {
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
}

function conditionIsTrue(conditions: JsonRecord[], type: string): boolean {
  return conditions.some((condition) => condition['type'] === type && condition['status'] === 'True');
}

function terminatedReason(terminated: JsonRecord, prefix: string): string {
  const reason = stringOf(terminated['reason']);
  if (reason !== '') return prefix + reason;
  const signal = numberOf(terminated['signal']);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${numberOf(terminated['exitCode'])}`;
}

/** Latest `lastState.terminated.finishedAt` seen, in milliseconds (0 when none). */
function laterRestart(current: number, container: JsonRecord): number {
  const finishedAt = recordOf(recordOf(container['lastState'])['terminated'])['finishedAt'];
  const time = typeof finishedAt === 'string' ? parseTimestamp(finishedAt) : undefined;
  return time !== undefined && time > current ? time : current;
}

export function podSummary(pod: KubeObject, now: Date): PodSummary {
  const spec = recordOf(pod['spec']);
  const status = recordOf(pod['status']);
  const conditions = recordsOf(status['conditions']);
  const initContainers = recordsOf(spec['initContainers']);
  const restartable = new Set(
    initContainers.filter((c) => c['restartPolicy'] === 'Always').map((c) => stringOf(c['name'])),
  );
  const totalContainers = recordsOf(spec['containers']).length + restartable.size;
  let readyContainers = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;

  const phase = stringOf(status['phase']);
  let reason = stringOf(status['reason']) !== '' ? stringOf(status['reason']) : phase;
  if (conditions.some((c) => c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated'))
    reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = recordsOf(status['initContainerStatuses']);
  for (const [index, container] of initStatuses.entries()) {
    restarts += numberOf(container['restartCount']);
    lastRestart = laterRestart(lastRestart, container);
    const isSidecar = restartable.has(stringOf(container['name']));
    if (isSidecar) {
      sidecarRestarts += numberOf(container['restartCount']);
      lastSidecarRestart = laterRestart(lastSidecarRestart, container);
    }
    const state = recordOf(container['state']);
    const terminated = state['terminated'] === undefined ? undefined : recordOf(state['terminated']);
    const waiting = state['waiting'] === undefined ? undefined : recordOf(state['waiting']);
    if (terminated !== undefined && numberOf(terminated['exitCode']) === 0) continue;
    if (isSidecar && container['started'] === true) {
      if (container['ready'] === true) readyContainers += 1;
      continue;
    }
    if (terminated !== undefined) {
      reason = terminatedReason(terminated, 'Init:');
    } else if (
      waiting !== undefined &&
      stringOf(waiting['reason']) !== '' &&
      waiting['reason'] !== 'PodInitializing'
    ) {
      reason = `Init:${stringOf(waiting['reason'])}`;
    } else {
      reason = `Init:${index}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionIsTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = recordsOf(status['containerStatuses']);
    for (let i = statuses.length - 1; i >= 0; i -= 1) {
      const container = statuses[i] ?? {};
      restarts += numberOf(container['restartCount']);
      lastRestart = laterRestart(lastRestart, container);
      const state = recordOf(container['state']);
      const waiting = recordOf(state['waiting']);
      const terminated = state['terminated'] === undefined ? undefined : recordOf(state['terminated']);
      if (stringOf(waiting['reason']) !== '') {
        reason = stringOf(waiting['reason']);
      } else if (terminated !== undefined) {
        reason = terminatedReason(terminated, '');
      } else if (container['ready'] === true && state['running'] !== undefined) {
        hasRunning = true;
        readyContainers += 1;
      }
    }
    if (reason === 'Completed' && hasRunning)
      reason = conditionIsTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting =
    typeof pod.metadata.deletionTimestamp === 'string' && pod.metadata.deletionTimestamp !== '';
  if (deleting && status['reason'] === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartText =
    restarts !== 0 && lastRestart !== 0
      ? `${restarts} (${ageSince(new Date(lastRestart).toISOString(), now)} ago)`
      : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartText };
}

function podIp(status: JsonRecord): string {
  const first = recordsOf(status['podIPs'])[0];
  const ip = stringOf(first?.['ip']) !== '' ? stringOf(first?.['ip']) : stringOf(status['podIP']);
  return ip === '' ? '<none>' : ip;
}

function readinessGates(spec: JsonRecord, status: JsonRecord): string {
  const gates = recordsOf(spec['readinessGates']);
  if (gates.length === 0) return '<none>';
  const conditions = recordsOf(status['conditions']);
  const passed = gates.filter((gate) => {
    const condition = conditions.find((c) => c['type'] === gate['conditionType']);
    return condition?.['status'] === 'True';
  }).length;
  return `${passed}/${gates.length}`;
}

/** Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. */
export const podConverter: TableConverter = {
  columnDefinitions: podColumns,
  cells(pod, now): TableCell[] {
    const spec = recordOf(pod['spec']);
    const status = recordOf(pod['status']);
    const summary = podSummary(pod, now);
    const orNone = (value: string): string => (value === '' ? '<none>' : value);
    return [
      pod.metadata.name ?? '',
      summary.ready,
      summary.status,
      summary.restarts,
      ageSince(pod.metadata.creationTimestamp, now),
      podIp(status),
      orNone(stringOf(spec['nodeName'])),
      orNone(stringOf(status['nominatedNodeName'])),
      readinessGates(spec, status),
    ];
  },
  rowConditions(pod): TableRowCondition[] | undefined {
    const phase = recordOf(pod['status'])['phase'];
    if (phase === 'Succeeded') {
      return [
        {
          type: 'Completed',
          status: 'True',
          reason: 'Succeeded',
          message: 'The pod has completed successfully.',
        },
      ];
    }
    if (phase === 'Failed')
      return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};
