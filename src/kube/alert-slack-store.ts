/**
 * The notifier's AlertSlackStore port on the API server: a fresh read of an AegisAlert, and `status.slack`
 * written through the /status subresource as a merge patch of that field alone.
 */
import type { AlertSlackStore } from '../bot/notify/index.js';
import { alertStoreErrorCodes } from '../controller/ingest/index.js';
import { AegisError } from '../core/errors.js';
import { createAegisAlertStore } from './aegis-alert-store.js';
import type { KubeClients } from './kube-clients.js';

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
  };
}
