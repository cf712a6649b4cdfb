/** A resource request's coordinates, parsed from the URL path. */
export interface ResourcePath {
  group: string;
  version: string;
  namespace: string | undefined;
  plural: string;
  name: string | undefined;
  subresource: string | undefined;
}

export type ParsedPath =
  | { kind: 'resource'; path: ResourcePath }
  | { kind: 'discovery'; group: string; version: string | undefined }
  | { kind: 'other' };

const namespaceSubresources = new Set(['status', 'finalize']);

export function parseRequestPath(pathname: string): ParsedPath {
  const parts = pathname.split('/').filter((s) => s !== '');
  const segments = pathname.includes('%') ? parts.map(decodeURIComponent) : parts;
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segments[0] === 'api') {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    group = segments[1] ?? '';
    version = segments[2];
    rest = segments.slice(3);
    if (group === '') return { kind: 'discovery', group: '', version: undefined };
  } else {
    return { kind: 'other' };
  }
  if (version === undefined || rest.length === 0) return { kind: 'discovery', group, version };
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && namespaceSubresources.has(rest[2] ?? ''))
  ) {
    const [, namespace, plural, name, subresource] = rest;
    return { kind: 'resource', path: { group, version, namespace, plural: plural ?? '', name, subresource } };
  }
  const [plural, name, subresource] = rest;
  return {
    kind: 'resource',
    path: { group, version, namespace: undefined, plural: plural ?? '', name, subresource },
  };
}
