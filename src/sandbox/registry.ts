import type { ResourceType } from './resource-type.js';

/**
 * Which resources are served at which group/version. Built-ins are fixed; CRDs add and remove entries.
 * `revision` changes on every change, so discovery and OpenAPI documents can carry a fresh hash.
 */
export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();
  private revisionCounter = 0;

  constructor(initial: Iterable<ResourceType>) {
    for (const type of initial) this.types.set(keyOf(type.group, type.version, type.plural), type);
  }

  get revision(): number {
    return this.revisionCounter;
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.get(keyOf(group, version, plural));
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Types sharing one storage key (the versions of one resource). */
  byStorageKey(storageKey: string): ResourceType[] {
    return this.all().filter((t) => t.storageKey === storageKey);
  }

  /** Replace every type defined by `crdName` with `types`. */
  setCustomResource(crdName: string, types: ResourceType[]): void {
    this.removeCustomResource(crdName);
    for (const type of types) this.types.set(keyOf(type.group, type.version, type.plural), type);
    this.revisionCounter += 1;
  }

  removeCustomResource(crdName: string): void {
    for (const [key, type] of this.types) if (type.crdName === crdName) this.types.delete(key);
    this.revisionCounter += 1;
  }

  /** Groups other than core, each with its versions in Kubernetes priority order. */
  groups(): { name: string; versions: string[] }[] {
    const byGroup = new Map<string, Set<string>>();
    for (const type of this.types.values()) {
      if (type.group === '') continue;
      const versions = byGroup.get(type.group) ?? new Set<string>();
      versions.add(type.version);
      byGroup.set(type.group, versions);
    }
    return [...byGroup.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, versions]) => ({ name, versions: [...versions].sort(compareKubeVersions) }));
  }

  typesIn(group: string, version: string): ResourceType[] {
    return this.all()
      .filter((t) => t.group === group && t.version === version)
      .sort((a, b) => a.plural.localeCompare(b.plural));
  }
}

function keyOf(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}

const kubeVersionPattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes version priority: GA > beta > alpha, higher numbers first, other names last alphabetically. */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = kubeVersionPattern.exec(v);
    if (m === null) return undefined;
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (ra === undefined && rb === undefined) return a.localeCompare(b);
  if (ra === undefined) return 1;
  if (rb === undefined) return -1;
  return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
}
