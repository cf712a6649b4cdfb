import { Observable } from '@kubernetes/client-node';
import type { RequestContext, ResponseContext, VersionInfo } from '@kubernetes/client-node';
import type { KubeClients } from './kube-clients.js';
import { describeKubeError } from './kube-error.js';

/**
 * GET /version on the API server: the cheapest call that proves it is reachable and answering. Aborts the
 * request when `signal` does (readiness checks are bounded). Throws with a one-line reason.
 */
export async function checkApiServer(
  clients: Pick<KubeClients, 'version' | 'server'>,
  signal?: AbortSignal,
): Promise<VersionInfo> {
  const withSignal = {
    pre: (context: RequestContext) => {
      if (signal !== undefined) context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
  };
  try {
    return await clients.version.getCode({}, { middleware: [withSignal], middlewareMergeStrategy: 'append' });
  } catch (error) {
    throw new Error(`API server ${clients.server}: ${describeKubeError(error)}`, { cause: error });
  }
}
