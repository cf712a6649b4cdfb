/**
 * What the collectors gather about the object under diagnosis, and all the analyzers see. Collecting is I/O
 * (src/controller/diagnosis); analysing these facts is pure (this folder).
 */
import type { NodeObject, PodObject, PyTorchJobObject, WorkflowObject } from './kube-shapes.js';

/** A core/v1 or events.k8s.io/v1 Event, reduced to what an operator reads. */
export interface ObjectEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  /** How often it happened (series count or `count`; 1 when unknown). */
  readonly count: number;
  /** The most recent occurrence (RFC 3339), when known. */
  readonly lastSeen?: string;
  readonly source: 'core/v1' | 'events.k8s.io/v1';
}

/** Log lines of one container, already cut to their budget (keyword lines first, see filter-log-lines.ts). */
export interface ContainerLog {
  readonly container: string;
  readonly previous: boolean;
  readonly lines: readonly string[];
  /** Why no log could be read, when none could. */
  readonly error?: string;
}

export interface PodFacts {
  readonly kind: 'Pod';
  readonly pod: PodObject;
  readonly events: readonly ObjectEvent[];
  readonly logs: readonly ContainerLog[];
}

/** What the optional collector pod printed, split by `[section]` headers. */
export interface CollectorOutput {
  readonly sections: Readonly<Record<string, readonly string[]>>;
  /** Why the collector gave nothing, when it did not run to the end. */
  readonly error?: string;
}

export interface NodeFacts {
  readonly kind: 'Node';
  readonly node: NodeObject;
  readonly events: readonly ObjectEvent[];
  /** Pods bound to the node (bounded list). */
  readonly pods: readonly PodObject[];
  readonly collector?: CollectorOutput;
}

export interface PyTorchJobFacts {
  readonly kind: 'PyTorchJob';
  readonly job: PyTorchJobObject;
  readonly events: readonly ObjectEvent[];
  /** Every pod of the job (role from `training.kubeflow.org/replica-type`). */
  readonly pods: readonly PodObject[];
  /** The master and the abnormal workers (at most a few), collected in depth. */
  readonly analysedPods: readonly PodFacts[];
}

export interface WorkflowFacts {
  readonly kind: 'Workflow';
  readonly workflow: WorkflowObject;
  readonly events: readonly ObjectEvent[];
  /** Pods of failed steps, collected in depth, with the step's node id. */
  readonly stepPods: readonly (PodFacts & { readonly nodeId: string })[];
}

/** The object did not exist: the diagnosis completes as Unknown with this reason. */
export interface MissingFacts {
  readonly kind: 'Missing';
  readonly objectKind: string;
  readonly reason: string;
}

export type DiagnosisFacts = PodFacts | NodeFacts | PyTorchJobFacts | WorkflowFacts | MissingFacts;
