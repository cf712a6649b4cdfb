import { apiErrors } from './api-error.js';
import { buildObjectFilter } from './object-filter.js';
import type { ObjectStore } from './object-store.js';
import { withTypeMeta, type ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken: string | undefined;
  remainingItemCount: number | undefined;
}

/**
 * A list as kube-apiserver answers it: objects of one resource (in one namespace, or all), filtered by label and
 * field selectors, ordered by namespace then name, paged with `limit` and an opaque `continue` token that
 * carries the last key served (base64url JSON, as opaque to clients as the real server's).
 */
export function listObjects(
  store: ObjectStore,
  type: ResourceType,
  namespace: string | undefined,
  options: ListOptions = {},
): ListResult {
  const filter = buildObjectFilter(
    type,
    type.namespaced ? namespace : undefined,
    options.labelSelector,
    options.fieldSelector,
  );
  const resourceVersion = String(store.resourceVersion);
  const candidates =
    filter.requiredLabel === undefined
      ? store.list(type.storageKey, filter.namespace)
      : store.listWithLabel(
          type.storageKey,
          filter.namespace,
          filter.requiredLabel.key,
          filter.requiredLabel.value,
        );
  let all = candidates.filter((o) => filter.matches(o));
  if (options.continueToken !== undefined && options.continueToken !== '') {
    const after = decodeContinue(options.continueToken);
    all = all.filter((o) => keyOf(o) > after);
  }
  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : undefined;
  if (limit === undefined || all.length <= limit) {
    return {
      items: all.map((o) => withTypeMeta(o, type)),
      resourceVersion,
      continueToken: undefined,
      remainingItemCount: undefined,
    };
  }
  const page = all.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((o) => withTypeMeta(o, type)),
    resourceVersion,
    continueToken: encodeContinue(last === undefined ? '' : keyOf(last), resourceVersion),
    remainingItemCount: all.length - limit,
  };
}

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

function encodeContinue(after: string, resourceVersion: string): string {
  return Buffer.from(JSON.stringify({ after, rv: resourceVersion })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw apiErrors.badRequest('continue key is not valid: the continue token could not be decoded');
}
