import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  VersionApi,
} from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { createKubeJsonClient, type KubeJsonClient } from './kube-json-client.js';
import { PooledKubeConfig } from './pooled-kube-config.js';

export type KubeconfigSource =
  | { yaml: string }
  | { paths: readonly string[] }
  | { inCluster: { server: string; tokenPath: string; caPath: string } };

/** The typed API clients Aegis uses, all from one kubeconfig. */
export interface KubeClients {
  readonly kubeConfig: KubeConfig;
  /** The API server URL of the current context. */
  readonly server: string;
  readonly core: CoreV1Api;
  readonly apiextensions: ApiextensionsV1Api;
  readonly customObjects: CustomObjectsApi;
  readonly version: VersionApi;
  readonly objects: KubernetesObjectApi;
}

export function createKubeClients(source: KubeconfigSource): KubeClients {
  const kubeConfig = loadKubeConfig(source);
  return {
    kubeConfig,
    server: kubeConfig.getCurrentCluster()?.server ?? '(no current cluster)',
    core: kubeConfig.makeApiClient(CoreV1Api),
    apiextensions: kubeConfig.makeApiClient(ApiextensionsV1Api),
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    version: kubeConfig.makeApiClient(VersionApi),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
  };
}

const jsonClients = new WeakMap<KubeConfig, KubeJsonClient | null>();

/**
 * The undici JSON client (kube-json-client.ts) for `kubeConfig`, one per KubeConfig and shared by every store
 * made from it, so they share its keep-alive pool. Undefined without a KubeConfig or when its cluster needs
 * client-node (behind a proxy): the caller then keeps using client-node.
 */
export function kubeJsonClientFor(kubeConfig: KubeConfig | undefined): KubeJsonClient | undefined {
  if (kubeConfig === undefined) return undefined;
  let client = jsonClients.get(kubeConfig);
  if (client === undefined) {
    client = createKubeJsonClient(kubeConfig) ?? null;
    jsonClients.set(kubeConfig, client);
  }
  return client ?? undefined;
}

export function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  const kubeConfig = new PooledKubeConfig();
  if ('yaml' in source) {
    kubeConfig.loadFromString(source.yaml);
  } else if ('paths' in source) {
    mergeFiles(kubeConfig, source.paths);
  } else {
    const { server, tokenPath, caPath } = source.inCluster;
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'in-cluster', server, caFile: caPath, skipTLSVerify: false }],
      users: [{ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile: tokenPath } } }],
      contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster' }],
      currentContext: 'in-cluster',
    });
  }
  return kubeConfig;
}

/**
 * kubectl's merge rules for a KUBECONFIG list: the first file that defines a cluster, user, context or the
 * current context wins; later duplicates are ignored (client-node's own merge throws on them instead).
 */
function mergeFiles(target: KubeConfig, paths: readonly string[]): void {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const path of paths) {
    const file = new KubeConfig();
    file.loadFromFile(path);
    for (const cluster of file.getClusters())
      if (!clusters.has(cluster.name)) clusters.set(cluster.name, cluster);
    for (const user of file.getUsers()) if (!users.has(user.name)) users.set(user.name, user);
    for (const context of file.getContexts())
      if (!contexts.has(context.name)) contexts.set(context.name, context);
    if (currentContext === '') currentContext = file.getCurrentContext() ?? '';
  }
  target.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
}
