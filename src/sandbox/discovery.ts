import type { ResourceRegistry } from './registry.js';
import { allVerbs, type ResourceType } from './resource-type.js';

export const versionInfo = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-aegis-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** `GET /api`: the legacy core versions document. */
export function coreVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDoc(name: string, versions: string[]): object {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

/** `GET /apis`: every non-core group with its versions in priority order. */
export function groupList(registry: ResourceRegistry): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map((g) => groupDoc(g.name, g.versions)) };
}

/** `GET /apis/<group>`. */
export function groupDocument(registry: ResourceRegistry, group: string): object | undefined {
  const found = registry.groups().find((g) => g.name === group);
  return found === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(found.name, found.versions) };
}

function verbsOf(_type: ResourceType): string[] {
  return allVerbs;
}

/** `GET /api/v1` and `GET /apis/<group>/<version>`: resources and their subresources. */
export function resourceList(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.typesIn(group, version);
  if (types.length === 0) return undefined;
  const resources: object[] = [];
  for (const type of types) {
    resources.push({
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: verbsOf(type),
      ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
      ...(type.categories.length > 0 ? { categories: type.categories } : {}),
      storageVersionHash: hash(type.storageKey),
    });
    if (type.statusSubresource) {
      resources.push({ name: `${type.plural}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] });
    }
    if (type.extraSubresources.includes('log')) {
      resources.push({ name: `${type.plural}/log`, singularName: '', namespaced: true, kind: type.kind, verbs: ['get'] });
    }
    if (type.extraSubresources.includes('eviction')) {
      resources.push({ name: `${type.plural}/eviction`, singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
}

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return Buffer.from(h.toString(16).padStart(8, '0')).toString('base64');
}
