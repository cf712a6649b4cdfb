import { ApiError } from '../api-error.js';
import type { ChangeEvent } from '../object-store.js';
import type { ResourceType } from '../resource-type.js';
import type { SandboxApi } from '../sandbox-api.js';
import type { KubeObject } from '../types.js';

/**
 * The controllers a real cluster runs for object lifecycles: the garbage collector (ownerReferences with
 * Background, Foreground and Orphan propagation), the namespace controller (a deleted namespace empties
 * itself, then goes) and CRD cleanup (deleting a CRD deletes its objects and stops serving it).
 * Work runs after the write that caused it, as in a real cluster.
 */
export class LifecycleController {
  private readonly dependents = new Map<string, Set<string>>();
  private readonly pending: (() => void)[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly api: SandboxApi) {
    this.unsubscribe = api.store.subscribeAll((event) => this.observe(event));
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
  }

  private observe(event: ChangeEvent): void {
    const { object, previous } = event;
    const uid = object.metadata.uid ?? '';
    for (const ref of previous?.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(uid);
    if (event.type !== 'DELETED') {
      for (const ref of object.metadata.ownerReferences ?? []) {
        const set = this.dependents.get(ref.uid) ?? new Set<string>();
        set.add(uid);
        this.dependents.set(ref.uid, set);
      }
    }
    const type = this.typeOf(event.storageKey);
    if (type === undefined) return;
    if (event.type === 'DELETED') {
      this.later(() => this.collectDependentsOf(uid));
      if (isCrd(type)) this.later(() => this.cleanUpCrd(object));
      const namespace = object.metadata.namespace;
      if (namespace !== undefined && namespace !== '') this.later(() => this.finishNamespaceIfEmpty(namespace));
      return;
    }
    if (object.metadata.deletionTimestamp !== undefined) {
      const finalizers = object.metadata.finalizers ?? [];
      if (finalizers.includes('orphan')) this.later(() => this.orphanDependents(type, object));
      if (finalizers.includes('foregroundDeletion')) this.later(() => this.deleteForeground(type, object));
      if (type.group === '' && type.kind === 'Namespace') this.later(() => this.emptyNamespace(object));
    }
  }

  private later(task: () => void): void {
    this.pending.push(task);
    this.scheduled ??= setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = undefined;
    const tasks = this.pending.splice(0);
    for (const task of tasks) {
      if (this.stopped) return;
      try {
        task();
      } catch (error) {
        if (!(error instanceof ApiError) || (error.code !== 404 && error.code !== 409)) throw error;
      }
    }
  }

  private typeOf(storageKey: string): ResourceType | undefined {
    return this.api.registry.byStorageKey(storageKey)[0];
  }

  private live(uid: string): { type: ResourceType; object: KubeObject } | undefined {
    const found = this.api.store.getByUid(uid);
    if (found === undefined) return undefined;
    const type = this.typeOf(found.storageKey);
    return type === undefined ? undefined : { type, object: found.object };
  }

  /** Background propagation: a dependent whose owners are all gone is deleted. */
  private collectDependentsOf(ownerUid: string): void {
    for (const dependentUid of [...(this.dependents.get(ownerUid) ?? [])]) {
      const dependent = this.live(dependentUid);
      if (dependent === undefined) continue;
      const owners = dependent.object.metadata.ownerReferences ?? [];
      if (owners.some((ref) => this.api.store.getByUid(ref.uid) !== undefined)) continue;
      const { metadata } = dependent.object;
      this.api.delete(dependent.type, metadata.namespace, metadata.name ?? '', { propagationPolicy: 'Background' });
    }
    if ((this.dependents.get(ownerUid)?.size ?? 0) === 0) this.dependents.delete(ownerUid);
  }

  private orphanDependents(type: ResourceType, owner: KubeObject): void {
    const ownerUid = owner.metadata.uid ?? '';
    for (const dependentUid of [...(this.dependents.get(ownerUid) ?? [])]) {
      const dependent = this.live(dependentUid);
      if (dependent === undefined) continue;
      const refs = (dependent.object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== ownerUid);
      const metadata = { ...dependent.object.metadata, ownerReferences: refs };
      if (refs.length === 0) delete (metadata as { ownerReferences?: unknown }).ownerReferences;
      this.api.update(dependent.type, metadata.namespace, metadata.name ?? '', { ...dependent.object, metadata });
    }
    this.removeFinalizer(type, owner, 'orphan');
  }

  /** Foreground propagation: dependents go first, then the owner loses its finalizer and goes too. */
  private deleteForeground(type: ResourceType, owner: KubeObject): void {
    const ownerUid = owner.metadata.uid ?? '';
    const remaining = [...(this.dependents.get(ownerUid) ?? [])].map((uid) => this.live(uid)).filter((d) => d !== undefined);
    for (const dependent of remaining) {
      if (dependent.object.metadata.deletionTimestamp !== undefined) continue;
      const { metadata } = dependent.object;
      this.api.delete(dependent.type, metadata.namespace, metadata.name ?? '', { propagationPolicy: 'Foreground' });
    }
    const blocking = remaining.filter((d) =>
      this.api.store.getByUid(d.object.metadata.uid ?? '') !== undefined &&
      (d.object.metadata.ownerReferences ?? []).some((ref) => ref.uid === ownerUid && ref.blockOwnerDeletion === true),
    );
    if (blocking.length === 0) this.removeFinalizer(type, owner, 'foregroundDeletion');
  }

  private removeFinalizer(type: ResourceType, object: KubeObject, finalizer: string): void {
    const current = this.api.find(type, object.metadata.namespace, object.metadata.name ?? '');
    if (current === undefined || current.metadata.uid !== object.metadata.uid) return;
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.api.update(type, current.metadata.namespace, current.metadata.name ?? '', { ...current, metadata: { ...current.metadata, finalizers } });
  }

  private emptyNamespace(namespace: KubeObject): void {
    const name = namespace.metadata.name ?? '';
    for (const type of this.namespacedStorage()) {
      for (const object of this.api.store.list(type.storageKey, name)) {
        if (object.metadata.deletionTimestamp === undefined) this.api.delete(type, name, object.metadata.name ?? '', {});
      }
    }
    this.finishNamespaceIfEmpty(name);
  }

  private finishNamespaceIfEmpty(name: string): void {
    const namespace = this.api.store.get('/namespaces', '', name);
    if (namespace?.metadata.deletionTimestamp === undefined) return;
    if (this.namespacedStorage().some((type) => this.api.store.list(type.storageKey, name).length > 0)) return;
    if ((namespace.metadata.finalizers ?? []).length > 0) return;
    const nsType = this.api.resolve('', 'v1', 'namespaces');
    this.api.removeNow(nsType, namespace);
  }

  private namespacedStorage(): ResourceType[] {
    const seen = new Map<string, ResourceType>();
    for (const type of this.api.registry.all()) if (type.namespaced && !seen.has(type.storageKey)) seen.set(type.storageKey, type);
    return [...seen.values()];
  }

  private cleanUpCrd(crd: KubeObject): void {
    const spec = (crd['spec'] ?? {}) as { group?: string; names?: { plural?: string } };
    const storageKey = `${spec.group ?? ''}/${spec.names?.plural ?? ''}`;
    for (const object of this.api.store.list(storageKey)) this.api.store.remove(storageKey, object);
    this.api.store.dropBucket(storageKey);
    this.api.registry.removeCustomResource(crd.metadata.name ?? '');
  }
}

function isCrd(type: ResourceType): boolean {
  return type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition';
}
