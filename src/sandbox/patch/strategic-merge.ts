import { cloneJson, getOwn, isPlainObject, setOwn, type JsonObject } from './json-value.js';
import { PatchError } from './patch-error.js';
import { deleteFromList, mergeList, orderItems, type MergeElement } from './strategic-list.js';
import { childPath, elementPath, listStrategyFor } from './strategic-schema.js';

const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';

/**
 * Kubernetes strategic merge patch for built-in kinds. Maps merge recursively and `null` deletes a key;
 * lists merge when `kind` declares a strategy for their path (see strategic-schema.ts) and are replaced
 * otherwise. Directives: `$patch` (replace, delete, merge), `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>` and `$retainKeys`. Neither input is changed.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown, kind: string): unknown {
  if (!isPlainObject(patch)) throw new PatchError(400, 'strategic merge patch must be a JSON object');
  const original = isPlainObject(target) ? (cloneJson(target) as JsonObject) : {};
  return new StrategicMerger(kind).mergeMap(original, patch, '') ?? {};
}

function where(path: string): string {
  return path === '' ? 'patch root' : path;
}

class StrategicMerger {
  private readonly mergeElement: MergeElement = (original, patch, path) => this.mergeMap(original, patch, path);

  constructor(private readonly kind: string) {}

  /** Merge `patch` into `original`, which this merger owns and changes in place. Undefined: delete the map. */
  mergeMap(original: JsonObject, patch: JsonObject, path: string): JsonObject | undefined {
    const directive = getOwn(patch, '$patch');
    if (directive === 'delete') return undefined;
    if (directive === 'replace') {
      const { $patch: _directive, ...rest } = patch;
      return this.mergeMap({}, rest, path);
    }
    if (directive !== undefined && directive !== 'merge') {
      throw new PatchError(400, `${where(path)}: unknown $patch directive ${JSON.stringify(directive)}`);
    }
    applyRetainKeys(original, patch, path);
    const handled = new Set(['$patch', '$retainKeys']);
    for (const key of Object.keys(patch)) {
      if (key.startsWith(setElementOrderPrefix)) this.applySetElementOrder(original, patch, key, path, handled);
    }
    for (const [key, value] of Object.entries(patch)) {
      if (handled.has(key) || key.startsWith(deleteFromPrimitiveListPrefix)) continue;
      const merged = value === null ? undefined : this.mergeValue(getOwn(original, key), value, childPath(path, key));
      if (merged === undefined) delete original[key];
      else setOwn(original, key, merged);
    }
    for (const [key, value] of Object.entries(patch)) {
      if (!key.startsWith(deleteFromPrimitiveListPrefix)) continue;
      const listKey = directiveTarget(key, deleteFromPrimitiveListPrefix, path);
      if (!Array.isArray(value)) throw new PatchError(400, `${where(path)}: ${key} must be a list`);
      const current = getOwn(original, listKey);
      if (Array.isArray(current)) setOwn(original, listKey, deleteFromList(current, value));
    }
    return original;
  }

  private mergeValue(current: unknown, value: unknown, path: string): unknown {
    if (isPlainObject(value)) return this.mergeMap(isPlainObject(current) ? current : {}, value, path);
    if (Array.isArray(value)) return this.mergeListValue(Array.isArray(current) ? current : [], value, path);
    return value;
  }

  private mergeListValue(current: readonly unknown[], value: readonly unknown[], path: string): unknown[] {
    const strategy = listStrategyFor(this.kind, path);
    if (strategy !== undefined) return mergeList(current, value, path, strategy, this.mergeElement);
    // Replaced list: take the patch's elements, dropping nulls inside maps and directive-only elements.
    return value.flatMap((item) => {
      if (Array.isArray(item)) return [cloneJson(item)];
      if (!isPlainObject(item)) return [item];
      const merged = this.mergeMap({}, item, elementPath(path));
      if (merged === undefined || (Object.hasOwn(item, '$patch') && Object.keys(merged).length === 0)) return [];
      return [merged];
    });
  }

  /** `$setElementOrder/<list>`: merge the list (if the patch has it), then put it in the given order. */
  private applySetElementOrder(original: JsonObject, patch: JsonObject, key: string, path: string, handled: Set<string>): void {
    const listKey = directiveTarget(key, setElementOrderPrefix, path);
    const order = patch[key];
    if (!Array.isArray(order)) throw new PatchError(400, `${where(path)}: ${key} must be a list`);
    handled.add(key);
    const listPath = childPath(path, listKey);
    const current = getOwn(original, listKey);
    const currentList = Array.isArray(current) ? current : undefined;
    let merged = currentList;
    if (Object.hasOwn(patch, listKey)) {
      const value = patch[listKey];
      if (!Array.isArray(value)) return; // null or a non-list: the ordinary key handling applies
      handled.add(listKey);
      merged = this.mergeListValue(currentList ?? [], value, listPath);
    }
    if (merged === undefined) return;
    const strategy = listStrategyFor(this.kind, listPath);
    setOwn(original, listKey, strategy === undefined ? merged : orderItems(merged, order, currentList ?? [], strategy));
  }
}

function directiveTarget(key: string, prefix: string, path: string): string {
  const target = key.slice(prefix.length);
  if (target === '') throw new PatchError(400, `${where(path)}: ${key} does not name a list`);
  return target;
}

/** `$retainKeys`: drop every original key not listed; the patch itself may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject, path: string): void {
  if (!Object.hasOwn(patch, '$retainKeys')) return;
  const retain = patch['$retainKeys'];
  if (!Array.isArray(retain) || !retain.every((item) => typeof item === 'string')) {
    throw new PatchError(400, `${where(path)}: $retainKeys must be a list of strings`);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith('$') || retain.includes(key)) continue;
    throw new PatchError(422, `${where(path)}: the patch sets "${key}", which is not listed in $retainKeys`);
  }
  for (const key of Object.keys(original)) if (!retain.includes(key)) delete original[key];
}
