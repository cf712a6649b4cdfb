/**
 * What the diagnosis collectors need from the cluster: reads (objects, pods, Events of both APIs, pod logs)
 * and, for the optional collector pod only, creating and deleting one pod. The adapter is src/kube.
 */
import type { ObjectEvent } from './diagnosis-facts.js';
import type { NodeObject, PodObject, PyTorchJobObject, WorkflowObject } from './kube-shapes.js';

export interface PodLogRequest {
  readonly namespace: string;
  readonly name: string;
  readonly container: string;
  readonly previous: boolean;
  readonly tailLines: number;
  readonly limitBytes: number;
}

export interface DiagnosisCluster {
  getNode(name: string): Promise<NodeObject | undefined>;
  getPod(namespace: string, name: string): Promise<PodObject | undefined>;
  getPyTorchJob(namespace: string, name: string): Promise<PyTorchJobObject | undefined>;
  getWorkflow(namespace: string, name: string): Promise<WorkflowObject | undefined>;
  /** At most `limit` pods, of one namespace or all, by label selector or node. */
  listPods(query: {
    readonly namespace?: string;
    readonly labelSelector?: string;
    readonly node?: string;
    readonly limit: number;
  }): Promise<PodObject[]>;
  /** Events about one object from core/v1 and events.k8s.io/v1 (when served), without duplicates. */
  listEvents(query: {
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
    readonly limit: number;
  }): Promise<ObjectEvent[]>;
  readPodLog(request: PodLogRequest): Promise<string>;
  createPod(namespace: string, pod: Readonly<Record<string, unknown>>): Promise<PodObject>;
  deletePod(namespace: string, name: string): Promise<void>;
}
