/**
 * Pods that run on one node for Aegis (health-check checker pods; the same calls suit any "run a pod on a node
 * and read its log" feature): create, read the log (bounded), delete, and the rule ConfigMaps they mount.
 * Creating and deleting go through the shared undici JSON client when the cluster allows it (a cluster check
 * makes these calls for every node); the log is read with client-node, which returns it as text whatever it
 * holds. Failures are AegisErrors with a stable code and the API server's reason.
 */
import { AegisError } from '../core/errors.js';
import { kubeJsonClientFor, type KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

export const nodePodErrorCodes = {
  alreadyExists: 'POD_ALREADY_EXISTS',
  invalid: 'POD_INVALID',
  apiError: 'KUBE_API_ERROR',
} as const;

export interface NodePodClient {
  /** Create the pod; AegisError POD_ALREADY_EXISTS (409) or POD_INVALID (400/403/422, not retryable). */
  create(namespace: string, pod: Readonly<Record<string, unknown>>): Promise<void>;
  /** At most `limitBytes` of the container's log. */
  readLog(
    namespace: string,
    name: string,
    options: { container?: string; limitBytes: number },
  ): Promise<string>;
  /** False when it was already gone. */
  delete(namespace: string, name: string): Promise<boolean>;
  /** Names of the ConfigMaps of `namespace` that match `labelSelector` (kubectl syntax), sorted. */
  listConfigMapNames(namespace: string, labelSelector: string): Promise<string[]>;
}

export function createNodePodClient(clients: Pick<KubeClients, 'core' | 'kubeConfig'>): NodePodClient {
  const json = kubeJsonClientFor(clients.kubeConfig);
  const fail = (verb: string, where: string, error: unknown): AegisError => {
    const status = kubeStatusCode(error);
    const message = `cannot ${verb} ${where}: ${describeKubeError(error)}`;
    if (status === 409 && verb === 'create') {
      return new AegisError(nodePodErrorCodes.alreadyExists, message, { retryable: false, cause: error });
    }
    if (status === 400 || status === 403 || status === 422) {
      return new AegisError(nodePodErrorCodes.invalid, message, { retryable: false, cause: error });
    }
    return new AegisError(nodePodErrorCodes.apiError, message, { retryable: true, cause: error });
  };
  const podPath = (namespace: string, name?: string): string =>
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
  return {
    async create(namespace, pod) {
      const name = (pod['metadata'] as { name?: string } | undefined)?.name ?? '';
      try {
        if (json === undefined) await clients.core.createNamespacedPod({ namespace, body: pod });
        else await json.request({ method: 'POST', path: podPath(namespace), body: pod });
      } catch (error) {
        throw fail('create', `pod ${namespace}/${name}`, error);
      }
    },
    async readLog(namespace, name, options) {
      try {
        const text: unknown = await clients.core.readNamespacedPodLog({
          namespace,
          name,
          limitBytes: options.limitBytes,
          ...(options.container === undefined ? {} : { container: options.container }),
        });
        return typeof text === 'string' ? text : JSON.stringify(text);
      } catch (error) {
        throw fail('read the log of', `pod ${namespace}/${name}`, error);
      }
    },
    async delete(namespace, name) {
      try {
        if (json === undefined) await clients.core.deleteNamespacedPod({ namespace, name });
        else await json.request({ method: 'DELETE', path: podPath(namespace, name) });
        return true;
      } catch (error) {
        if (kubeStatusCode(error) === 404) return false;
        throw fail('delete', `pod ${namespace}/${name}`, error);
      }
    },
    async listConfigMapNames(namespace, labelSelector) {
      try {
        const list = await clients.core.listNamespacedConfigMap({ namespace, labelSelector });
        return list.items
          .map((item) => item.metadata?.name ?? '')
          .filter((name) => name !== '')
          .sort();
      } catch (error) {
        throw fail('list', `ConfigMaps of namespace ${namespace} (selector "${labelSelector}")`, error);
      }
    },
  };
}
