/**
 * The alert reconciler's API ports: Argo Workflows (create, read, patch, delete), AegisOpsTemplates (read, `/status` merge
 * patch for the outcome counters). Calls go through the undici JSON client when the KubeConfig allows it, else
 * client-node (custom-object-client.ts). Errors become AegisErrors with the codes the reconciler declares
 * (`alertReconcilerErrorCodes`).
 */
import { AegisError } from '../core/errors.js';
import {
  alertReconcilerErrorCodes,
  type TemplateStatusStore,
  type TemplateView,
  type WorkflowObject,
  type WorkflowStore,
} from '../core/ports/index.js';
import { customObjectCalls, type CustomObjectClients } from './custom-object-client.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

const workflows = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;
const templates = { group: 'aegis.io', version: 'v1alpha1', plural: 'aegisopstemplates' } as const;

export function createWorkflowStore(clients: CustomObjectClients): WorkflowStore {
  const api = customObjectCalls(clients, workflows);
  return {
    async create(namespace, workflow) {
      // Custom objects are untyped JSON; the API server returns the Workflow created.
      return (await call('create', 'Workflow', namespace, workflow.metadata?.name ?? '', () =>
        api.create(namespace, workflow),
      )) as WorkflowObject;
    },
    async get(namespace, name) {
      try {
        return (await call('get', 'Workflow', namespace, name, () =>
          api.get(namespace, name),
        )) as WorkflowObject;
      } catch (error) {
        if (error instanceof AegisError && error.code === alertReconcilerErrorCodes.notFound)
          return undefined;
        throw error;
      }
    },
    async patch(namespace, name, patch) {
      return (await call('patch', 'Workflow', namespace, name, () =>
        api.patch(namespace, name, patch),
      )) as WorkflowObject;
    },
    async delete(namespace, name) {
      try {
        await call('delete', 'Workflow', namespace, name, () => api.delete(namespace, name));
        return true;
      } catch (error) {
        if (error instanceof AegisError && error.code === alertReconcilerErrorCodes.notFound) return false;
        throw error;
      }
    },
  };
}

export function createTemplateStatusStore(clients: CustomObjectClients): TemplateStatusStore {
  const api = customObjectCalls(clients, templates);
  return {
    async get(namespace, name) {
      try {
        return (await call('get', 'AegisOpsTemplate', namespace, name, () =>
          api.get(namespace, name),
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
        api.patchStatus(namespace, name, body),
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
