/**
 * Why a Pod is unhealthy, from its status, its Events and its containers' logs. Pure: the same facts always
 * give the same findings. Each finding names the root cause and carries its evidence.
 */
import type { ContainerLog, ObjectEvent, PodFacts } from './diagnosis-facts.js';
import {
  conditionOf,
  describeCondition,
  describeEvent,
  eventsWithReason,
  includesAny,
  latestFirst,
} from './facts-helpers.js';
import { failure, info, warning, type Finding } from './finding.js';
import type { ContainerStatus, PodObject } from './kube-shapes.js';

const imagePullReasons = [
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'ImageInspectError',
];
const configReasons = [
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PreCreateHookError',
];

export function analyzePod(facts: PodFacts): Finding[] {
  const { pod, events } = facts;
  const findings: Finding[] = [];
  const name = pod.metadata?.name ?? '?';
  const phase = pod.status?.phase ?? 'Unknown';
  const covered = new Set<ObjectEvent>();

  if (pod.status?.reason === 'Evicted') findings.push(evicted(pod));
  findings.push(...unschedulable(pod));

  const init = pod.status?.initContainerStatuses ?? [];
  for (const status of init) findings.push(...containerFindings(status, facts, true));
  for (const status of pod.status?.containerStatuses ?? [])
    findings.push(...containerFindings(status, facts, false));

  // Volumes that cannot be mounted keep the pod in ContainerCreating; the kubelet says why only in Events.
  const mountEvents = eventsWithReason(events, 'FailedMount', 'FailedAttachVolume', 'FailedCreatePodSandBox');
  const firstMount = mountEvents[0];
  if (firstMount !== undefined) {
    mountEvents.forEach((event) => covered.add(event));
    findings.push(mountFinding(firstMount));
  }

  // Probe failures are reported as `Unhealthy` events: liveness kills the container, readiness keeps it out of
  // its Services.
  const probes = eventsWithReason(events, 'Unhealthy');
  probes.forEach((event) => covered.add(event));
  const liveness = probes.find((event) => includesAny(event.message, ['liveness probe']));
  const readiness = probes.find((event) => includesAny(event.message, ['readiness probe']));
  const startup = probes.find((event) => includesAny(event.message, ['startup probe']));
  if (liveness !== undefined) {
    findings.push(
      failure(
        'LivenessProbeFailed',
        `The liveness probe fails, so the kubelet keeps restarting the container.`,
        [describeEvent(liveness)],
      ),
    );
  }
  if (readiness !== undefined && phase === 'Running') {
    findings.push(
      failure(
        'ReadinessProbeFailed',
        `The readiness probe fails, so the pod is running but not Ready and gets no traffic.`,
        [describeEvent(readiness)],
      ),
    );
  }
  if (startup !== undefined) {
    findings.push(
      failure('StartupProbeFailed', `The startup probe fails, so the container never counts as started.`, [
        describeEvent(startup),
      ]),
    );
  }

  if (findings.length === 0 && phase === 'Failed') {
    findings.push(
      failure(
        'PodFailed',
        `Pod ${name} failed${pod.status?.reason === undefined ? '' : ` (${pod.status.reason})`}.`,
        [`phase Failed${pod.status?.message === undefined ? '' : `: ${pod.status.message}`}`],
      ),
    );
  }
  const ready = conditionOf(pod.status?.conditions, 'Ready');
  if (findings.length === 0 && phase === 'Running' && ready?.status !== 'True') {
    findings.push(
      warning(
        'PodNotReady',
        `Pod ${name} is running but not Ready.`,
        ready === undefined ? [] : [describeCondition(ready)],
      ),
    );
  }
  if (findings.length === 0 && phase === 'Pending') {
    findings.push(warning('PodPending', `Pod ${name} is still Pending.`, [`phase Pending`]));
  }

  for (const event of latestFirst(events)) {
    if (event.type !== 'Warning' || covered.has(event)) continue;
    findings.push(warning('WarningEvent', `${event.reason}: ${event.message}`, [describeEvent(event)]));
  }
  if (!findings.some((finding) => finding.severity === 'failure')) {
    if (phase === 'Running' && ready?.status === 'True') {
      findings.push(
        info('PodHealthy', `Pod ${name} is Running and Ready.`, [`phase Running`, describeCondition(ready)]),
      );
    } else if (phase === 'Succeeded') {
      findings.push(info('PodSucceeded', `Pod ${name} ran to completion.`, [`phase Succeeded`]));
    }
  }
  findings.push(...logInfos(facts.logs));
  return findings;
}

function evicted(pod: PodObject): Finding {
  const message = pod.status?.message ?? '';
  const pressure = includesAny(message, ['ephemeral-storage', 'disk', 'nodefs', 'imagefs'])
    ? 'disk pressure'
    : includesAny(message, ['memory'])
      ? 'memory pressure'
      : includesAny(message, ['pid'])
        ? 'PID pressure'
        : 'resource pressure';
  const node = pod.spec?.nodeName === undefined ? 'its node' : `node ${pod.spec.nodeName}`;
  return failure('PodEvicted', `The kubelet evicted the pod because ${node} was under ${pressure}.`, [
    `status.reason Evicted: ${message}`,
  ]);
}

function unschedulable(pod: PodObject): Finding[] {
  const scheduled = conditionOf(pod.status?.conditions, 'PodScheduled');
  if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') return [];
  const message = scheduled.message ?? '';
  const causes: string[] = [];
  if (includesAny(message, ['insufficient nvidia.com/gpu', 'insufficient amd.com/gpu']))
    causes.push('not enough free GPUs');
  const resources = ['cpu', 'memory', 'ephemeral-storage', 'pods'].filter((resource) =>
    includesAny(message, [`insufficient ${resource}`, `too many ${resource}`]),
  );
  if (resources.length > 0) causes.push(`not enough ${resources.join(', ')}`);
  if (includesAny(message, ['untolerated taint', 'had taint', "didn't tolerate"]))
    causes.push('node taints the pod does not tolerate');
  if (
    includesAny(message, [
      "didn't match pod's node affinity",
      'node affinity/selector',
      "didn't match node selector",
    ])
  ) {
    causes.push('node affinity or nodeSelector that no node matches');
  }
  if (includesAny(message, ['pod affinity', 'anti-affinity'])) causes.push('pod (anti-)affinity rules');
  if (includesAny(message, ['unbound immediate persistentvolumeclaims', 'volume node affinity']))
    causes.push('volumes that cannot be bound');
  const because = causes.length === 0 ? 'the scheduler found no fitting node' : causes.join('; ');
  return [
    failure('PodUnschedulable', `The pod cannot be scheduled: ${because}.`, [describeCondition(scheduled)]),
  ];
}

function terminatedEvidence(container: string, state: ContainerStatus['lastState'], label: string): string {
  const terminated = state?.terminated;
  if (terminated === undefined) return `${label} of container ${container}: unknown`;
  const signal = terminated.signal === undefined ? '' : ` signal ${terminated.signal}`;
  const message =
    terminated.message === undefined || terminated.message === '' ? '' : `: ${terminated.message.trim()}`;
  return `${label} of container ${container}: ${terminated.reason ?? 'Terminated'}, exit code ${terminated.exitCode ?? '?'}${signal}${message}`;
}

function containerFindings(status: ContainerStatus, facts: PodFacts, isInit: boolean): Finding[] {
  const name = status.name ?? '?';
  const what = isInit ? `init container ${name}` : `container ${name}`;
  const Init = isInit ? 'Init' : '';
  const waiting = status.state?.waiting;
  const terminated = status.state?.terminated;
  const last = status.lastState?.terminated;
  const restarts = status.restartCount ?? 0;
  const findings: Finding[] = [];
  const logEvidence = logLines(facts.logs, name);

  if (waiting?.reason !== undefined && imagePullReasons.includes(waiting.reason)) {
    const pullEvents = eventsWithReason(facts.events, 'Failed').filter((event) =>
      includesAny(event.message, ['pull', 'image']),
    );
    findings.push(
      failure(
        `${Init}ImagePullFailed`,
        `The image of ${what} cannot be pulled (${status.image ?? 'unknown image'}): ${imageCause(`${waiting.message ?? ''} ${pullEvents[0]?.message ?? ''}`)}.`,
        [
          `${what} waiting ${waiting.reason}${waiting.message === undefined ? '' : `: ${waiting.message}`}`,
          ...pullEvents.slice(0, 1).map(describeEvent),
        ],
      ),
    );
    return findings;
  }
  if (waiting?.reason !== undefined && configReasons.includes(waiting.reason)) {
    findings.push(
      failure(
        `${Init}ContainerConfigError`,
        `${capitalise(what)} cannot be created: ${configCause(waiting.message ?? '')}.`,
        [`${what} waiting ${waiting.reason}${waiting.message === undefined ? '' : `: ${waiting.message}`}`],
      ),
    );
    return findings;
  }
  const oomNow = terminated?.reason === 'OOMKilled';
  const oomBefore = last?.reason === 'OOMKilled';
  if (oomNow || oomBefore) {
    findings.push(
      failure(
        `${Init}OOMKilled`,
        `${capitalise(what)} was killed for using more memory than its limit (OOMKilled, exit code ${(oomNow ? terminated : last)?.exitCode ?? 137}); raise its memory limit or reduce its usage.`,
        [
          terminatedEvidence(
            name,
            oomNow ? status.state : status.lastState,
            oomNow ? 'termination' : 'last termination',
          ),
          ...(restarts > 0 ? [`restart count ${restarts}`] : []),
        ],
      ),
    );
    return findings;
  }
  if (waiting?.reason === 'CrashLoopBackOff') {
    findings.push(
      failure(
        `${Init}CrashLoopBackOff`,
        `${capitalise(what)} keeps crashing (CrashLoopBackOff, ${restarts} restarts); it last exited with ${last?.reason ?? 'an unknown reason'}, exit code ${last?.exitCode ?? 'unknown'}.`,
        [
          terminatedEvidence(name, status.lastState, 'last termination'),
          `restart count ${restarts}`,
          ...logEvidence,
        ],
      ),
    );
    return findings;
  }
  if (terminated !== undefined && (terminated.exitCode ?? 0) !== 0) {
    findings.push(
      failure(
        `${Init}ContainerFailed`,
        `${capitalise(what)} exited with code ${terminated.exitCode ?? '?'} (${terminated.reason ?? 'Error'})${isInit ? ', so the main containers never start' : ''}.`,
        [terminatedEvidence(name, status.state, 'termination'), ...logEvidence],
      ),
    );
    return findings;
  }
  if (isInit && waiting !== undefined && restarts > 0 && last !== undefined && (last.exitCode ?? 0) !== 0) {
    findings.push(
      failure(
        'InitContainerFailed',
        `${capitalise(what)} keeps failing (exit code ${last.exitCode ?? '?'}), so the main containers never start.`,
        [terminatedEvidence(name, status.lastState, 'last termination'), ...logEvidence],
      ),
    );
    return findings;
  }
  if (
    !isInit &&
    restarts > 0 &&
    last !== undefined &&
    (last.exitCode ?? 0) !== 0 &&
    status.state?.running !== undefined
  ) {
    findings.push(
      warning(
        'ContainerRestarted',
        `${capitalise(what)} restarted ${restarts} times; it last exited with ${last.reason ?? 'Error'}, exit code ${last.exitCode ?? '?'}.`,
        [terminatedEvidence(name, status.lastState, 'last termination'), ...logEvidence],
      ),
    );
  }
  return findings;
}

function imageCause(message: string): string {
  if (includesAny(message, ['not found', 'manifest unknown', 'does not exist']))
    return 'the image or tag does not exist';
  if (includesAny(message, ['unauthorized', 'authentication required', 'denied', 'forbidden']))
    return 'the registry refused access (check imagePullSecrets)';
  if (includesAny(message, ['invalid reference format', 'invalidimagename']))
    return 'the image name is invalid';
  if (includesAny(message, ['timeout', 'i/o timeout', 'connection refused', 'no such host']))
    return 'the registry cannot be reached';
  return 'the registry pull failed';
}

function configCause(message: string): string {
  const missing = /(configmap|secret) "([^"]+)" not found/i.exec(message.slice(0, 2_000));
  if (missing !== null)
    return `the ${missing[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'} ${missing[2] ?? ''} it uses does not exist`;
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) (\S+)/i.exec(message.slice(0, 2_000));
  if (key !== null) return `key ${key[1] ?? ''} is missing from ${key[2] ?? ''} ${key[3] ?? ''}`;
  return message === '' ? 'the container configuration is invalid' : message;
}

function mountFinding(event: ObjectEvent): Finding {
  const message = event.message;
  const missing = /(configmap|secret|persistentvolumeclaim) "([^"]+)" not found/i.exec(
    message.slice(0, 2_000),
  );
  if (event.reason === 'FailedCreatePodSandBox') {
    return failure(
      'PodSandboxFailed',
      `The container runtime cannot create the pod sandbox (network or runtime problem on the node).`,
      [describeEvent(event)],
    );
  }
  const cause =
    missing === null
      ? 'the volume cannot be mounted'
      : `the ${missing[1] ?? ''} ${missing[2] ?? ''} it mounts does not exist`;
  return failure('VolumeMountFailed', `The pod is stuck in ContainerCreating: ${cause}.`, [
    describeEvent(event),
  ]);
}

function logLines(logs: readonly ContainerLog[], container: string): string[] {
  const log =
    logs.find(
      (candidate) => candidate.container === container && candidate.lines.length > 0 && candidate.previous,
    ) ?? logs.find((candidate) => candidate.container === container && candidate.lines.length > 0);
  if (log === undefined) return [];
  return [
    `${log.previous ? 'previous ' : ''}log of container ${container} (last lines): ${log.lines.slice(-3).join(' | ')}`,
  ];
}

function logInfos(logs: readonly ContainerLog[]): Finding[] {
  return logs
    .filter((log) => log.lines.length > 0)
    .map((log) =>
      info(
        'ContainerLog',
        `${log.previous ? 'Previous log' : 'Log'} of container ${log.container} (${log.lines.length} lines).`,
        log.lines,
      ),
    );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
