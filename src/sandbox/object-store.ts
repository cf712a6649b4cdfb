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
    if (bucket === undefined) return [];
    const keys = [...bucket.keys()].sort();
    const out: KubeObject[] = [];
    const prefix = namespace === undefined ? undefined : `${namespace}/`;
    for (const key of keys) {
      if (prefix !== undefined && !key.startsWith(prefix)) continue;
      const object = bucket.get(key);
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
    this.buckets.get(storageKey)?.delete(key);
    if (object.metadata.uid !== undefined) this.byUid.delete(object.metadata.uid);
    this.revision += 1;
    const removed = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } };
    this.record({ resourceVersion: this.revision, type: 'DELETED', storageKey, object: removed, previous: object });
    return removed;
  }

  /** Drop a whole resource (its CRD went away) without events per object. */
  dropBucket(storageKey: string): void {
    const bucket = this.buckets.get(storageKey);
    if (bucket === undefined) return;
    for (const object of bucket.values()) if (object.metadata.uid !== undefined) this.byUid.delete(object.metadata.uid);
    this.buckets.delete(storageKey);
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
      if (event !== undefined && event.resourceVersion > resourceVersion && event.storageKey === storageKey) out.push(event);
    }
    return out;
  }

  private write(storageKey: string, object: KubeObject, type: ChangeType, previous: KubeObject | undefined): KubeObject {
    this.revision += 1;
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } };
    let bucket = this.buckets.get(storageKey);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(storageKey, bucket);
    }
    const key = objectKey(stored.metadata.namespace ?? '', stored.metadata.name ?? '');
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
