/**
 * The notifier's AlertSlackStore port on the API server: a fresh read of an AegisAlert, `status.slack` written
 * through the /status subresource as a merge patch of that field alone, and the alert's Workflow and a failed
 * step's log tail for its thread.
 */
import type { AlertSlackStore } from '../core/ports/index.js';
import { alertStoreErrorCodes } from '../core/ports/index.js';
import { AegisError } from '../core/errors.js';
import { createAegisAlertStore } from './aegis-alert-store.js';
import type { KubeClients } from './kube-clients.js';
import { kubeStatusCode } from './kube-error.js';

export function createAlertSlackStore(clients: Pick<KubeClients, 'customObjects' | 'core'>): AlertSlackStore {
  const store = createAegisAlertStore(clients);
  return {
    get: async (namespace, name) => await store.get(namespace, name),
    async setSlackMessage(namespace, name, message) {
      try {
        await store.patchStatus(namespace, name, { slack: message });
      } catch (error) {
        // Deleted meanwhile: there is nothing left to point at the message.
        if (error instanceof AegisError && error.code === alertStoreErrorCodes.notFound) return;
        throw error;
      }
    },
    async workflow(namespace, name) {
      try {
        const found: unknown = await clients.customObjects.getNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          plural: 'workflows',
          namespace,
          name,
        });
        return found;
      } catch (error) {
        // Gone (TTL) or Argo not installed: the thread shows what the alert's status says.
        if (kubeStatusCode(error) === 404) return undefined;
        throw error;
      }
    },
    async podLogTail(namespace, pod, lines) {
      try {
        return await clients.core.readNamespacedPodLog({
          namespace,
          name: pod,
          container: 'main',
          tailLines: lines,
          limitBytes: 64 * 1024,
        });
      } catch {
        // The pod may be gone (garbage-collected) or its log unreadable: the step line goes without it.
        return undefined;
      }
    },
  };
}
