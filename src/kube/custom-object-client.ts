/**
 * Read, create, delete and status-patch one kind of custom resource (e.g. AegisAlertOpsRule) through
 * @kubernetes/client-node. Status goes through the /status subresource with a JSON merge patch, optionally
 * guarded by a resourceVersion precondition (409 → a retryable AegisError).
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { AegisError } from '../core/errors.js';
import type { KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

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

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const pageSize = 500;

interface ObjectList<T> {
  items?: T[];
  metadata?: { continue?: string };
}

export function createCustomObjectClient<T>(
  clients: Pick<KubeClients, 'customObjects'>,
  type: CustomResourceType,
): CustomObjectClient<T> {
  const api = clients.customObjects;
  const { group, version, plural } = type;

  // client-node types custom objects as `object`; the caller names the type.
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
        return await call('get', namespace, name, () =>
          api.getNamespacedCustomObject({ group, version, plural, namespace, name }),
        );
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
          ...(continueToken === undefined ? {} : { _continue: continueToken }),
        };
        const page = (await call('list', namespace, '', () =>
          namespace === undefined
            ? api.listClusterCustomObject({ group, version, plural, ...paging })
            : api.listNamespacedCustomObject({ group, version, plural, namespace, ...paging }),
        )) as ObjectList<T>;
        items.push(...(page.items ?? []));
        continueToken = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
      } while (continueToken !== undefined);
      return items;
    },

    async create(namespace, body) {
      const name = (body as { metadata?: { name?: string } } | null)?.metadata?.name ?? '';
      return await call('create', namespace, name, () =>
        api.createNamespacedCustomObject({ group, version, plural, namespace, body: body as object }),
      );
    },

    async delete(namespace, name) {
      try {
        await call('delete', namespace, name, () =>
          api.deleteNamespacedCustomObject({ group, version, plural, namespace, name }),
        );
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
      return await call('patch status of', namespace, name, () =>
        api.patchNamespacedCustomObjectStatus({ group, version, plural, namespace, name, body }, mergePatch),
      );
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
