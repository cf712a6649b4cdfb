/** The kinds the health-check controllers read and write, and their watch sources. */
import type {
  AegisClusterHealthCheckSpec,
  AegisClusterHealthCheckStatus,
  AegisNodeHealthCheckSpec,
  AegisNodeHealthCheckStatus,
} from '../../core/resources/index.js';
import type { KubeClients } from '../../kube/index.js';
import type { Logger } from '../../core/logger.js';
import { informerOf, type InformerManager, type WatchedObject, type WatchSource } from '../runtime/index.js';
import { nodeHealthCheckLabel } from '../../core/health-checks/index.js';

export const nodeCheckResource = {
  group: 'aegis.io',
  version: 'v1alpha1',
  plural: 'aegisnodehealthchecks',
  kind: 'AegisNodeHealthCheck',
} as const;

export const clusterCheckResource = {
  group: 'aegis.io',
  version: 'v1alpha1',
  plural: 'aegisclusterhealthchecks',
  kind: 'AegisClusterHealthCheck',
} as const;

type Metadata = NonNullable<WatchedObject['metadata']> & {
  generation?: number;
  deletionTimestamp?: string;
  creationTimestamp?: string;
  annotations?: Record<string, string>;
};

/** As the API server stored it; the spec was validated by the CRD schema, the template is free-form. */
export interface NodeCheckObject extends WatchedObject {
  metadata?: Metadata;
  spec?: Partial<AegisNodeHealthCheckSpec>;
  status?: AegisNodeHealthCheckStatus;
}

export interface ClusterCheckObject extends WatchedObject {
  metadata?: Metadata;
  spec?: Partial<AegisClusterHealthCheckSpec>;
  status?: AegisClusterHealthCheckStatus;
}

export interface PodObject extends WatchedObject {
  metadata?: Metadata;
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    containerStatuses?: {
      name?: string;
      state?: { terminated?: { exitCode?: number; reason?: string; message?: string } };
    }[];
  };
}

export interface NodeObject extends WatchedObject {
  metadata?: Metadata;
  spec?: { taints?: { key?: string; value?: string; effect?: string }[]; unschedulable?: boolean };
}

export interface HealthCheckSources {
  readonly nodeChecks: WatchSource<NodeCheckObject>;
  readonly clusterChecks: WatchSource<ClusterCheckObject>;
  /** Only checker pods (those with the `aegis.io/node-health-check` label). */
  readonly pods: WatchSource<PodObject>;
  readonly nodes: WatchSource<NodeObject>;
}

/** The four sources, from the process's informer manager when there is one (else private informers). */
export function createHealthCheckSources(
  clients: KubeClients,
  logger?: Logger,
  informers?: InformerManager,
): HealthCheckSources {
  const options = logger === undefined ? {} : { logger };
  return {
    nodeChecks: informerOf<NodeCheckObject>(informers, clients, nodeCheckResource, options),
    clusterChecks: informerOf<ClusterCheckObject>(informers, clients, clusterCheckResource, options),
    pods: informerOf<PodObject>(
      informers,
      clients,
      { group: '', version: 'v1', plural: 'pods', kind: 'Pod', labelSelector: nodeHealthCheckLabel },
      options,
    ),
    nodes: informerOf<NodeObject>(
      informers,
      clients,
      { group: '', version: 'v1', plural: 'nodes', kind: 'Node' },
      options,
    ),
  };
}
