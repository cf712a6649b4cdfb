/**
 * The alert reconciler's API ports on @kubernetes/client-node: Argo Workflows (create, read), AegisOpsTemplates
 * (read, `/status` merge patch for the outcome counters). Errors become AegisErrors with the codes the
 * reconciler declares (`alertReconcilerErrorCodes`).
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { AegisError } from '../core/errors.js';
import {
  alertReconcilerErrorCodes,
  type TemplateStatusStore,
  type TemplateView,
  type WorkflowObject,
  type WorkflowStore,
} from '../controller/alerts/index.js';
import type { KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

const workflows = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;
const templates = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisopstemplates' } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function createWorkflowStore(clients: Pick<KubeClients, 'customObjects'>): WorkflowStore {
  const api = clients.customObjects;
  return {
    async create(namespace, workflow) {
      // client-node types custom objects as `object`; the API server returns the Workflow created.
      return (await call('create', 'Workflow', namespace, workflow.metadata?.name ?? '', () =>
        api.createNamespacedCustomObject({ ...workflows, namespace, body: workflow }),
      )) as WorkflowObject;
    },
    async get(namespace, name) {
      try {
        return (await call('get', 'Workflow', namespace, name, () =>
          api.getNamespacedCustomObject({ ...workflows, namespace, name }),
        )) as WorkflowObject;
      } catch (error) {
        if (error instanceof AegisError && error.code === alertReconcilerErrorCodes.notFound)
          return undefined;
        throw error;
      }
    },
  };
}

export function createTemplateStatusStore(clients: Pick<KubeClients, 'customObjects'>): TemplateStatusStore {
  const api = clients.customObjects;
  return {
    async get(namespace, name) {
      try {
        return (await call('get', 'AegisOpsTemplate', namespace, name, () =>
          api.getNamespacedCustomObject({ ...templates, namespace, name }),
        )) as TemplateView;
      } catch (error) {
        if (error instanceof AegisError && error.code === alertReconcilerErrorCodes.notFound)
          return undefined;
        throw error;
      }
    },
    async patchStatus(namespace, name, status, resourceVersion) {
      const body = { ...(resourceVersion === undefined ? {} : { metadata: { resourceVersion } }), status };
      await call('patch status of', 'AegisOpsTemplate', namespace, name, () =>
        api.patchNamespacedCustomObjectStatus({ ...templates, namespace, name, body }, mergePatch),
      );
    },
  };
}

async function call(
  verb: string,
  kind: string,
  namespace: string,
  name: string,
  request: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await request();
  } catch (error) {
    const status = kubeStatusCode(error);
    const message = `cannot ${verb} ${kind} ${namespace}/${name}: ${describeKubeError(error)}`;
    const codes = alertReconcilerErrorCodes;
    if (status === 409) {
      const code = verb === 'create' ? codes.alreadyExists : codes.conflict;
      throw new AegisError(code, message, { retryable: true, cause: error });
    }
    if (status === 404) throw new AegisError(codes.notFound, message, { cause: error });
    // An object the API server refuses as invalid will not become valid by retrying; anything else may.
    throw new AegisError(codes.apiError, message, {
      retryable: status !== 400 && status !== 422,
      cause: error,
    });
  }
}
