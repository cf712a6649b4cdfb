/** The SilenceStore port (src/core/silences) on @kubernetes/client-node: AegisSilences in one namespace. */
import { aegisApiVersion, aegisGroup, aegisVersion, type AegisSilence } from '../core/resources/index.js';
import type { SilenceStore } from '../core/silences/index.js';
import { createCustomObjectClient } from './custom-object-client.js';
import type { KubeClients } from './kube-clients.js';

export const aegisSilenceType = {
  group: aegisGroup,
  version: aegisVersion,
  plural: 'aegissilences',
  kind: 'AegisSilence',
} as const;

export function createAegisSilenceStore(
  clients: Pick<KubeClients, 'customObjects'>,
  options: { namespace: string },
): SilenceStore {
  const objects = createCustomObjectClient<AegisSilence>(clients, aegisSilenceType);
  const { namespace } = options;
  return {
    list: async () => await objects.list(namespace),
    create: async (spec) =>
      await objects.create(namespace, {
        apiVersion: aegisApiVersion,
        kind: 'AegisSilence',
        metadata: { generateName: 'silence-', namespace },
        spec,
      }),
    delete: async (name) => await objects.delete(namespace, name),
  };
}
