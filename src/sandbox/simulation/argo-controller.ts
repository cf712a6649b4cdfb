import { randomBytes } from 'node:crypto';
import { ApiError } from '../api-error.js';
import type { ChangeEvent } from '../object-store.js';
import type { ResourceType } from '../resource-type.js';
import type { SandboxApi } from '../sandbox-api.js';
import type { KubeObject } from '../types.js';
import { isFrozen, parseDuration, sandboxAnnotations } from './annotations.js';
import { planWorkflow, type PlannedStep, type WorkflowPlan } from './argo-plan.js';

const workflowLabel = 'workflows.argoproj.io/workflow';
const phaseLabel = 'workflows.argoproj.io/phase';
const completedLabel = 'workflows.argoproj.io/completed';

type Outcome = 'Succeeded' | 'Failed' | 'Error';

/**
 * A stand-in for Argo's workflow-controller: Workflows go Pending → Running → Succeeded | Failed | Error,
 * with step pods named as Argo names them (POD_NAMES=v2), node statuses, events and TTL clean-up.
 * `spec.suspend: true` holds a Workflow in Running with no step until it is resumed (`spec.suspend` cleared).
 * Steering: `sandbox.aegis.io/outcome`, `sandbox.aegis.io/duration`, `sandbox.aegis.io/pending-for`,
 * `sandbox.aegis.io/frozen`. The steps' commands are shown in the pod logs, never executed.
 */
export class SimulatedArgoController {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly podType: ResourceType;
  private readonly eventType: ResourceType;

  constructor(
    private readonly api: SandboxApi,
    private readonly defaults = { pendingMs: 150, durationMs: 1000 },
  ) {
    this.podType = api.resolve('', 'v1', 'pods');
    this.eventType = api.resolve('', 'v1', 'events');
    this.unsubscribers.push(api.store.subscribe('argoproj.io/workflows', (event) => this.onWorkflow(event)));
    this.unsubscribers.push(api.store.subscribe(this.podType.storageKey, (event) => this.onPod(event)));
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private get workflowType(): ResourceType | undefined {
    return this.api.registry.byStorageKey('argoproj.io/workflows')[0];
  }

  private after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        task();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
    }, ms);
    this.timers.add(timer);
  }

  private onWorkflow(event: ChangeEvent): void {
    const wf = event.object;
    if (event.type === 'DELETED' || isFrozen(wf.metadata.annotations)) return;
    const status = (wf['status'] ?? {}) as { phase?: string; finishedAt?: string };
    if (event.type === 'ADDED' && (status.phase ?? '') === '') {
      this.after(0, () => this.markPending(wf));
    }
    // Resumed (`spec.suspend` cleared, as `argo resume` does) while held before its first step: start it.
    if (event.type === 'MODIFIED' && event.previous !== undefined && isSuspended(event.previous) && !isSuspended(wf)) {
      const nodes = (wf['status'] as { nodes?: Record<string, unknown> } | undefined)?.nodes ?? {};
      if (status.phase === 'Running' && Object.keys(nodes).length === 0) this.after(0, () => this.startRunning(wf));
    }
  }

  private fresh(wf: KubeObject): { type: ResourceType; wf: KubeObject } | undefined {
    const type = this.workflowType;
    if (type === undefined) return undefined;
    const now = this.api.find(type, wf.metadata.namespace, wf.metadata.name ?? '');
    if (now === undefined || now.metadata.uid !== wf.metadata.uid || isFrozen(now.metadata.annotations)) return undefined;
    return { type, wf: now };
  }

  private write(wf: KubeObject, status: Record<string, unknown>, phase: string, completed: boolean): KubeObject | undefined {
    const current = this.fresh(wf);
    if (current === undefined) return undefined;
    const next: KubeObject = {
      ...current.wf,
      metadata: {
        ...current.wf.metadata,
        labels: { ...current.wf.metadata.labels, [phaseLabel]: phase, [completedLabel]: String(completed) },
        annotations: { ...current.wf.metadata.annotations, 'workflows.argoproj.io/pod-name-format': 'v2' },
      },
      status,
    };
    return this.api.update(current.type, next.metadata.namespace, next.metadata.name ?? '', next);
  }

  private plan(wf: KubeObject): WorkflowPlan {
    return planWorkflow(wf.metadata.name ?? '', (wf['spec'] ?? {}));
  }

  private markPending(wf: KubeObject): void {
    const written = this.write(wf, { phase: 'Pending', progress: `0/${this.plan(wf).steps.length}`, message: '' }, 'Pending', false);
    if (written === undefined) return;
    const pendingMs = parseDuration(wf.metadata.annotations?.[sandboxAnnotations.pendingFor]) ?? this.defaults.pendingMs;
    this.after(pendingMs, () => this.startRunning(written));
  }

  private startRunning(wf: KubeObject): void {
    const current = this.fresh(wf)?.wf;
    if (current !== undefined && isSuspended(current)) {
      // As Argo: a Workflow created with `spec.suspend: true` is Running but schedules nothing until resumed.
      const held = this.write(current, { phase: 'Running', startedAt: this.api.now(), finishedAt: null, progress: `0/${this.plan(current).steps.length}`, nodes: {}, message: '' }, 'Running', false);
      if (held !== undefined) this.recordEvent(held, 'Normal', 'WorkflowRunning', 'Workflow Running (suspended)');
      return;
    }
    const plan = this.plan(wf);
    const now = this.api.now();
    const nodes: Record<string, unknown> = {};
    const name = wf.metadata.name ?? '';
    if (plan.rootType !== 'Pod') {
      nodes[name] = { id: name, name, displayName: name, type: plan.rootType, templateName: plan.rootTemplate, phase: 'Running', startedAt: now, children: plan.steps.map((s) => s.nodeId) };
    }
    const written = this.write(wf, { phase: 'Running', startedAt: now, finishedAt: null, progress: `0/${plan.steps.length}`, nodes, conditions: [{ type: 'PodRunning', status: 'True' }] }, 'Running', false);
    if (written === undefined) return;
    this.recordEvent(written, 'Normal', 'WorkflowRunning', 'Workflow Running');
    this.startStep(written, plan, 0);
  }

  private startStep(wf: KubeObject, plan: WorkflowPlan, index: number): void {
    const step = plan.steps[index];
    if (step === undefined) return this.finish(wf, 'Succeeded', '');
    const annotations = wf.metadata.annotations ?? {};
    const total = parseDuration(annotations[sandboxAnnotations.duration]) ?? this.defaults.durationMs;
    const outcome = outcomeOf(annotations[sandboxAnnotations.outcome]);
    const last = index === plan.steps.length - 1;
    const log =
      annotations[`${sandboxAnnotations.logPrefix}${step.displayName}`] ??
      annotations[`${sandboxAnnotations.logPrefix}main`] ??
      `sandbox: step "${step.displayName}" would run:\n${step.commandLine}\nsandbox: steps are simulated, nothing was executed\n`;
    this.api.create(this.podType, wf.metadata.namespace, {
      metadata: {
        name: step.podName,
        labels: { [workflowLabel]: wf.metadata.name ?? '', [completedLabel]: 'false' },
        annotations: {
          'workflows.argoproj.io/node-id': step.nodeId,
          'workflows.argoproj.io/node-name': step.nodeName,
          'kubectl.kubernetes.io/default-container': 'main',
          [sandboxAnnotations.duration]: `${Math.max(1, Math.round(total / plan.steps.length))}ms`,
          [sandboxAnnotations.outcome]: last && outcome !== 'Succeeded' ? 'Failed' : 'Succeeded',
          [`${sandboxAnnotations.logPrefix}main`]: log,
          [`${sandboxAnnotations.logPrefix}wait`]: '',
        },
        ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: wf.metadata.name ?? '', uid: wf.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'wait', image: 'quay.io/argoproj/argoexec:latest', command: ['argoexec', 'wait'] },
          { name: 'main', image: step.image, command: ['/var/run/argo/argoexec', 'emissary', '--'], args: step.commandLine === '' ? [] : [step.commandLine] },
        ],
      },
    });
    this.setNode(wf, step, 'Running', index);
  }

  private setNode(wf: KubeObject, step: PlannedStep, phase: string, done: number): KubeObject | undefined {
    const current = this.fresh(wf);
    if (current === undefined) return undefined;
    const status = (current.wf['status'] ?? {}) as { nodes?: Record<string, Record<string, unknown>>; progress?: string };
    const previous = status.nodes?.[step.nodeId] ?? {};
    const now = this.api.now();
    const node = {
      ...previous,
      id: step.nodeId,
      name: step.nodeName,
      displayName: step.displayName,
      type: 'Pod',
      templateName: step.templateName,
      phase,
      startedAt: previous['startedAt'] ?? now,
      finishedAt: phase === 'Running' ? null : now,
      ...(phase === 'Running' ? {} : { outputs: { exitCode: phase === 'Succeeded' ? '0' : '1' } }),
      // Argo's message for a step whose main container exited non-zero.
      ...(phase === 'Failed' ? { message: 'Error (exit code 1)' } : {}),
      ...(step.nodeId === current.wf.metadata.name ? {} : { boundaryID: current.wf.metadata.name }),
    };
    const plan = this.plan(current.wf);
    return this.write(current.wf, { ...status, progress: `${done}/${plan.steps.length}`, nodes: { ...status.nodes, [step.nodeId]: node } }, 'Running', false);
  }

  private onPod(event: ChangeEvent): void {
    if (event.type !== 'MODIFIED') return;
    const pod = event.object;
    const wfName = pod.metadata.labels?.[workflowLabel];
    const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
    const before = (event.previous?.['status'] as { phase?: string } | undefined)?.phase;
    if (wfName === undefined || phase === before || (phase !== 'Succeeded' && phase !== 'Failed')) return;
    const type = this.workflowType;
    const owner = pod.metadata.ownerReferences?.find((ref) => ref.kind === 'Workflow');
    if (type === undefined || owner === undefined) return;
    const wf = this.api.find(type, pod.metadata.namespace, wfName);
    if (wf === undefined || wf.metadata.uid !== owner.uid || isFrozen(wf.metadata.annotations)) return;
    this.after(0, () => this.stepFinished(wf, pod, phase));
  }

  private stepFinished(wf: KubeObject, pod: KubeObject, phase: 'Succeeded' | 'Failed'): void {
    const plan = this.plan(wf);
    const index = plan.steps.findIndex((s) => s.podName === pod.metadata.name);
    const step = plan.steps[index];
    if (step === undefined) return;
    const written = this.setNode(wf, step, phase, phase === 'Succeeded' ? index + 1 : index);
    if (written === undefined) return;
    this.markPodCompleted(pod);
    if (phase === 'Failed') {
      const outcome = outcomeOf(wf.metadata.annotations?.[sandboxAnnotations.outcome]);
      const message = outcome === 'Error' ? `Error (exit code 1)` : `child '${step.nodeId}' failed`;
      return this.finish(written, outcome === 'Error' ? 'Error' : 'Failed', message);
    }
    this.startStep(written, plan, index + 1);
  }

  /** Argo labels a finished step pod `completed=true` so that its own informer can skip it. */
  private markPodCompleted(pod: KubeObject): void {
    if (this.api.find(this.podType, pod.metadata.namespace, pod.metadata.name ?? '') === undefined) return;
    this.api.patch(this.podType, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', {
      metadata: { labels: { [completedLabel]: 'true' } },
    });
  }

  private finish(wf: KubeObject, phase: Outcome, message: string): void {
    const current = this.fresh(wf);
    if (current === undefined) return;
    const status = (current.wf['status'] ?? {}) as { nodes?: Record<string, Record<string, unknown>> };
    const now = this.api.now();
    const name = current.wf.metadata.name ?? '';
    const nodes = { ...status.nodes };
    const root = nodes[name];
    if (root !== undefined) nodes[name] = { ...root, phase, finishedAt: now };
    const steps = this.plan(current.wf).steps.length;
    const written = this.write(
      current.wf,
      { ...status, phase, finishedAt: now, progress: `${phase === 'Succeeded' ? steps : steps - 1}/${steps}`, message, nodes, conditions: [{ type: 'PodRunning', status: 'False' }, { type: 'Completed', status: 'True' }] },
      phase,
      true,
    );
    if (written === undefined) return;
    this.recordEvent(written, phase === 'Succeeded' ? 'Normal' : 'Warning', `Workflow${phase === 'Succeeded' ? 'Succeeded' : 'Failed'}`, phase === 'Succeeded' ? 'Workflow completed' : message);
    const spec = (written['spec'] ?? {}) as { ttlSecondsAfterFinished?: number; ttlStrategy?: { secondsAfterCompletion?: number; secondsAfterSuccess?: number; secondsAfterFailure?: number } };
    const ttl = (phase === 'Succeeded' ? spec.ttlStrategy?.secondsAfterSuccess : spec.ttlStrategy?.secondsAfterFailure) ?? spec.ttlStrategy?.secondsAfterCompletion ?? spec.ttlSecondsAfterFinished;
    if (typeof ttl === 'number' && ttl >= 0) {
      this.after(ttl * 1000, () => {
        const latest = this.fresh(written);
        if (latest !== undefined) this.api.delete(latest.type, latest.wf.metadata.namespace, latest.wf.metadata.name ?? '', {});
      });
    }
  }

  private recordEvent(wf: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = this.api.now();
    this.api.create(this.eventType, wf.metadata.namespace, {
      metadata: { name: `${wf.metadata.name ?? ''}.${randomBytes(8).toString('hex')}` },
      involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: wf.metadata.name, namespace: wf.metadata.namespace, uid: wf.metadata.uid, resourceVersion: wf.metadata.resourceVersion },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'workflow-controller' },
      reportingComponent: 'workflow-controller',
    });
  }
}

/** `spec.suspend: true`: Argo schedules no step until the Workflow is resumed. */
function isSuspended(wf: KubeObject): boolean {
  return (wf['spec'] as { suspend?: unknown } | undefined)?.suspend === true;
}

function outcomeOf(value: string | undefined): Outcome {
  return value === 'Failed' || value === 'Error' ? value : 'Succeeded';
}
