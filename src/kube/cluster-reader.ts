/**
 * The agent's ClusterReader on @kubernetes/client-node: reads only (get, list, pod logs), never Secrets. Objects
 * are returned as plain JSON (client-node's Dates become RFC 3339 strings), the shape the API server sends.
 * Lists are capped with `limit`, so a large cluster costs one bounded page per call.
 */
import type { ClusterReader, EventQuery, PodListQuery, PodLogQuery } from '../core/ports/index.js';
import type { AegisAlert, AegisAlertOpsRule, AegisOpsTemplate } from '../core/resources/index.js';
import { AegisError } from '../core/errors.js';
import { createCustomObjectClient } from './custom-object-client.js';
import type { KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

const aegis = { group: 'aegis.io', version: 'v1alpha1' } as const;

function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

function fieldValue(value: string): string {
  // Field selector escaping: backslash, comma and equals sign.
  return value.replace(/[\\,=]/g, (character) => `\\${character}`);
}

export function createClusterReader(clients: Pick<KubeClients, 'core' | 'customObjects'>): ClusterReader {
  const { core } = clients;
  const alerts = createCustomObjectClient<AegisAlert>(clients, {
    ...aegis,
    plural: 'aegisalerts',
    kind: 'AegisAlert',
  });
  const rules = createCustomObjectClient<AegisAlertOpsRule>(clients, {
    ...aegis,
    plural: 'aegisalertopsrules',
    kind: 'AegisAlertOpsRule',
  });
  const templates = createCustomObjectClient<AegisOpsTemplate>(clients, {
    ...aegis,
    plural: 'aegisopstemplates',
    kind: 'AegisOpsTemplate',
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

  return {
    listAlerts: (namespace) => alerts.list(namespace),
    getAlert: (namespace, name) => alerts.get(namespace, name),
    listRules: (namespace) => rules.list(namespace),
    getRule: (namespace, name) => rules.get(namespace, name),
    listTemplates: (namespace) => templates.list(namespace),
    getTemplate: (namespace, name) => templates.get(namespace, name),

    async listNodes({ labelSelector, limit }) {
      const list = await call('nodes', () =>
        core.listNode({ limit, ...(labelSelector === undefined ? {} : { labelSelector }) }),
      );
      return plain(list.items);
    },

    async getNode(name) {
      const node = await orUndefined(`node ${name}`, () => core.readNode({ name }));
      return node === undefined ? undefined : plain(node);
    },

    async listPods(query: PodListQuery) {
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
      return plain(list.items);
    },

    async getPod(namespace, name) {
      const pod = await orUndefined(`pod ${namespace}/${name}`, () =>
        core.readNamespacedPod({ namespace, name }),
      );
      return pod === undefined ? undefined : plain(pod);
    },

    async listEvents(query: EventQuery) {
      const fieldSelector = [
        `involvedObject.kind=${fieldValue(query.kind)}`,
        `involvedObject.name=${fieldValue(query.name)}`,
        ...(query.namespace === undefined ? [] : [`involvedObject.namespace=${fieldValue(query.namespace)}`]),
      ].join(',');
      const namespace = query.namespace;
      const list = await call(`events of ${query.kind} ${query.name}`, () =>
        namespace === undefined
          ? core.listEventForAllNamespaces({ fieldSelector, limit: query.limit })
          : core.listNamespacedEvent({ namespace, fieldSelector, limit: query.limit }),
      );
      return plain(list.items);
    },

    async readPodLog(query: PodLogQuery) {
      return await call(`the log of pod ${query.namespace}/${query.name}`, () =>
        core.readNamespacedPodLog({
          namespace: query.namespace,
          name: query.name,
          tailLines: query.tailLines,
          limitBytes: query.limitBytes,
          ...(query.container === undefined ? {} : { container: query.container }),
          ...(query.previous === true ? { previous: true } : {}),
        }),
      );
    },
  };
}
