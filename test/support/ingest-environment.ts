/**
 * What the ingest tests share: a real redis-server, the sandbox API server with the Aegis CRDs and the alert
 * namespace, client-node clients, and an AlertStore that counts the API writes it makes.
 */
import {
  createKubeClients,
  createAegisAlertStore,
  installCrds,
  readCrdManifests,
} from '../../src/kube/index.js';
import type { KubeClients } from '../../src/kube/index.js';
import { startRedisProcess, type RedisProcess } from '../../src/platform/index.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import type { AegisAlert, AlertStore } from '../../src/controller/ingest/index.js';
export { countingStore, type WriteCounts } from './counting-store.js';

export const alertNamespace = 'monitoring';

export interface IngestEnvironment {
  redis: RedisProcess;
  sandbox: SandboxHandle;
  clients: KubeClients;
  store: AlertStore;
  stop(): Promise<void>;
}

export async function startIngestEnvironment(): Promise<IngestEnvironment> {
  const redis = await startRedisProcess();
  let sandbox: SandboxHandle | undefined;
  try {
    sandbox = await startSandbox({ nodes: 2 });
    const clients = createKubeClients({ yaml: sandbox.kubeconfig });
    await installCrds(clients, await readCrdManifests());
    await clients.core.createNamespace({ body: { metadata: { name: alertNamespace } } });
    const running = sandbox;
    return {
      redis,
      sandbox: running,
      clients,
      store: createAegisAlertStore(clients),
      async stop() {
        await running.close();
        await redis.stop();
      },
    };
  } catch (error) {
    await sandbox?.close();
    await redis.stop();
    throw error;
  }
}

/** Poll `check` every 20 ms until it returns a value other than undefined, or fail after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function alertsOf(items: AegisAlert[], fingerprint: string): AegisAlert[] {
  return items.filter((item) => item.metadata.labels?.['fingerprint'] === fingerprint);
}
