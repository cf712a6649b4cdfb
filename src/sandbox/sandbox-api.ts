import { randomUUID } from 'node:crypto';
import { ApiError, apiErrors } from './api-error.js';
import { admitCrd, admitCustomResource, type FieldValidation } from './admission/admit-objects.js';
import { admitBuiltinObject } from './admission/validate-workloads.js';
import { resourceTypesOfCrd } from './admission/crd-definition.js';
import { normaliseSecret, prepareBuiltinCreate } from './admission/prepare-create.js';
import { generateName, validateMetadata } from './admission/validate-metadata.js';
import { canonicalJson } from './canonical-json.js';
import { sameList, specChanged, stripServerFields, withoutVersion } from './object-changes.js';
import { listObjects, type ListOptions, type ListResult } from './list-objects.js';
import type { ObjectStore } from './object-store.js';
import { computePatch, type PatchType } from './patch-request.js';
import type { ResourceRegistry } from './registry.js';
import { groupVersion, withTypeMeta, type ResourceType } from './resource-type.js';
import type { KubeObject } from './types.js';

export type { ListOptions, ListResult } from './list-objects.js';
export type { FieldValidation } from './admission/admit-objects.js';
export { withTypeMeta } from './resource-type.js';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  fieldManager?: string;
  subresource?: 'status';
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface Clock {
  now(): Date;
}

/**
 * The API server's semantics without HTTP: create, read, list, update, patch and delete with the rules a
 * real server applies (names, namespaces, resourceVersion preconditions, status subresource, generation,
 * CRD schemas, finalizers). The HTTP layer and the in-process simulators both call this.
 */
export class SandboxApi {
  constructor(
    readonly store: ObjectStore,
    readonly registry: ResourceRegistry,
    private readonly clock: Clock = { now: () => new Date() },
    private readonly random: () => number = Math.random,
  ) {}

  private lastSecond = Number.NaN;
  private lastSecondText = '';

  /** Whole seconds, as kube-apiserver writes timestamps; the text is reused within one second. */
  now(): string {
    const second = Math.floor(this.clock.now().getTime() / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.lastSecondText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return this.lastSecondText;
  }

  resolve(group: string, version: string, plural: string): ResourceType {
    const type = this.registry.lookup(group, version, plural);
    if (type === undefined)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return type;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(type.storageKey, type.namespaced ? (namespace ?? '') : '', name);
    if (object === undefined) throw apiErrors.notFound(type.plural, type.group, name);
    return withTypeMeta(object, type);
  }

  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(type.storageKey, type.namespaced ? (namespace ?? '') : '', name);
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListResult {
    return listObjects(this.store, type, namespace, options);
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const input = this.checkBody(type, namespace, body);
    if ((input.metadata.name ?? '') === '' && (input.metadata.generateName ?? '') !== '') {
      // As kube-apiserver 1.32 does (RetryGenerateName, GA): a generated name that is taken is drawn again
      // (8 draws in all) before the create fails with AlreadyExists.
      const base = input.metadata.generateName ?? '';
      const storeNamespace = input.metadata.namespace ?? '';
      let generated = generateName(base, this.random);
      for (
        let draw = 1;
        draw < 8 && this.store.get(type.storageKey, storeNamespace, generated) !== undefined;
        draw += 1
      ) {
        generated = generateName(base, this.random);
      }
      input.metadata.name = generated;
    }
    const name = input.metadata.name ?? '';
    const causes = validateMetadata(input, type.kind === 'Namespace' ? 'label' : 'subdomain');
    if (causes.length > 0) throw apiErrors.invalid(type.kind, type.group, name, causes);
    if (type.namespaced) this.requireWritableNamespace(input.metadata.namespace ?? '');
    if (this.store.get(type.storageKey, input.metadata.namespace ?? '', name) !== undefined) {
      throw apiErrors.alreadyExists(type.plural, type.group, name);
    }
    let object: KubeObject = { ...input };
    if (type.statusSubresource && type.group !== '') delete object['status'];
    object = prepareBuiltinCreate(type.kind, type.group, object);
    object = admitCustomResource(type, object, options.fieldValidation ?? 'Strict');
    if (type.crdName === undefined)
      admitBuiltinObject(type.group, type.kind, object, options.fieldValidation ?? 'Strict');
    object.metadata = {
      ...stripServerFields(object.metadata),
      uid: randomUUID(),
      creationTimestamp: this.now(),
      generation: 1,
    };
    if (type.kind === 'CustomResourceDefinition' && type.group === 'apiextensions.k8s.io')
      object = admitCrd(this.registry, object, this.now());
    if (options.dryRun === true)
      return withTypeMeta(
        { ...object, metadata: { ...object.metadata, resourceVersion: String(this.store.resourceVersion) } },
        type,
      );
    const stored = this.store.insert(type.storageKey, object);
    if (type.kind === 'CustomResourceDefinition' && type.group === 'apiextensions.k8s.io')
      this.registerCrd(stored);
    return withTypeMeta(stored, type);
  }

  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const current = this.find(type, namespace, name);
    if (current === undefined) throw apiErrors.notFound(type.plural, type.group, name);
    const input = this.checkBody(type, namespace, body);
    if ((input.metadata.name ?? name) !== name) {
      throw apiErrors.badRequest(
        `the name of the object (${input.metadata.name ?? ''}) does not match the name on the URL (${name})`,
      );
    }
    const precondition = input.metadata.resourceVersion;
    if (
      precondition !== undefined &&
      precondition !== '' &&
      precondition !== current.metadata.resourceVersion
    ) {
      throw apiErrors.conflict(type.plural, type.group, name);
    }
    return this.commitUpdate(type, current, input, options);
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patchBody: unknown,
    options: WriteOptions & { force?: boolean } = {},
  ): { object: KubeObject; created: boolean } {
    const current = this.find(type, namespace, name);
    if (patchType === 'apply' && (options.fieldManager ?? '') === '') {
      throw new ApiError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    if (current === undefined) {
      if (patchType !== 'apply') throw apiErrors.notFound(type.plural, type.group, name);
      const body = patchBody as KubeObject;
      const created = this.create(
        type,
        namespace,
        { ...body, metadata: { ...(body.metadata ?? {}), name } },
        options,
      );
      return { object: created, created: true };
    }
    const patched = computePatch(type, withTypeMeta(current, type), patchType, patchBody);
    const precondition = (patchBody as { metadata?: { resourceVersion?: unknown } } | null)?.metadata
      ?.resourceVersion;
    if (typeof precondition === 'string' && precondition !== current.metadata.resourceVersion) {
      throw apiErrors.conflict(type.plural, type.group, name);
    }
    return {
      object: this.commitUpdate(type, current, this.checkBody(type, namespace, patched), options),
      created: false,
    };
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject {
    const current = this.find(type, namespace, name);
    if (current === undefined) throw apiErrors.notFound(type.plural, type.group, name);
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
      throw apiErrors.conflict(
        type.plural,
        type.group,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      );
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw apiErrors.conflict(
        type.plural,
        type.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
      );
    }
    if (options.dryRun === true) return withTypeMeta(current, type);
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const namespaceFinalizers =
      type.kind === 'Namespace' && type.group === ''
        ? ((current['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? [])
        : [];
    if (finalizers.length === 0 && namespaceFinalizers.length === 0) {
      return withTypeMeta(this.store.remove(type.storageKey, current), type);
    }
    if (
      current.metadata.deletionTimestamp !== undefined &&
      sameList(finalizers, current.metadata.finalizers)
    ) {
      return withTypeMeta(current, type);
    }
    const terminating: KubeObject = {
      ...current,
      metadata: {
        ...current.metadata,
        deletionTimestamp: current.metadata.deletionTimestamp ?? this.now(),
        deletionGracePeriodSeconds:
          options.gracePeriodSeconds ?? current.metadata.deletionGracePeriodSeconds ?? 0,
        finalizers,
      },
      ...(namespaceFinalizers.length > 0
        ? { status: { ...(current['status'] as object | undefined), phase: 'Terminating' } }
        : {}),
    };
    if (terminating.metadata.finalizers?.length === 0) delete terminating.metadata.finalizers;
    return withTypeMeta(this.store.replace(type.storageKey, terminating, current), type);
  }

  /** Remove an object for good (used by controllers once finalizers are done). */
  removeNow(type: ResourceType, object: KubeObject): void {
    if (
      this.store.get(type.storageKey, object.metadata.namespace ?? '', object.metadata.name ?? '') !==
      undefined
    ) {
      this.store.remove(type.storageKey, object);
    }
  }

  private commitUpdate(
    type: ResourceType,
    current: KubeObject,
    input: KubeObject,
    options: WriteOptions,
  ): KubeObject {
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...current, status: input['status'] };
      if (input['status'] === undefined) delete next['status'];
    } else {
      next = { ...input };
      if (type.statusSubresource) {
        if (current['status'] === undefined) delete next['status'];
        else next['status'] = current['status'];
      }
      if (type.kind === 'Secret' && type.group === '') next = normaliseSecret(next);
      next = admitCustomResource(type, next, options.fieldValidation ?? 'Strict');
      if (type.crdName === undefined)
        admitBuiltinObject(type.group, type.kind, next, options.fieldValidation ?? 'Strict', current);
      const metaCauses = validateMetadata(next, type.kind === 'Namespace' ? 'label' : 'subdomain');
      if (metaCauses.length > 0)
        throw apiErrors.invalid(type.kind, type.group, current.metadata.name ?? '', metaCauses);
    }
    const metadata = {
      ...(options.subresource === 'status' ? current.metadata : next.metadata),
      name: current.metadata.name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: current.metadata.generation ?? 1,
      ...(current.metadata.namespace === undefined ? {} : { namespace: current.metadata.namespace }),
      ...(current.metadata.deletionTimestamp === undefined
        ? {}
        : { deletionTimestamp: current.metadata.deletionTimestamp }),
    } as KubeObject['metadata'];
    delete metadata.resourceVersion;
    if (current.metadata.deletionTimestamp === undefined) delete metadata.deletionTimestamp;
    next = { ...next, metadata };
    if (specChanged(current, next)) metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (
      type.kind === 'CustomResourceDefinition' &&
      type.group === 'apiextensions.k8s.io' &&
      options.subresource !== 'status'
    )
      next = admitCrd(this.registry, next, this.now());
    const unchanged = canonicalJson(withoutVersion(next)) === canonicalJson(withoutVersion(current));
    if (unchanged || options.dryRun === true) return withTypeMeta(unchanged ? current : next, type);
    if (
      next.metadata.deletionTimestamp !== undefined &&
      (next.metadata.finalizers ?? []).length === 0 &&
      type.kind !== 'Namespace'
    ) {
      return withTypeMeta(this.store.remove(type.storageKey, next), type);
    }
    if (next.metadata.finalizers?.length === 0) delete next.metadata.finalizers;
    const stored = this.store.replace(type.storageKey, next, current);
    if (type.kind === 'CustomResourceDefinition' && type.group === 'apiextensions.k8s.io')
      this.registerCrd(stored);
    return withTypeMeta(stored, type);
  }

  private checkBody(type: ResourceType, namespace: string | undefined, body: unknown): KubeObject {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw apiErrors.badRequest(`the body of the request must be a ${type.kind} object`);
    }
    const object = structuredClone(body) as KubeObject;
    const expectedVersion = groupVersion(type);
    if (
      object.apiVersion !== undefined &&
      object.apiVersion !== expectedVersion &&
      !(type.group !== '' && object.apiVersion.startsWith(`${type.group}/`))
    ) {
      throw apiErrors.badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${expectedVersion})`,
      );
    }
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw apiErrors.badRequest(
        `the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    object.apiVersion = expectedVersion;
    object.kind = type.kind;
    const metadata = object.metadata ?? {};
    if (typeof metadata !== 'object' || Array.isArray(metadata))
      throw apiErrors.badRequest('metadata must be an object');
    object.metadata = metadata;
    if (type.namespaced) {
      const ns = namespace ?? '';
      if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== ns) {
        throw apiErrors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = ns;
    } else {
      delete metadata.namespace;
    }
    return object;
  }

  private requireWritableNamespace(namespace: string): void {
    const ns = this.store.get('/namespaces', '', namespace);
    if (ns === undefined) throw apiErrors.notFound('namespaces', '', namespace);
    if (ns.metadata.deletionTimestamp !== undefined) {
      throw new ApiError(
        403,
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: namespace,
          kind: 'namespaces',
        },
      );
    }
  }

  private registerCrd(crd: KubeObject): void {
    if (crd.metadata.deletionTimestamp !== undefined) return;
    this.registry.setCustomResource(crd.metadata.name ?? '', resourceTypesOfCrd(crd));
  }
}
