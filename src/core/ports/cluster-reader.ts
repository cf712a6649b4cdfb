/**
 * What the agent's tools read from the cluster, declared here by their consumer; `createClusterReader` in
 * src/kube implements it with @kubernetes/client-node. Read-only by construction: there is no write method,
 * and there is no method for Secrets at all. Objects are plain JSON (timestamps as RFC 3339 strings).
 */
import type { AegisAlert, AegisAlertOpsRule, AegisOpsTemplate } from '../resources/index.js';

export interface PlainMetadata {
  name?: string | undefined;
  namespace?: string | undefined;
  uid?: string | undefined;
  labels?: Readonly<Record<string, string>> | undefined;
  annotations?: Readonly<Record<string, string>> | undefined;
  creationTimestamp?: string | undefined;
  ownerReferences?: readonly { kind?: string | undefined; name?: string | undefined }[] | undefined;
}

export interface PlainCondition {
  type?: string | undefined;
  status?: string | undefined;
  reason?: string | undefined;
  message?: string | undefined;
  lastTransitionTime?: string | undefined;
}

export interface PlainNode {
  metadata?: PlainMetadata | undefined;
  spec?:
    | {
        unschedulable?: boolean | undefined;
        taints?: readonly { key?: string; value?: string; effect?: string }[] | undefined;
        providerID?: string | undefined;
      }
    | undefined;
  status?:
    | {
        conditions?: readonly PlainCondition[] | undefined;
        capacity?: Readonly<Record<string, string>> | undefined;
        allocatable?: Readonly<Record<string, string>> | undefined;
        addresses?: readonly { type?: string; address?: string }[] | undefined;
        nodeInfo?: Readonly<Record<string, string>> | undefined;
      }
    | undefined;
}

export interface PlainContainerStatus {
  name?: string | undefined;
  ready?: boolean | undefined;
  restartCount?: number | undefined;
  image?: string | undefined;
  state?:
    | Readonly<Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>>
    | undefined;
  lastState?:
    | Readonly<Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>>
    | undefined;
}

export interface PlainPod {
  metadata?: PlainMetadata | undefined;
  spec?:
    | {
        nodeName?: string | undefined;
        containers?:
          | readonly {
              name?: string | undefined;
              image?: string | undefined;
              resources?: Readonly<Record<string, Readonly<Record<string, string>> | undefined>> | undefined;
            }[]
          | undefined;
      }
    | undefined;
  status?:
    | {
        phase?: string | undefined;
        reason?: string | undefined;
        message?: string | undefined;
        podIP?: string | undefined;
        startTime?: string | undefined;
        conditions?: readonly PlainCondition[] | undefined;
        containerStatuses?: readonly PlainContainerStatus[] | undefined;
      }
    | undefined;
}

export interface PlainEvent {
  metadata?: PlainMetadata | undefined;
  type?: string | undefined;
  reason?: string | undefined;
  message?: string | undefined;
  count?: number | undefined;
  firstTimestamp?: string | undefined;
  lastTimestamp?: string | undefined;
  eventTime?: string | undefined;
  source?: { component?: string | undefined; host?: string | undefined } | undefined;
  reportingComponent?: string | undefined;
  involvedObject?:
    { kind?: string | undefined; name?: string | undefined; namespace?: string | undefined } | undefined;
}

export interface PodListQuery {
  /** Undefined: every namespace. */
  namespace?: string | undefined;
  /** Pods scheduled on this node (`spec.nodeName`). */
  node?: string | undefined;
  labelSelector?: string | undefined;
  /** At most this many items are fetched. */
  limit: number;
}

export interface EventQuery {
  kind: string;
  name: string;
  /** Namespace of a namespaced object; undefined for cluster-scoped objects (Node): every namespace. */
  namespace?: string | undefined;
  limit: number;
}

export interface PodLogQuery {
  namespace: string;
  name: string;
  container?: string | undefined;
  tailLines: number;
  limitBytes: number;
  previous?: boolean | undefined;
}

/** Read-only access to the cluster for the agent. Getters resolve undefined for a missing object. */
export interface ClusterReader {
  listAlerts(namespace: string): Promise<readonly AegisAlert[]>;
  getAlert(namespace: string, name: string): Promise<AegisAlert | undefined>;
  listRules(namespace: string | undefined): Promise<readonly AegisAlertOpsRule[]>;
  getRule(namespace: string, name: string): Promise<AegisAlertOpsRule | undefined>;
  listTemplates(namespace: string | undefined): Promise<readonly AegisOpsTemplate[]>;
  getTemplate(namespace: string, name: string): Promise<AegisOpsTemplate | undefined>;
  listNodes(query: { labelSelector?: string | undefined; limit: number }): Promise<readonly PlainNode[]>;
  getNode(name: string): Promise<PlainNode | undefined>;
  listPods(query: PodListQuery): Promise<readonly PlainPod[]>;
  getPod(namespace: string, name: string): Promise<PlainPod | undefined>;
  listEvents(query: EventQuery): Promise<readonly PlainEvent[]>;
  readPodLog(query: PodLogQuery): Promise<string>;
}
