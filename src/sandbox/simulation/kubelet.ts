import { ApiError } from '../api-error.js';
import type { ChangeEvent } from '../object-store.js';
import type { ResourceType } from '../resource-type.js';
import type { SandboxApi } from '../sandbox-api.js';
import type { KubeObject } from '../types.js';
import { isFrozen, parseDuration, sandboxAnnotations } from './annotations.js';

interface Container {
  name?: string;
  image?: string;
}

/**
 * A scheduler and kubelet in one: binds unscheduled pods to a ready, schedulable node, starts them
 * (Pending → Running with container statuses), and finishes pods that have a `sandbox.aegis.io/duration`
 * (Succeeded, or Failed when `sandbox.aegis.io/outcome: Failed`). Nothing is ever executed.
 */
export class SimulatedKubelet {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: () => void;
  private readonly podType: ResourceType;
  private nextNode = 0;

  constructor(
    private readonly api: SandboxApi,
    private readonly startDelayMs = 50,
  ) {
    this.podType = api.resolve('', 'v1', 'pods');
    this.unsubscribe = api.store.subscribe(this.podType.storageKey, (event) => this.observe(event));
  }

  stop(): void {
    this.unsubscribe();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private observe(event: ChangeEvent): void {
    const pod = event.object;
    const uid = pod.metadata.uid ?? '';
    if (event.type === 'DELETED') {
      this.cancel(uid);
      return;
    }
    if (isFrozen(pod.metadata.annotations) || pod.metadata.deletionTimestamp !== undefined) return;
    const phase = (pod['status'] as { phase?: string } | undefined)?.phase ?? 'Pending';
    if (phase !== 'Pending' && phase !== 'Running') return;
    if (this.timers.has(uid)) return;
    const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
    if (nodeName === undefined || nodeName === '') {
      this.schedule(uid, 0, () => this.bind(pod));
    } else if (phase === 'Pending') {
      this.schedule(uid, this.startDelayMs, () => this.start(pod));
    } else {
      const duration = parseDuration(pod.metadata.annotations?.[sandboxAnnotations.duration]);
      if (duration !== undefined) this.schedule(uid, duration, () => this.finish(pod));
    }
  }

  private schedule(uid: string, delayMs: number, task: () => void): void {
    this.timers.set(
      uid,
      setTimeout(() => {
        this.timers.delete(uid);
        try {
          task();
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
        }
      }, delayMs),
    );
  }

  private cancel(uid: string): void {
    const timer = this.timers.get(uid);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(uid);
  }

  private current(pod: KubeObject): KubeObject | undefined {
    const now = this.api.find(this.podType, pod.metadata.namespace, pod.metadata.name ?? '');
    if (now === undefined || now.metadata.uid !== pod.metadata.uid || isFrozen(now.metadata.annotations)) return undefined;
    return now;
  }

  private bind(pod: KubeObject): void {
    const now = this.current(pod);
    if (now === undefined) return;
    const nodes = this.api
      .list(this.api.resolve('', 'v1', 'nodes'), undefined)
      .items.filter((node) => {
        const spec = node['spec'] as { unschedulable?: boolean } | undefined;
        const conditions = (node['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
        return spec?.unschedulable !== true && conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      });
    const node = nodes[this.nextNode % Math.max(1, nodes.length)];
    this.nextNode += 1;
    if (node === undefined) {
      this.writeStatus(now, {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/0 nodes are available', lastTransitionTime: this.api.now() }],
      });
      return;
    }
    this.api.update(this.podType, now.metadata.namespace, now.metadata.name ?? '', {
      ...now,
      spec: { ...(now['spec'] as object), nodeName: node.metadata.name },
    });
  }

  private start(pod: KubeObject): void {
    const now = this.current(pod);
    if (now === undefined) return;
    const time = this.api.now();
    const annotations = now.metadata.annotations ?? {};
    const waitingReason = annotations[sandboxAnnotations.waitingReason];
    const restarts = Number(annotations[sandboxAnnotations.restarts] ?? '0') || 0;
    const lastState = lastTermination(annotations[sandboxAnnotations.lastTermination], time);
    const containers = ((now['spec'] as { containers?: Container[] } | undefined)?.containers ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image ?? '',
      imageID: `${c.image ?? ''}@sha256:sandbox`,
      containerID: `containerd://sandbox-${now.metadata.uid ?? ''}-${c.name ?? ''}`,
      ready: waitingReason === undefined,
      started: waitingReason === undefined,
      restartCount: restarts,
      ...(lastState === undefined ? {} : { lastState }),
      state: waitingReason === undefined ? { running: { startedAt: time } } : { waiting: { reason: waitingReason, message: `sandbox: ${waitingReason}` } },
    }));
    const ready = waitingReason === undefined ? 'True' : 'False';
    const hostIP = '10.0.0.10';
    this.writeStatus(now, {
      phase: 'Running',
      startTime: time,
      hostIP,
      podIP: `10.244.0.${(hashOf(now.metadata.uid ?? '') % 250) + 2}`,
      qosClass: 'BestEffort',
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
        type,
        status: type === 'PodScheduled' || type === 'Initialized' ? 'True' : ready,
        lastTransitionTime: time,
      })),
      containerStatuses: containers,
    });
  }

  private finish(pod: KubeObject): void {
    const now = this.current(pod);
    if (now === undefined) return;
    const nodeName = (now['spec'] as { nodeName?: string } | undefined)?.nodeName ?? '';
    const node = nodeName === '' ? undefined : this.api.find(this.api.resolve('', 'v1', 'nodes'), undefined, nodeName);
    const outcome = node?.metadata.annotations?.[sandboxAnnotations.nodePodOutcome] ?? now.metadata.annotations?.[sandboxAnnotations.outcome];
    const failed = outcome === 'Failed';
    const exitCode = failed ? Number(now.metadata.annotations?.[sandboxAnnotations.exitCode] ?? '1') || 1 : 0;
    const time = this.api.now();
    const status = (now['status'] ?? {}) as { containerStatuses?: { state?: { running?: { startedAt?: string } } }[] };
    const containerStatuses = (status.containerStatuses ?? []).map((c) => ({
      ...c,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode,
          reason: failed ? 'Error' : 'Completed',
          startedAt: c.state?.running?.startedAt ?? time,
          finishedAt: time,
        },
      },
    }));
    this.writeStatus(now, {
      ...status,
      phase: failed ? 'Failed' : 'Succeeded',
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
        type,
        status: type === 'PodScheduled' || type === 'Initialized' ? 'True' : 'False',
        lastTransitionTime: time,
        ...(type === 'Ready' || type === 'ContainersReady' ? { reason: 'PodCompleted' } : {}),
      })),
      containerStatuses,
    });
  }

  private writeStatus(pod: KubeObject, status: Record<string, unknown>): void {
    this.api.update(this.podType, pod.metadata.namespace, pod.metadata.name ?? '', { ...pod, status }, { subresource: 'status' });
  }
}

function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

/** `Error:1` or `OOMKilled:137` → the container's lastState; undefined when absent or malformed. */
function lastTermination(
  text: string | undefined,
  time: string,
): { terminated: { reason: string; exitCode: number; finishedAt: string } } | undefined {
  const match = /^([A-Za-z]+):(\d{1,3})$/.exec(text ?? '');
  if (match === null) return undefined;
  return { terminated: { reason: match[1] ?? 'Error', exitCode: Number(match[2]), finishedAt: time } };
}
