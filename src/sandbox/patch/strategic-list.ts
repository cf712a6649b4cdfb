import { getOwn, isPlainObject, type JsonObject } from './json-value.js';
import { PatchError } from './patch-error.js';
import { elementPath, type ListStrategy } from './strategic-schema.js';

/** Merges one patch map into one original map (undefined: the element is deleted). Supplied by the map merger. */
export type MergeElement = (original: JsonObject, patch: JsonObject, path: string) => JsonObject | undefined;

const noIdentity = Symbol('no merge key');

function identityOf(item: unknown, strategy: ListStrategy): unknown {
  if (strategy.mergeKey === undefined) return item;
  return isPlainObject(item) && Object.hasOwn(item, strategy.mergeKey) ? item[strategy.mergeKey] : noIdentity;
}

function indexIn(list: readonly unknown[], item: unknown, strategy: ListStrategy): number {
  const id = identityOf(item, strategy);
  if (id === noIdentity) return -1;
  return list.findIndex((candidate) => identityOf(candidate, strategy) === id);
}

/**
 * Merge a patch list into the original list of a merged field. Maps are matched by the merge key:
 * `{"$patch":"delete", key}` removes, `{"$patch":"replace"}` makes the other patch elements the whole list,
 * `{"$patch":"merge"}` is accepted as a plain element. Primitives are merged as a set.
 * The order follows the API server: patch items in patch order, interleaved with server-only items.
 */
export function mergeList(
  original: readonly unknown[],
  patch: readonly unknown[],
  path: string,
  strategy: ListStrategy,
  mergeElement: MergeElement,
): unknown[] {
  const key = strategy.mergeKey;
  if (key === undefined) return mergePrimitiveSet(original, patch, path);

  const itemPath = elementPath(path);
  let remaining = [...original];
  const elements: JsonObject[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isPlainObject(item)) throw new PatchError(400, `${path}: list elements must be objects with merge key "${key}"`);
    const directive = getOwn(item, '$patch');
    if (directive === undefined) {
      elements.push(item);
    } else if (directive === 'delete') {
      if (!Object.hasOwn(item, key)) throw missingKey(path, key);
      remaining = remaining.filter((candidate) => identityOf(candidate, strategy) !== item[key]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      const { $patch: _directive, ...rest } = item;
      elements.push(rest);
    } else {
      throw new PatchError(400, `${path}: unknown $patch directive ${JSON.stringify(directive)}`);
    }
  }
  if (replace) return elements.flatMap((item) => mergeElement({}, item, itemPath) ?? []);

  const merged = [...remaining];
  for (const item of elements) {
    if (!Object.hasOwn(item, key)) throw missingKey(path, key);
    const index = indexIn(merged, item, strategy);
    const base = index >= 0 ? merged[index] : undefined;
    const result = mergeElement(isPlainObject(base) ? base : {}, item, itemPath);
    if (index >= 0) {
      if (result === undefined) merged.splice(index, 1);
      else merged[index] = result;
    } else if (result !== undefined) {
      merged.push(result);
    }
  }
  return orderItems(merged, elements, remaining, strategy);
}

function missingKey(path: string, key: string): PatchError {
  return new PatchError(400, `${path}: a list element does not contain the merge key "${key}"`);
}

function mergePrimitiveSet(original: readonly unknown[], patch: readonly unknown[], path: string): unknown[] {
  if (patch.some((item) => typeof item === 'object' && item !== null)) {
    throw new PatchError(400, `${path}: expected a list of primitive values`);
  }
  const merged: unknown[] = [];
  for (const item of [...original, ...patch]) if (!merged.includes(item)) merged.push(item);
  return orderItems(merged, patch, original, {});
}

/** Remove the given primitives (`$deleteFromPrimitiveList/<list>`). */
export function deleteFromList(original: readonly unknown[], toDelete: readonly unknown[]): unknown[] {
  return original.filter((item) => !toDelete.includes(item));
}

/**
 * Order a merged list: items named by `patchOrder` in that order, items only on the server in their
 * `serverOrder` order, the two interleaved so that each server-only item stays before the first patch
 * item that followed it on the server. Used both for the patch list itself and for `$setElementOrder`.
 */
export function orderItems(
  merged: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  strategy: ListStrategy,
): unknown[] {
  const inPatch = (item: unknown): boolean => indexIn(patchOrder, item, strategy) >= 0;
  const patchItems = sortByIndex(merged.filter(inPatch), patchOrder, strategy);
  const serverOnly = sortByIndex(
    merged.filter((item) => !inPatch(item)),
    serverOrder,
    strategy,
  );
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (i >= serverOnly.length) result.push(patchItems[j++]);
    else if (j >= patchItems.length) result.push(serverOnly[i++]);
    else {
      const left = indexIn(serverOrder, serverOnly[i], strategy);
      const right = indexIn(serverOrder, patchItems[j], strategy);
      if (left >= 0 && right >= 0 && left < right) result.push(serverOnly[i++]);
      else result.push(patchItems[j++]);
    }
  }
  return result;
}

/** Stable sort by position in `order`; items missing from `order` go last, in their current order. */
function sortByIndex(items: unknown[], order: readonly unknown[], strategy: ListStrategy): unknown[] {
  const position = (item: unknown): number => {
    const index = indexIn(order, item, strategy);
    return index < 0 ? Number.POSITIVE_INFINITY : index;
  };
  return items
    .map((item, index) => ({ item, index, at: position(item) }))
    .sort((a, b) => (a.at === b.at ? a.index - b.index : a.at - b.at))
    .map(({ item }) => item);
}
