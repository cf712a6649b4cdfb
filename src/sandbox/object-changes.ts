import { canonicalJson } from './canonical-json.js';
import type { KubeObject } from './types.js';

/** Metadata a client may not set: the server assigns these on create. */
export function stripServerFields(metadata: KubeObject['metadata']): KubeObject['metadata'] {
  const copy = { ...metadata };
  delete copy.uid;
  delete copy.resourceVersion;
  delete copy.creationTimestamp;
  delete copy.deletionTimestamp;
  delete copy.deletionGracePeriodSeconds;
  delete copy.generation;
  delete copy['selfLink'];
  delete copy['managedFields'];
  return copy;
}

/** Whether anything but metadata and status differs: what bumps `metadata.generation`. */
export function specChanged(before: KubeObject, after: KubeObject): boolean {
  const strip = (o: KubeObject): string => {
    const { metadata: _m, status: _s, ...rest } = o;
    return canonicalJson(rest);
  };
  return strip(before) !== strip(after);
}

/** The object without its resourceVersion, to tell a no-op write from a change. */
export function withoutVersion(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: '' } };
}

export function sameList(a: readonly string[], b: readonly string[] | undefined): boolean {
  return a.length === (b?.length ?? 0) && a.every((v, i) => b?.[i] === v);
}
