/**
 * The AlertStore port (declared by the ingest controller) on @kubernetes/client-node: every AegisAlert read and
 * write of ingest goes through here. Patches are JSON merge patches (client-node 1.x defaults to JSON patch,
 * hence the explicit content type); status goes through the /status subresource.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { AegisAlertObject } from '../core/alerts/index.js';
import { AegisError } from '../core/errors.js';
import type { AegisAlertStatus } from '../core/resources/aegis-alert.js';
import {
  alertStoreErrorCodes,
  type AegisAlert,
  type AlertStore,
  type WritePreconditions,
} from '../controller/ingest/index.js';
import type { KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

const resource = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisalerts' } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const pageSize = 500;

/** A list page as the API server returns it (client-node types custom objects as `any`). */
interface AlertList {
  items?: AegisAlert[];
  metadata?: { continue?: string };
}

export function createAegisAlertStore(clients: Pick<KubeClients, 'customObjects' | 'core'>): AlertStore {
  const api = clients.customObjects;

  const listPages = async (namespace: string, labelSelector?: string): Promise<AegisAlert[]> => {
    const items: AegisAlert[] = [];
    let continueToken: string | undefined;
    do {
      const page = (await call('list', namespace, '', () =>
        api.listNamespacedCustomObject({
          ...resource,
          namespace,
          limit: pageSize,
          ...(labelSelector === undefined ? {} : { labelSelector }),
          ...(continueToken === undefined ? {} : { _continue: continueToken }),
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
        return (await call('get', namespace, name, () =>
          api.getNamespacedCustomObject({ ...resource, namespace, name }),
        )) as AegisAlert;
      } catch (error) {
        if (error instanceof AegisError && error.code === alertStoreErrorCodes.notFound) return undefined;
        throw error;
      }
    },

    async create(object: AegisAlertObject) {
      const namespace = object.metadata.namespace;
      return (await call('create', namespace, object.metadata.generateName, () =>
        api.createNamespacedCustomObject({ ...resource, namespace, body: object }),
      )) as AegisAlert;
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
        api.patchNamespacedCustomObjectStatus({ ...resource, namespace, name, body }, mergePatch),
      )) as AegisAlert;
    },

    async patchLabels(namespace, name, labels) {
      const body = { metadata: { labels } };
      return (await call('patch labels of', namespace, name, () =>
        api.patchNamespacedCustomObject({ ...resource, namespace, name, body }, mergePatch),
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
          api.deleteNamespacedCustomObject({
            ...resource,
            namespace,
            name,
            ...(hasPreconditions
              ? {
                  body: {
                    preconditions: {
                      ...(resourceVersion === undefined ? {} : { resourceVersion }),
                      ...(uid === undefined ? {} : { uid }),
                    },
                  },
                }
              : {}),
          }),
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
