/**
 * Why a Node is unhealthy: its conditions (Ready with the kubelet's reason, pressures, network), GPUs that are
 * in capacity but not allocatable, Xid and other GPU errors from Events or the collector pod, cordoning, and
 * the pods on it that fail. Pure.
 */
import type { NodeFacts } from './diagnosis-facts.js';
import {
  conditionOf,
  describeCondition,
  describeEvent,
  latestFirst,
  wholeQuantity,
} from './facts-helpers.js';
import { failure, info, warning, type Finding } from './finding.js';
import { findGpuErrors, xidMeaning, type GpuErrorLine } from './gpu-errors.js';
import type { StatusCondition } from './kube-shapes.js';

const standardConditions = new Set([
  'Ready',
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
]);
const gpuResources = ['nvidia.com/gpu', 'amd.com/gpu'];

export function analyzeNode(facts: NodeFacts): Finding[] {
  const { node } = facts;
  const name = node.metadata?.name ?? '?';
  const conditions = node.status?.conditions ?? [];
  const findings: Finding[] = [];

  const ready = conditionOf(conditions, 'Ready');
  if (ready === undefined) {
    findings.push(
      warning(
        'NodeReadyUnknown',
        `Node ${name} reports no Ready condition (the kubelet may never have registered).`,
      ),
    );
  } else if (ready.status === 'False') {
    findings.push(
      failure(
        'NodeNotReady',
        `Node ${name} is NotReady: ${ready.message ?? ready.reason ?? 'the kubelet reports it not ready'}.`,
        [describeCondition(ready)],
      ),
    );
  } else if (ready.status === 'Unknown') {
    findings.push(
      failure(
        'NodeUnreachable',
        `Node ${name} is unreachable: the kubelet stopped posting its status${ready.lastHeartbeatTime === undefined ? '' : ` (last heartbeat ${ready.lastHeartbeatTime})`}; check the kubelet, the network or whether the machine is up.`,
        [describeCondition(ready)],
      ),
    );
  }
  const pressures: [string, string][] = [
    ['MemoryPressure', 'memory'],
    ['DiskPressure', 'disk space'],
    ['PIDPressure', 'process IDs'],
  ];
  for (const [type, resource] of pressures) {
    const condition = conditionOf(conditions, type);
    if (condition?.status === 'True') {
      findings.push(
        failure(
          type,
          `Node ${name} is running out of ${resource} (${type}); the kubelet evicts pods and refuses new ones.`,
          [describeCondition(condition)],
        ),
      );
    }
  }
  const network = conditionOf(conditions, 'NetworkUnavailable');
  if (network?.status === 'True') {
    findings.push(
      failure(
        'NetworkUnavailable',
        `The network of node ${name} is not configured (NetworkUnavailable): check the CNI plugin on it.`,
        [describeCondition(network)],
      ),
    );
  }
  // Node-problem-detector and GPU operators add their own conditions (e.g. GpuDown, KernelDeadlock): True is bad.
  for (const condition of conditions) {
    if (condition.type === undefined || standardConditions.has(condition.type) || condition.status !== 'True')
      continue;
    if (condition.type === 'EtcdIsVoter') continue;
    findings.push(
      failure(
        `Condition${condition.type}`,
        `Node ${name} reports ${condition.type}${describeReason(condition)}.`,
        [describeCondition(condition)],
      ),
    );
  }

  findings.push(...gpuCapacity(facts));
  findings.push(...gpuErrors(facts));

  if (node.spec?.unschedulable === true) {
    const taint = node.spec.taints?.find((candidate) => candidate.key === 'node.kubernetes.io/unschedulable');
    findings.push(
      warning('NodeCordoned', `Node ${name} is cordoned: no new pods are scheduled on it.`, [
        'spec.unschedulable true',
        ...(taint === undefined ? [] : [`taint ${taint.key ?? ''}:${taint.effect ?? ''}`]),
      ]),
    );
  }

  const failing = facts.pods.filter((pod) => {
    const phase = pod.status?.phase;
    return (
      phase === 'Failed' ||
      phase === 'Unknown' ||
      (pod.status?.containerStatuses ?? []).some(
        (status) => status.state?.waiting?.reason === 'CrashLoopBackOff',
      )
    );
  });
  if (failing.length > 0) {
    findings.push(
      warning(
        'NodePodsFailing',
        `${failing.length} of the ${facts.pods.length} pods on node ${name} are failing.`,
        failing
          .slice(0, 10)
          .map(
            (pod) =>
              `pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} ${pod.status?.phase ?? ''}${pod.status?.reason === undefined ? '' : ` (${pod.status.reason})`}`,
          ),
      ),
    );
  }

  const gpuEvents = new Set(facts.events.filter((event) => findGpuErrors([event.message]).length > 0));
  for (const event of latestFirst(facts.events)) {
    if (event.type !== 'Warning' || gpuEvents.has(event)) continue;
    findings.push(warning('WarningEvent', `${event.reason}: ${event.message}`, [describeEvent(event)]));
  }

  const kubelet = facts.collector?.sections['kubelet'] ?? [];
  if (kubelet.length > 0)
    findings.push(warning('KubeletErrors', `The kubelet on node ${name} logged errors.`, kubelet.slice(-10)));
  if (facts.collector?.error !== undefined)
    findings.push(warning('CollectorFailed', `The collector pod gave no output: ${facts.collector.error}.`));
  for (const [section, lines] of Object.entries(facts.collector?.sections ?? {})) {
    if (lines.length > 0)
      findings.push(
        info('CollectorSection', `Collector output [${section}] (${lines.length} lines).`, lines),
      );
  }
  if (!findings.some((finding) => finding.severity !== 'info') && ready?.status === 'True') {
    findings.unshift(
      info(
        'NodeHealthy',
        `Node ${name} is Ready with no pressure, and its GPUs (if any) are all allocatable.`,
        [describeCondition(ready)],
      ),
    );
  }
  return findings;
}

function describeReason(condition: StatusCondition): string {
  const text = condition.message ?? condition.reason;
  return text === undefined || text === '' ? '' : `: ${text}`;
}

function gpuCapacity(facts: NodeFacts): Finding[] {
  const name = facts.node.metadata?.name ?? '?';
  const findings: Finding[] = [];
  for (const resource of gpuResources) {
    const capacity = wholeQuantity(facts.node.status?.capacity?.[resource]);
    const allocatable = wholeQuantity(facts.node.status?.allocatable?.[resource]);
    if (capacity === undefined || capacity === 0) continue;
    const usable = allocatable ?? 0;
    if (usable < capacity) {
      findings.push(
        failure(
          'GpuUnavailable',
          `${capacity - usable} of the ${capacity} GPUs of node ${name} are not allocatable (a GPU is unhealthy or the device plugin lost it).`,
          [`capacity ${resource}=${capacity}`, `allocatable ${resource}=${allocatable ?? 'missing'}`],
        ),
      );
    }
  }
  return findings;
}

function gpuErrors(facts: NodeFacts): Finding[] {
  const lines: { line: string; from: string }[] = [
    ...facts.events.map((event) => ({ line: event.message, from: describeEvent(event) })),
    ...Object.entries(facts.collector?.sections ?? {}).flatMap(([section, sectionLines]) =>
      sectionLines.map((line) => ({ line, from: `collector [${section}]: ${line}` })),
    ),
  ];
  const errors: (GpuErrorLine & { from: string })[] = [];
  for (const { line, from } of lines)
    for (const error of findGpuErrors([line])) errors.push({ ...error, from });
  if (errors.length === 0) return [];
  const name = facts.node.metadata?.name ?? '?';
  const codes = [...new Set(errors.flatMap((error) => (error.xid === undefined ? [] : [error.xid])))];
  const findings: Finding[] = [];
  if (codes.length > 0) {
    findings.push(
      failure(
        'GpuXidError',
        `The GPUs of node ${name} report Xid ${codes.join(', ')}: ${codes.map((code) => `Xid ${code} = ${xidMeaning(code)}`).join('; ')}.`,
        errors
          .filter((error) => error.kind === 'xid')
          .slice(0, 10)
          .map((error) => error.from),
      ),
    );
  }
  const other = errors.filter((error) => error.kind === 'gpu');
  if (other.length > 0) {
    findings.push(
      failure(
        'GpuError',
        `A GPU of node ${name} failed (${other[0]?.line.trim().slice(0, 200) ?? ''}).`,
        other.slice(0, 10).map((error) => error.from),
      ),
    );
  }
  return findings;
}
