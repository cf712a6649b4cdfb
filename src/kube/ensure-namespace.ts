import type { KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

/**
 * Make sure `name` exists: create it when it is missing. Returns what happened. On a real cluster the service
 * account may not be allowed to create namespaces; the caller decides whether that is fatal.
 */
export async function ensureNamespace(
  clients: Pick<KubeClients, 'core'>,
  name: string,
): Promise<'exists' | 'created'> {
  try {
    await clients.core.readNamespace({ name });
    return 'exists';
  } catch (error) {
    if (kubeStatusCode(error) !== 404) throw new Error(`cannot read namespace ${name}: ${describeKubeError(error)}`);
  }
  try {
    await clients.core.createNamespace({ body: { metadata: { name } } });
    return 'created';
  } catch (error) {
    if (kubeStatusCode(error) === 409) return 'exists';
    throw new Error(`cannot create namespace ${name}: ${describeKubeError(error)}`, { cause: error });
  }
}
