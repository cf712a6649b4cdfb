/**
 * The DiagnosisCluster port on @kubernetes/client-node: bounded reads for the collectors (every list has a
 * limit, every log a tail and a byte cap) and the collector pod's create/delete. Objects come back as plain JSON.
 * Events are read from core/v1 and from events.k8s.io/v1 and merged by name: on a real cluster both APIs serve
 * the same objects, elsewhere either may hold some.
 */
import { EventsV1Api } from '@kubernetes/client-node';
import { AegisError } from '../core/errors.js';
import type {
  DiagnosisCluster,
  NodeObject,
  ObjectEvent,
  PodObject,
  PyTorchJobObject,
  WorkflowObject,
} from '../core/diagnosis/index.js';
import { createCustomObjectClient } from './custom-object-client.js';
import type { KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

function fieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (character) => `\\${character}`);
}

interface CoreEventJson {
  metadata?: { name?: string; namespace?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  series?: { count?: number; lastObservedTime?: string };
}

interface EventsV1Json {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string };
  type?: string;
  reason?: string;
  note?: string;
  eventTime?: string;
  deprecatedCount?: number;
  deprecatedLastTimestamp?: string;
  series?: { count?: number; lastObservedTime?: string };
}

export function createDiagnosisCluster(clients: KubeClients): DiagnosisCluster {
  const { core } = clients;
  const eventsV1 = clients.kubeConfig.makeApiClient(EventsV1Api);
  const pytorchJobs = createCustomObjectClient<PyTorchJobObject>(clients, {
    group: 'kubeflow.org',
    version: 'v1',
    plural: 'pytorchjobs',
    kind: 'PyTorchJob',
  });
  const workflows = createCustomObjectClient<WorkflowObject>(clients, {
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'workflows',
    kind: 'Workflow',
  });

  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw new AegisError('KUBE_READ_FAILED', `cannot read ${what}: ${describeKubeError(error)}`, {
        retryable: (kubeStatusCode(error) ?? 500) >= 500,
        cause: error,
      });
    }
  };
  const orUndefined = async <T>(what: string, request: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await request();
    } catch (error) {
      if (kubeStatusCode(error) === 404) return undefined;
      return await call(what, () => Promise.reject(error as Error));
    }
  };
  /** A kind whose API is not served (no PyTorchJob CRD) reads as a missing object. */
  const customOrUndefined = async <T>(
    what: string,
    request: () => Promise<T | undefined>,
  ): Promise<T | undefined> => {
    try {
      return await request();
    } catch (error) {
      if (error instanceof AegisError && error.code === 'KUBE_NOT_FOUND') return undefined;
      if (kubeStatusCode(error) === 404) return undefined;
      throw error instanceof AegisError
        ? error
        : new AegisError('KUBE_READ_FAILED', `cannot read ${what}: ${describeKubeError(error)}`, {
            retryable: true,
            cause: error,
          });
    }
  };

  return {
    async getNode(name) {
      const node = await orUndefined(`node ${name}`, () => core.readNode({ name }));
      return node === undefined ? undefined : plain<NodeObject>(node);
    },
    async getPod(namespace, name) {
      const pod = await orUndefined(`pod ${namespace}/${name}`, () =>
        core.readNamespacedPod({ namespace, name }),
      );
      return pod === undefined ? undefined : plain<PodObject>(pod);
    },
    getPyTorchJob: (namespace, name) =>
      customOrUndefined(`PyTorchJob ${namespace}/${name}`, () => pytorchJobs.get(namespace, name)),
    getWorkflow: (namespace, name) =>
      customOrUndefined(`Workflow ${namespace}/${name}`, () => workflows.get(namespace, name)),

    async listPods(query) {
      const filters = {
        limit: query.limit,
        ...(query.labelSelector === undefined ? {} : { labelSelector: query.labelSelector }),
        ...(query.node === undefined ? {} : { fieldSelector: `spec.nodeName=${fieldValue(query.node)}` }),
      };
      const namespace = query.namespace;
      const list = await call('pods', () =>
        namespace === undefined
          ? core.listPodForAllNamespaces(filters)
          : core.listNamespacedPod({ namespace, ...filters }),
      );
      return plain<PodObject[]>(list.items);
    },

    async listEvents(query) {
      const namespace = query.namespace;
      const selector = (prefix: string): string =>
        [
          `${prefix}.kind=${fieldValue(query.kind)}`,
          `${prefix}.name=${fieldValue(query.name)}`,
          ...(namespace === undefined ? [] : [`${prefix}.namespace=${fieldValue(namespace)}`]),
        ].join(',');
      const coreSelector = selector('involvedObject');
      const coreList = await call(`events of ${query.kind} ${query.name}`, () =>
        namespace === undefined
          ? core.listEventForAllNamespaces({ fieldSelector: coreSelector, limit: query.limit })
          : core.listNamespacedEvent({ namespace, fieldSelector: coreSelector, limit: query.limit }),
      );
      const byName = new Map<string, ObjectEvent>();
      for (const event of plain<CoreEventJson[]>(coreList.items)) {
        byName.set(`${event.metadata?.namespace ?? ''}/${event.metadata?.name ?? ''}`, {
          type: event.type ?? 'Normal',
          reason: event.reason ?? '',
          message: event.message ?? '',
          count: event.series?.count ?? event.count ?? 1,
          ...lastSeen(
            event.series?.lastObservedTime ?? event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp,
          ),
          source: 'core/v1',
        });
      }
      const v1Selector = selector('regarding');
      let v1Items: EventsV1Json[] = [];
      try {
        const list =
          namespace === undefined
            ? await eventsV1.listEventForAllNamespaces({ fieldSelector: v1Selector, limit: query.limit })
            : await eventsV1.listNamespacedEvent({
                namespace,
                fieldSelector: v1Selector,
                limit: query.limit,
              });
        v1Items = plain<EventsV1Json[]>(list.items);
      } catch (error) {
        // Not served (404) or an API server that does not take `regarding.*` selectors (400): core/v1 has them.
        const status = kubeStatusCode(error);
        if (status !== 404 && status !== 400) {
          throw new AegisError(
            'KUBE_READ_FAILED',
            `cannot read events.k8s.io events of ${query.kind} ${query.name}: ${describeKubeError(error)}`,
            { retryable: true, cause: error },
          );
        }
      }
      for (const event of v1Items) {
        const key = `${event.metadata?.namespace ?? ''}/${event.metadata?.name ?? ''}`;
        if (byName.has(key)) continue;
        byName.set(key, {
          type: event.type ?? 'Normal',
          reason: event.reason ?? '',
          message: event.note ?? '',
          count: event.series?.count ?? event.deprecatedCount ?? 1,
          ...lastSeen(
            event.series?.lastObservedTime ??
              event.deprecatedLastTimestamp ??
              event.eventTime ??
              event.metadata?.creationTimestamp,
          ),
          source: 'events.k8s.io/v1',
        });
      }
      return [...byName.values()].slice(0, query.limit);
    },

    async readPodLog(request) {
      return await call(`the log of pod ${request.namespace}/${request.name}`, () =>
        core.readNamespacedPodLog({
          namespace: request.namespace,
          name: request.name,
          container: request.container,
          tailLines: request.tailLines,
          limitBytes: request.limitBytes,
          ...(request.previous ? { previous: true } : {}),
        }),
      );
    },

    async createPod(namespace, pod) {
      try {
        return plain<PodObject>(await core.createNamespacedPod({ namespace, body: pod }));
      } catch (error) {
        throw new AegisError(
          'KUBE_WRITE_FAILED',
          `cannot create the collector pod in ${namespace}: ${describeKubeError(error)}`,
          { retryable: (kubeStatusCode(error) ?? 500) >= 500, cause: error },
        );
      }
    },
    async deletePod(namespace, name) {
      try {
        await core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 });
      } catch (error) {
        if (kubeStatusCode(error) !== 404)
          throw new AegisError(
            'KUBE_WRITE_FAILED',
            `cannot delete pod ${namespace}/${name}: ${describeKubeError(error)}`,
            { retryable: true, cause: error },
          );
      }
    },
  };
}

function lastSeen(value: string | Date | undefined): { lastSeen?: string } {
  if (value === undefined || value === null) return {};
  return { lastSeen: typeof value === 'string' ? value : new Date(value).toISOString() };
}
