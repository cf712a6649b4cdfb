/**
 * Read, create, delete and status-patch one kind of custom resource (e.g. AegisAlertOpsRule). Status goes
 * through the /status subresource with a JSON merge patch, optionally guarded by a resourceVersion precondition
 * (409 → a retryable AegisError).
 *
 * Given the clients' KubeConfig, calls go through the undici JSON client (kube-json-client.ts, shared per
 * KubeConfig): the ops controllers make several calls per alert and client-node's ObjectSerializer + node-fetch
 * path costs several times more CPU per call. Clusters behind a proxy stay on client-node. Both paths send the
 * same requests (paths, query, content types) and fail with client-node `ApiException`s.
 */
import { PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { AegisError } from '../core/errors.js';
import { kubeJsonClientFor, type KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';
import type { KubeJsonClient } from './kube-json-client.js';

export interface CustomResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  /** For messages, e.g. `AegisAlertOpsRule`. */
  readonly kind: string;
}

export const customObjectErrorCodes = {
  notFound: 'KUBE_NOT_FOUND',
  conflict: 'KUBE_CONFLICT',
  alreadyExists: 'KUBE_ALREADY_EXISTS',
  apiError: 'KUBE_API_ERROR',
} as const;

export interface CustomObjectClient<T> {
  get(namespace: string, name: string): Promise<T | undefined>;
  /** Every object of one namespace, or of all namespaces when `namespace` is undefined. */
  list(namespace?: string): Promise<T[]>;
  create(namespace: string, body: unknown): Promise<T>;
  /** False when it did not exist. */
  delete(namespace: string, name: string): Promise<boolean>;
  patchStatus(
    namespace: string,
    name: string,
    status: Readonly<Record<string, unknown>>,
    preconditions?: { readonly resourceVersion?: string | undefined },
  ): Promise<T>;
}

/** What the custom-object stores need: client-node's API, and the KubeConfig to take the JSON client from. */
export type CustomObjectClients = Pick<KubeClients, 'customObjects'> & { readonly kubeConfig?: KubeConfig };

/**
 * The raw calls on one resource, on the JSON client or on client-node. Answers are untyped JSON; failures are
 * client-node `ApiException`s either way.
 */
export interface CustomObjectCalls {
  get(namespace: string, name: string): Promise<unknown>;
  /** One page of one namespace, or of all namespaces when `namespace` is undefined. */
  list(namespace: string | undefined, paging: { limit: number; continue?: string }): Promise<unknown>;
  create(namespace: string, body: object): Promise<unknown>;
  delete(namespace: string, name: string): Promise<unknown>;
  /** A JSON merge patch of the object (metadata and spec). */
  patch(namespace: string, name: string, body: object): Promise<unknown>;
  /** A JSON merge patch of the /status subresource. */
  patchStatus(namespace: string, name: string, body: object): Promise<unknown>;
}

type Resource = Pick<CustomResourceType, 'group' | 'version' | 'plural'>;

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const mergePatchType = 'application/merge-patch+json';
const pageSize = 500;

interface ObjectList<T> {
  items?: T[];
  metadata?: { continue?: string };
}

export function customObjectCalls(clients: CustomObjectClients, resource: Resource): CustomObjectCalls {
  const json = kubeJsonClientFor(clients.kubeConfig);
  return json === undefined ? clientNodeCalls(clients.customObjects, resource) : jsonCalls(json, resource);
}

function jsonCalls(client: KubeJsonClient, { group, version, plural }: Resource): CustomObjectCalls {
  const collection = (namespace: string | undefined) =>
    namespace === undefined
      ? `/apis/${group}/${version}/${plural}`
      : `/apis/${group}/${version}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  const item = (namespace: string, name: string) => `${collection(namespace)}/${encodeURIComponent(name)}`;
  return {
    get: (namespace, name) => client.request({ method: 'GET', path: item(namespace, name) }),
    list: (namespace, paging) =>
      client.request({
        method: 'GET',
        path: collection(namespace),
        query: { limit: paging.limit, continue: paging.continue },
      }),
    create: (namespace, body) => client.request({ method: 'POST', path: collection(namespace), body }),
    delete: (namespace, name) => client.request({ method: 'DELETE', path: item(namespace, name) }),
    patch: (namespace, name, body) =>
      client.request({ method: 'PATCH', path: item(namespace, name), body, contentType: mergePatchType }),
    patchStatus: (namespace, name, body) =>
      client.request({
        method: 'PATCH',
        path: `${item(namespace, name)}/status`,
        body,
        contentType: mergePatchType,
      }),
  };
}

function clientNodeCalls(api: KubeClients['customObjects'], resource: Resource): CustomObjectCalls {
  const { group, version, plural } = resource;
  return {
    get: (namespace, name) => api.getNamespacedCustomObject({ group, version, plural, namespace, name }),
    list: (namespace, paging) => {
      const query = {
        limit: paging.limit,
        ...(paging.continue === undefined ? {} : { _continue: paging.continue }),
      };
      return namespace === undefined
        ? api.listClusterCustomObject({ group, version, plural, ...query })
        : api.listNamespacedCustomObject({ group, version, plural, namespace, ...query });
    },
    create: (namespace, body) =>
      api.createNamespacedCustomObject({ group, version, plural, namespace, body }),
    delete: (namespace, name) =>
      api.deleteNamespacedCustomObject({ group, version, plural, namespace, name }),
    patch: (namespace, name, body) =>
      api.patchNamespacedCustomObject({ group, version, plural, namespace, name, body }, mergePatch),
    patchStatus: (namespace, name, body) =>
      api.patchNamespacedCustomObjectStatus({ group, version, plural, namespace, name, body }, mergePatch),
  };
}

export function createCustomObjectClient<T>(
  clients: CustomObjectClients,
  type: CustomResourceType,
): CustomObjectClient<T> {
  const api = customObjectCalls(clients, type);

  // Custom objects are untyped JSON; the caller names the type.
  const call = async (
    verb: string,
    namespace: string | undefined,
    name: string,
    request: () => Promise<unknown>,
  ) => {
    try {
      return (await request()) as T;
    } catch (error) {
      throw toError(type, verb, namespace, name, error);
    }
  };

  return {
    async get(namespace, name) {
      try {
        return await call('get', namespace, name, () => api.get(namespace, name));
      } catch (error) {
        if (error instanceof AegisError && error.code === customObjectErrorCodes.notFound) return undefined;
        throw error;
      }
    },

    async list(namespace) {
      const items: T[] = [];
      let continueToken: string | undefined;
      do {
        const paging = {
          limit: pageSize,
          ...(continueToken === undefined ? {} : { continue: continueToken }),
        };
        const page = (await call('list', namespace, '', () => api.list(namespace, paging))) as ObjectList<T>;
        items.push(...(page.items ?? []));
        continueToken = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
      } while (continueToken !== undefined);
      return items;
    },

    async create(namespace, body) {
      const name = (body as { metadata?: { name?: string } } | null)?.metadata?.name ?? '';
      return await call('create', namespace, name, () => api.create(namespace, body as object));
    },

    async delete(namespace, name) {
      try {
        await call('delete', namespace, name, () => api.delete(namespace, name));
        return true;
      } catch (error) {
        if (error instanceof AegisError && error.code === customObjectErrorCodes.notFound) return false;
        throw error;
      }
    },

    async patchStatus(namespace, name, status, preconditions = {}) {
      const body = {
        ...(preconditions.resourceVersion === undefined
          ? {}
          : { metadata: { resourceVersion: preconditions.resourceVersion } }),
        status,
      };
      return await call('patch status of', namespace, name, () => api.patchStatus(namespace, name, body));
    },
  };
}

function toError(
  type: CustomResourceType,
  verb: string,
  namespace: string | undefined,
  name: string,
  error: unknown,
): AegisError {
  const status = kubeStatusCode(error);
  const where =
    namespace === undefined ? `${type.kind}s in all namespaces` : `${type.kind} ${namespace}/${name}`;
  const message = `cannot ${verb} ${where}: ${describeKubeError(error)}`;
  if (status === 404) return new AegisError(customObjectErrorCodes.notFound, message, { cause: error });
  if (status === 409) {
    const exists = verb === 'create';
    return new AegisError(
      exists ? customObjectErrorCodes.alreadyExists : customObjectErrorCodes.conflict,
      message,
      {
        retryable: !exists,
        cause: error,
      },
    );
  }
  const retryable = status !== 400 && status !== 403 && status !== 422;
  return new AegisError(customObjectErrorCodes.apiError, message, { retryable, cause: error });
}
