/**
 * Patch strategies of built-in kinds for strategic merge patch: which lists merge, and by which key.
 * Paths are relative to the object root, dot-separated, with `[]` standing for "any element of the list"
 * (e.g. `spec.containers[].env`). A list not listed here is replaced by the patch (the default strategy).
 * Taken from the `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api.
 */

/** A merged list: maps matched by `mergeKey`, or (`mergeKey` undefined) a set of primitives. */
export interface ListStrategy {
  readonly mergeKey?: string;
}

const primitiveSet: ListStrategy = {};
const byKey = (mergeKey: string): ListStrategy => ({ mergeKey });

/** Lists inside a PodSpec, relative to the PodSpec. */
const podSpecLists: Record<string, ListStrategy> = {
  volumes: byKey('name'),
  imagePullSecrets: byKey('name'),
  hostAliases: byKey('ip'),
  topologySpreadConstraints: byKey('topologyKey'),
  resourceClaims: byKey('name'),
  schedulingGates: byKey('name'),
};

const containerListNames = ['containers', 'initContainers', 'ephemeralContainers'];

/** Lists inside a Container, relative to the container. */
const containerLists: Record<string, ListStrategy> = {
  env: byKey('name'),
  ports: byKey('containerPort'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
};

/** Every kind: object metadata. */
const metadataLists: Record<string, ListStrategy> = {
  'metadata.ownerReferences': byKey('uid'),
  'metadata.finalizers': primitiveSet,
};

const conditionsByType: Record<string, ListStrategy> = { 'status.conditions': byKey('type') };

/** Where each workload kind keeps its PodSpec. */
const podSpecPaths: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template.spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** Kind-specific lists besides the PodSpec ones. */
const kindLists: Record<string, Record<string, ListStrategy>> = {
  Pod: { ...conditionsByType, 'status.podIPs': byKey('ip'), 'status.hostIPs': byKey('ip') },
  // spec.taints has no patch strategy in k8s.io/api, so it is replaced: `kubectl taint k-` sends the remaining list.
  Node: { ...conditionsByType, 'status.addresses': byKey('type'), 'spec.podCIDRs': primitiveSet },
  Namespace: conditionsByType,
  PersistentVolumeClaim: conditionsByType,
  Deployment: conditionsByType,
  ReplicaSet: conditionsByType,
  ReplicationController: conditionsByType,
  StatefulSet: conditionsByType,
  DaemonSet: conditionsByType,
  Job: conditionsByType,
  Service: { 'spec.ports': byKey('port') },
  ServiceAccount: { secrets: byKey('name') },
};

function podSpecTable(prefix: string): Record<string, ListStrategy> {
  const table: Record<string, ListStrategy> = {};
  for (const [path, strategy] of Object.entries(podSpecLists)) table[`${prefix}.${path}`] = strategy;
  for (const list of containerListNames) {
    table[`${prefix}.${list}`] = byKey('name');
    for (const [path, strategy] of Object.entries(containerLists)) table[`${prefix}.${list}[].${path}`] = strategy;
  }
  return table;
}

const tables = new Map<string, ReadonlyMap<string, ListStrategy>>();

function tableFor(kind: string): ReadonlyMap<string, ListStrategy> {
  let table = tables.get(kind);
  if (table === undefined) {
    const podSpecPath = Object.hasOwn(podSpecPaths, kind) ? podSpecPaths[kind] : undefined;
    table = new Map(
      Object.entries({
        ...metadataLists,
        ...(podSpecPath === undefined ? {} : podSpecTable(podSpecPath)),
        ...(Object.hasOwn(kindLists, kind) ? kindLists[kind] : {}),
      }),
    );
    tables.set(kind, table);
  }
  return table;
}

/** The strategy of the list at `path` in an object of `kind`; undefined means "replace". */
export function listStrategyFor(kind: string, path: string): ListStrategy | undefined {
  return tableFor(kind).get(path);
}

/** The path of `key` inside the map at `path`. */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The path of the elements of the list at `path`. */
export function elementPath(path: string): string {
  return `${path}[]`;
}
