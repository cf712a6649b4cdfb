/**
 * The AlertStore port (declared by the ingest controller): every AegisAlert read and write of ingest goes
 * through here. Patches are JSON merge patches; status goes through the /status subresource.
 *
 * Given the clients' KubeConfig, AegisAlert calls go through a small undici JSON client (kube-json-client.ts,
 * one keep-alive pool per API server, shared by every store made from the same KubeConfig): the ingest worker
 * makes up to three calls per new alert and client-node's ObjectSerializer + node-fetch path cost several
 * times more CPU per call. Clusters behind a proxy, and the pod lookup, stay on client-node.
 */
import { PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { AegisAlertObject } from '../core/alerts/index.js';
import { AegisError } from '../core/errors.js';
import type { AegisAlertStatus } from '../core/resources/aegis-alert.js';
import {
  alertStoreErrorCodes,
  type AegisAlert,
  type AlertStore,
  type WritePreconditions,
} from '../core/ports/index.js';
import { kubeJsonClientFor, type KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';
import type { KubeJsonClient } from './kube-json-client.js';

const resource = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisalerts' } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const mergePatchType = 'application/merge-patch+json';
const pageSize = 500;
/** Creates tried when the API server's generated name collides with an existing object (409). */
const generateNameAttempts = 3;

/** A list page as the API server returns it (client-node types custom objects as `any`). */
interface AlertList {
  items?: AegisAlert[];
  metadata?: { continue?: string };
}

/** The AegisAlert calls, on client-node or on the JSON client. Answers are untyped JSON. */
interface AlertCalls {
  list(
    namespace: string,
    query: { limit: number; labelSelector?: string; continue?: string },
  ): Promise<unknown>;
  get(namespace: string, name: string): Promise<unknown>;
  create(namespace: string, body: AegisAlertObject): Promise<unknown>;
  patch(namespace: string, name: string, body: object, subresource?: 'status'): Promise<unknown>;
  delete(namespace: string, name: string, body?: object): Promise<unknown>;
}

function directCalls(client: KubeJsonClient): AlertCalls {
  const collection = (namespace: string) =>
    `/apis/${resource.group}/${resource.version}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
  const item = (namespace: string, name: string) => `${collection(namespace)}/${encodeURIComponent(name)}`;
  return {
    list: (namespace, query) => client.request({ method: 'GET', path: collection(namespace), query }),
    get: (namespace, name) => client.request({ method: 'GET', path: item(namespace, name) }),
    create: (namespace, body) => client.request({ method: 'POST', path: collection(namespace), body }),
    patch: (namespace, name, body, subresource) =>
      client.request({
        method: 'PATCH',
        path: subresource === undefined ? item(namespace, name) : `${item(namespace, name)}/${subresource}`,
        body,
        contentType: mergePatchType,
      }),
    delete: (namespace, name, body) =>
      client.request({
        method: 'DELETE',
        path: item(namespace, name),
        ...(body === undefined ? {} : { body }),
      }),
  };
}

function clientNodeCalls(api: KubeClients['customObjects']): AlertCalls {
  return {
    list: (namespace, query) =>
      api.listNamespacedCustomObject({
        ...resource,
        namespace,
        limit: query.limit,
        ...(query.labelSelector === undefined ? {} : { labelSelector: query.labelSelector }),
        ...(query.continue === undefined ? {} : { _continue: query.continue }),
      }),
    get: (namespace, name) => api.getNamespacedCustomObject({ ...resource, namespace, name }),
    create: (namespace, body) => api.createNamespacedCustomObject({ ...resource, namespace, body }),
    patch: (namespace, name, body, subresource) =>
      subresource === undefined
        ? api.patchNamespacedCustomObject({ ...resource, namespace, name, body }, mergePatch)
        : api.patchNamespacedCustomObjectStatus({ ...resource, namespace, name, body }, mergePatch),
    delete: (namespace, name, body) =>
      api.deleteNamespacedCustomObject({
        ...resource,
        namespace,
        name,
        ...(body === undefined ? {} : { body }),
      }),
  };
}

export function createAegisAlertStore(
  clients: Pick<KubeClients, 'customObjects' | 'core'> & { readonly kubeConfig?: KubeConfig },
): AlertStore {
  const json = kubeJsonClientFor(clients.kubeConfig);
  const api = json === undefined ? clientNodeCalls(clients.customObjects) : directCalls(json);

  const listPages = async (namespace: string, labelSelector?: string): Promise<AegisAlert[]> => {
    const items: AegisAlert[] = [];
    let continueToken: string | undefined;
    do {
      const page = (await call('list', namespace, '', () =>
        api.list(namespace, {
          limit: pageSize,
          ...(labelSelector === undefined ? {} : { labelSelector }),
          ...(continueToken === undefined ? {} : { continue: continueToken }),
        }),
      )) as AlertList;
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
    } while (continueToken !== undefined);
    return items;
  };

  return {
    listByFingerprint: async (namespace, fingerprintLabelValue) =>
      await listPages(namespace, `fingerprint=${fingerprintLabelValue}`),

    list: async (namespace) => await listPages(namespace),

    async get(namespace, name) {
      try {
        return (await call('get', namespace, name, () => api.get(namespace, name))) as AegisAlert;
      } catch (error) {
        if (error instanceof AegisError && error.code === alertStoreErrorCodes.notFound) return undefined;
        throw error;
      }
    },

    async create(object: AegisAlertObject) {
      const namespace = object.metadata.namespace;
      for (let attempt = 1; ; attempt += 1) {
        try {
          return (await call('create', namespace, object.metadata.generateName, () =>
            api.create(namespace, object),
          )) as AegisAlert;
        } catch (error) {
          // The generated name (5 random characters) was taken: nothing was created, draw another one now
          // instead of failing the delivery into a retry with backoff.
          if (!(error instanceof AegisError) || error.code !== alertStoreErrorCodes.conflict) throw error;
          if (attempt >= generateNameAttempts) throw error;
        }
      }
    },

    async patchStatus(
      namespace,
      name,
      status: Partial<AegisAlertStatus>,
      preconditions: WritePreconditions = {},
    ) {
      const body = {
        ...(preconditions.resourceVersion === undefined
          ? {}
          : { metadata: { resourceVersion: preconditions.resourceVersion } }),
        status,
      };
      return (await call('patch status of', namespace, name, () =>
        api.patch(namespace, name, body, 'status'),
      )) as AegisAlert;
    },

    async patchLabels(namespace, name, labels) {
      const body = { metadata: { labels } };
      return (await call('patch labels of', namespace, name, () =>
        api.patch(namespace, name, body),
      )) as AegisAlert;
    },

    async getPodNode(namespace, name) {
      try {
        const pod = await clients.core.readNamespacedPod({ namespace, name });
        const node = pod.spec?.nodeName;
        return node === undefined || node === '' ? undefined : node;
      } catch (error) {
        if (kubeStatusCode(error) === 404) return undefined;
        throw toStoreError('read pod', namespace, name, error);
      }
    },

    async delete(namespace, name, preconditions = {}) {
      const { resourceVersion, uid } = preconditions;
      const hasPreconditions = resourceVersion !== undefined || uid !== undefined;
      try {
        await call('delete', namespace, name, () =>
          api.delete(
            namespace,
            name,
            hasPreconditions
              ? {
                  preconditions: {
                    ...(resourceVersion === undefined ? {} : { resourceVersion }),
                    ...(uid === undefined ? {} : { uid }),
                  },
                }
              : undefined,
          ),
        );
        return true;
      } catch (error) {
        if (error instanceof AegisError && error.code === alertStoreErrorCodes.notFound) return false;
        throw error;
      }
    },
  };
}

// client-node returns custom objects untyped; the callers cast to AegisAlert.
async function call(
  verb: string,
  namespace: string,
  name: string,
  request: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await request();
  } catch (error) {
    throw toStoreError(verb, namespace, name, error);
  }
}

function toStoreError(verb: string, namespace: string, name: string, error: unknown): AegisError {
  const status = kubeStatusCode(error);
  const message = `cannot ${verb} AegisAlert ${namespace}/${name}: ${describeKubeError(error)}`;
  if (status === 409)
    return new AegisError(alertStoreErrorCodes.conflict, message, { retryable: true, cause: error });
  if (status === 404) return new AegisError(alertStoreErrorCodes.notFound, message, { cause: error });
  // An object the API server refuses as invalid will not become valid by retrying; anything else may.
  const retryable = status !== 400 && status !== 422;
  return new AegisError(alertStoreErrorCodes.apiError, message, { retryable, cause: error });
}
