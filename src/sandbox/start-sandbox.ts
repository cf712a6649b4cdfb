import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { LifecycleController } from './controllers/lifecycle-controller.js';
import { FaultInjector } from './faults/fault-injector.js';
import { createSandboxServer } from './http/create-server.js';
import { WatchHub } from './http/watch-handler.js';
import type { SandboxHandle, SandboxOptions } from './index.js';
import { sandboxKubeconfig } from './kubeconfig.js';
import { ObjectStore } from './object-store.js';
import { ResourceRegistry } from './registry.js';
import { builtinResourceTypes } from './resource-type.js';
import { SandboxApi } from './sandbox-api.js';
import { SimulatedArgoController } from './simulation/argo-controller.js';
import { SimulatedKubelet } from './simulation/kubelet.js';
import { seedNodes } from './simulation/seed-nodes.js';
import type { KubeObject } from './types.js';

const bundledCrdFiles = ['argo-workflows.yaml', 'kubeflow-pytorchjobs.yaml'];
const seededNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Build the sandbox's state in-process: built-in kinds, namespaces, bundled CRDs and seed nodes. */
export async function createSandboxApi(
  options: { nodes?: number; watchHistory?: number } = {},
): Promise<SandboxApi> {
  const api = new SandboxApi(
    new ObjectStore(options.watchHistory),
    new ResourceRegistry(builtinResourceTypes()),
  );
  const namespaces = api.resolve('', 'v1', 'namespaces');
  for (const name of seededNamespaces)
    api.create(namespaces, undefined, {
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    });
  const serviceAccounts = api.resolve('', 'v1', 'serviceaccounts');
  for (const name of seededNamespaces) api.create(serviceAccounts, name, { metadata: { name: 'default' } });
  const crds = api.resolve('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  const crdDir = join(dirname(fileURLToPath(import.meta.url)), 'crds');
  for (const file of bundledCrdFiles) {
    api.create(crds, undefined, YAML.parse(await readFile(join(crdDir, file), 'utf8')) as KubeObject);
  }
  seedNodes(api, options.nodes ?? 3);
  return api;
}

/** Start the sandbox API server on loopback with its simulated kubelet and Argo controller. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const api = await createSandboxApi({
    ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
    ...(options.watchHistory === undefined ? {} : { watchHistory: options.watchHistory }),
  });
  const lifecycle = new LifecycleController(api);
  const simulate = options.simulate ?? true;
  const kubelet = simulate ? new SimulatedKubelet(api) : undefined;
  const argo = simulate ? new SimulatedArgoController(api) : undefined;
  const watches = new WatchHub();
  const faults = options.faults === undefined || options.faults === false ? undefined : new FaultInjector();
  if (faults !== undefined && typeof options.faults === 'object') faults.setPlan(options.faults);
  const server = createSandboxServer({ api, watches, now: () => new Date(), ...(faults === undefined ? {} : { faults }) });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const kubeconfig = sandboxKubeconfig(url);
  if (options.kubeconfigOut !== undefined) {
    await mkdir(dirname(options.kubeconfigOut), { recursive: true });
    await writeFile(options.kubeconfigOut, kubeconfig, { mode: 0o600 });
  }
  let closed = false;
  return {
    url,
    kubeconfig,
    kubeconfigPath: options.kubeconfigOut,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      faults?.resume();
      argo?.stop();
      kubelet?.stop();
      lifecycle.stop();
      watches.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
