import { SortedKeys } from './sorted-keys.js';
import type { KubeObject } from './types.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeEvent {
  readonly resourceVersion: number;
  readonly type: ChangeType;
  readonly storageKey: string;
  readonly object: KubeObject;
  /** The object before a MODIFIED change, so selector watches can turn it into ADDED/DELETED. */
  readonly previous: KubeObject | undefined;
}

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * In-memory storage with one global resourceVersion, a bounded history for watches that resume from a
 * resourceVersion, and synchronous change listeners. Stored objects are never mutated: every write stores
 * a new object, so readers may hold on to what they got.
 */
export class ObjectStore {
  private revision = 1;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  /** Each bucket's keys in sorted order, kept up to date on insert and delete, so a list never sorts. */
  private readonly sortedKeys = new Map<string, SortedKeys>();
  /** Per bucket: `label key \0 value` → keys of the objects carrying that label (for `key=value` selectors). */
  private readonly labelIndex = new Map<string, Map<string, Set<string>>>();
  private readonly history: ChangeEvent[] = [];
  private historyStart = 0;
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  private readonly byUid = new Map<string, { storageKey: string; key: string }>();
  private readonly everyChange = new Set<ChangeListener>();

  constructor(private readonly historyLimit = 20_000) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumableVersion(): number {
    return this.history[this.historyStart]?.resourceVersion ?? this.revision;
  }

  get(storageKey: string, namespace: string, name: string): KubeObject | undefined {
    return this.buckets.get(storageKey)?.get(objectKey(namespace, name));
  }

  getByUid(uid: string): { storageKey: string; object: KubeObject } | undefined {
    const location = this.byUid.get(uid);
    if (location === undefined) return undefined;
    const object = this.buckets.get(location.storageKey)?.get(location.key);
    return object === undefined ? undefined : { storageKey: location.storageKey, object };
  }

  /** Objects of one resource, optionally in one namespace, ordered by namespace then name. */
  list(storageKey: string, namespace?: string): KubeObject[] {
    const bucket = this.buckets.get(storageKey);
    const keys = this.sortedKeys.get(storageKey);
    if (bucket === undefined || keys === undefined) return [];
    const out: KubeObject[] = [];
    const prefix = namespace === undefined ? undefined : `${namespace}/`;
    // The keys of one namespace are one run of the sorted keys, starting where the prefix would sort.
    for (const key of keys.from(prefix)) {
      if (prefix !== undefined && !key.startsWith(prefix)) break;
      const object = bucket.get(key);
      if (object !== undefined) out.push(object);
    }
    return out;
  }

  /**
   * Objects of one resource that carry the label `key=value`, optionally in one namespace, in `list`'s order:
   * what a list with that selector starts from, without looking at every object of the resource.
   */
  listWithLabel(storageKey: string, namespace: string | undefined, key: string, value: string): KubeObject[] {
    const bucket = this.buckets.get(storageKey);
    const holders = this.labelIndex.get(storageKey)?.get(labelIndexKey(key, value));
    if (bucket === undefined || holders === undefined) return [];
    const prefix = namespace === undefined ? undefined : `${namespace}/`;
    const keys = [...holders]
      .filter((objectKey) => prefix === undefined || objectKey.startsWith(prefix))
      .sort();
    const out: KubeObject[] = [];
    for (const objectKey of keys) {
      const object = bucket.get(objectKey);
      if (object !== undefined) out.push(object);
    }
    return out;
  }

  /** Every stored object, across resources (for garbage collection and namespace cleanup). */
  *entries(): Iterable<{ storageKey: string; object: KubeObject }> {
    for (const [storageKey, bucket] of this.buckets) {
      for (const object of bucket.values()) yield { storageKey, object };
    }
  }

  /** Stamp the next resourceVersion on `object` and store it as new. */
  insert(storageKey: string, object: KubeObject): KubeObject {
    return this.write(storageKey, object, 'ADDED', undefined);
  }

  replace(storageKey: string, object: KubeObject, previous: KubeObject): KubeObject {
    return this.write(storageKey, object, 'MODIFIED', previous);
  }

  remove(storageKey: string, object: KubeObject): KubeObject {
    const key = objectKey(object.metadata.namespace ?? '', object.metadata.name ?? '');
    const stored = this.buckets.get(storageKey)?.get(key);
    if (stored !== undefined) this.unindexLabels(storageKey, key, stored);
    if (this.buckets.get(storageKey)?.delete(key) === true) this.sortedKeys.get(storageKey)?.delete(key);
    if (object.metadata.uid !== undefined) this.byUid.delete(object.metadata.uid);
    this.revision += 1;
    const removed = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } };
    this.record({
      resourceVersion: this.revision,
      type: 'DELETED',
      storageKey,
      object: removed,
      previous: object,
    });
    return removed;
  }

  /** Drop a whole resource (its CRD went away) without events per object. */
  dropBucket(storageKey: string): void {
    const bucket = this.buckets.get(storageKey);
    if (bucket === undefined) return;
    for (const object of bucket.values())
      if (object.metadata.uid !== undefined) this.byUid.delete(object.metadata.uid);
    this.buckets.delete(storageKey);
    this.sortedKeys.delete(storageKey);
    this.labelIndex.delete(storageKey);
  }

  /** Listen to every change of every resource (controllers such as the garbage collector). */
  subscribeAll(listener: ChangeListener): () => void {
    this.everyChange.add(listener);
    return () => this.everyChange.delete(listener);
  }

  subscribe(storageKey: string, listener: ChangeListener): () => void {
    const set = this.listeners.get(storageKey) ?? new Set<ChangeListener>();
    set.add(listener);
    this.listeners.set(storageKey, set);
    return () => set.delete(listener);
  }

  /** Changes of one resource after `resourceVersion`, or `undefined` when history no longer reaches back. */
  changesSince(storageKey: string, resourceVersion: number): ChangeEvent[] | undefined {
    if (resourceVersion >= this.revision) return [];
    if (resourceVersion < this.oldestResumableVersion - 1) return undefined;
    const out: ChangeEvent[] = [];
    for (let i = this.historyStart; i < this.history.length; i += 1) {
      const event = this.history[i];
      if (event !== undefined && event.resourceVersion > resourceVersion && event.storageKey === storageKey)
        out.push(event);
    }
    return out;
  }

  private indexLabels(storageKey: string, key: string, object: KubeObject): void {
    const labels = object.metadata.labels;
    if (labels === undefined) return;
    let index = this.labelIndex.get(storageKey);
    if (index === undefined) {
      index = new Map();
      this.labelIndex.set(storageKey, index);
    }
    for (const [label, value] of Object.entries(labels)) {
      const entry = labelIndexKey(label, value);
      const holders = index.get(entry);
      if (holders === undefined) index.set(entry, new Set([key]));
      else holders.add(key);
    }
  }

  private unindexLabels(storageKey: string, key: string, object: KubeObject): void {
    const labels = object.metadata.labels;
    const index = this.labelIndex.get(storageKey);
    if (labels === undefined || index === undefined) return;
    for (const [label, value] of Object.entries(labels)) {
      const entry = labelIndexKey(label, value);
      const holders = index.get(entry);
      holders?.delete(key);
      if (holders?.size === 0) index.delete(entry);
    }
  }

  private write(
    storageKey: string,
    object: KubeObject,
    type: ChangeType,
    previous: KubeObject | undefined,
  ): KubeObject {
    this.revision += 1;
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } };
    let bucket = this.buckets.get(storageKey);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(storageKey, bucket);
    }
    const key = objectKey(stored.metadata.namespace ?? '', stored.metadata.name ?? '');
    const before = bucket.get(key);
    if (before !== undefined) this.unindexLabels(storageKey, key, before);
    this.indexLabels(storageKey, key, stored);
    if (before === undefined) {
      let keys = this.sortedKeys.get(storageKey);
      if (keys === undefined) {
        keys = new SortedKeys();
        this.sortedKeys.set(storageKey, keys);
      }
      keys.add(key);
    }
    bucket.set(key, stored);
    if (stored.metadata.uid !== undefined) this.byUid.set(stored.metadata.uid, { storageKey, key });
    this.record({ resourceVersion: this.revision, type, storageKey, object: stored, previous });
    return stored;
  }

  private record(event: ChangeEvent): void {
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.historyStart += 1;
      if (this.historyStart > this.historyLimit) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    const set = this.listeners.get(event.storageKey);
    if (set !== undefined) for (const listener of [...set]) listener(event);
    for (const listener of [...this.everyChange]) listener(event);
  }
}

export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function labelIndexKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}
