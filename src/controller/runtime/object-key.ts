/**
 * The identity of an object to reconcile. Cluster-scoped objects have `namespace: ''`, as in the informer
 * cache. The string form is client-go's `namespace/name` (just `name` when cluster-scoped); names cannot
 * contain `/`, so it parses back unambiguously.
 */
export interface ObjectKey {
  readonly namespace: string;
  readonly name: string;
}

export function formatObjectKey(key: ObjectKey): string {
  return key.namespace === '' ? key.name : `${key.namespace}/${key.name}`;
}

export function parseObjectKey(text: string): ObjectKey {
  const slash = text.indexOf('/');
  if (slash < 0) return { namespace: '', name: text };
  return { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** The key of an object from a watch source (its own namespace and name). */
export function objectKeyOf(object: {
  readonly metadata?: { readonly name?: string; readonly namespace?: string } | undefined;
}): ObjectKey | undefined {
  const name = object.metadata?.name;
  if (name === undefined || name === '') return undefined;
  return { namespace: object.metadata?.namespace ?? '', name };
}
