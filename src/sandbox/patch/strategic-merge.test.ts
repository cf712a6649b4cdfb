import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import { PatchError, applyStrategicMergePatch } from './index.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Apply to frozen inputs, so any mutation of either throws. */
function smp(target: unknown, patch: unknown, kind = 'Pod'): KubeObject {
  return applyStrategicMergePatch(deepFreeze(target), deepFreeze(patch), kind) as KubeObject;
}

function patchErrorOf(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PatchError);
    return error as PatchError;
  }
  throw new Error('expected a PatchError');
}

const names = (list: unknown): unknown[] => (list as { name?: unknown }[]).map((item) => item.name);

function pod(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default' }, spec, ...extra };
}

describe('applyStrategicMergePatch: kubectl bodies', () => {
  it('applies the client-side apply patch of kube-api-surface §5.4', () => {
    const lastApplied = '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"web-1"},"spec":{}}\n';
    const live = pod(
      {
        containers: [
          { name: 'main', image: 'nginx', ports: [{ containerPort: 80 }] },
          { name: 'side', image: 'busybox', command: ['sleep', '3600'] },
        ],
        nodeName: 'node-1',
      },
      { metadata: { name: 'web-1', namespace: 'default', annotations: { other: 'kept' } } },
    );
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
      spec: {
        '$setElementOrder/containers': [{ name: 'main' }, { name: 'side2' }],
        containers: [{ image: 'busybox', name: 'side2' }, { $patch: 'delete', name: 'side' }],
      },
    };
    const result = smp(live, patch);
    expect(result.spec).toStrictEqual({
      containers: [
        { name: 'main', image: 'nginx', ports: [{ containerPort: 80 }] },
        { image: 'busybox', name: 'side2' },
      ],
      nodeName: 'node-1',
    });
    expect(result.metadata.annotations).toStrictEqual({ other: 'kept', 'kubectl.kubernetes.io/last-applied-configuration': lastApplied });
  });

  it('cordons and uncordons a node (null deletes the key)', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDR: '10.0.0.0/24' } };
    const cordoned = smp(node, { spec: { unschedulable: true } }, 'Node');
    expect(cordoned.spec).toStrictEqual({ podCIDR: '10.0.0.0/24', unschedulable: true });
    const uncordoned = smp(cordoned, { spec: { unschedulable: null } }, 'Node');
    expect(uncordoned.spec).toStrictEqual({ podCIDR: '10.0.0.0/24' });
    expect(Object.hasOwn(uncordoned.spec as object, 'unschedulable')).toBe(false);
  });

  it('replaces node taints, so `kubectl taint … key-` (which sends the remaining list) removes one', () => {
    const node = { metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }] } };
    expect(smp(node, { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } }, 'Node').spec).toStrictEqual({
      taints: [{ key: 'b', effect: 'NoExecute' }],
    });
    expect(smp(node, { spec: { taints: null } }, 'Node').spec).toStrictEqual({});
  });

  it('labels and annotates like kubectl label/annotate', () => {
    const live = pod({}, { metadata: { name: 'web-1', labels: { app: 'web', tier: 'x' } } });
    expect(smp(live, { metadata: { labels: { team: 'ml', tier: null } } }).metadata.labels).toStrictEqual({ app: 'web', team: 'ml' });
  });
});

describe('applyStrategicMergePatch: list merging', () => {
  const live = pod({
    containers: [
      { name: 'main', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { name: 'side', image: 'busybox' },
    ],
  });

  it('merges containers by name and keeps the others', () => {
    const result = smp(live, { spec: { containers: [{ name: 'side', image: 'alpine' }] } });
    expect(result.spec).toStrictEqual({
      containers: [
        { name: 'main', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
        { name: 'side', image: 'alpine' },
      ],
    });
  });

  it('puts a new patch item before server-only items when there is no $setElementOrder, as the API server does', () => {
    const result = smp(live, { spec: { containers: [{ name: 'new', image: 'redis' }] } });
    expect(names((result.spec as { containers: unknown }).containers)).toStrictEqual(['new', 'main', 'side']);
  });

  it('appends a new item listed last in $setElementOrder', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'main' }, { name: 'side' }, { name: 'new' }], containers: [{ name: 'new', image: 'redis' }] } };
    expect(names((smp(live, patch).spec as { containers: unknown }).containers)).toStrictEqual(['main', 'side', 'new']);
  });

  it('keeps a server-only item in place between patch items', () => {
    const injected = pod({ containers: [{ name: 'main' }, { name: 'proxy' }, { name: 'side' }] });
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'main' }, { name: 'side' }], containers: [{ name: 'main', image: 'x' }] } };
    expect((smp(injected, patch).spec as { containers: unknown }).containers).toStrictEqual([{ name: 'main', image: 'x' }, { name: 'proxy' }, { name: 'side' }]);
  });

  it('reorders a list with $setElementOrder alone', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'main' }] } };
    expect(names((smp(live, patch).spec as { containers: unknown }).containers)).toStrictEqual(['side', 'main']);
  });

  it('merges env by name inside a container, with delete and null', () => {
    const patch = { spec: { containers: [{ name: 'main', env: [{ name: 'B', value: null, valueFrom: { fieldRef: { fieldPath: 'x' } } }, { name: 'A', $patch: 'delete' }, { name: 'C', value: '3' }] }] } };
    const main = (smp(live, patch).spec as { containers: { env: unknown }[] }).containers[0]!;
    expect(main.env).toStrictEqual([{ name: 'B', valueFrom: { fieldRef: { fieldPath: 'x' } } }, { name: 'C', value: '3' }]);
  });

  it('merges ports by containerPort and volumeMounts by mountPath', () => {
    const target = pod({ containers: [{ name: 'main', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81 }], volumeMounts: [{ name: 'a', mountPath: '/a' }] }] });
    const patch = { spec: { containers: [{ name: 'main', ports: [{ containerPort: 80, protocol: 'TCP' }], volumeMounts: [{ mountPath: '/a', readOnly: true }] }] } };
    expect((smp(target, patch).spec as { containers: unknown[] }).containers[0]).toStrictEqual({
      name: 'main',
      ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 81 }],
      volumeMounts: [{ name: 'a', mountPath: '/a', readOnly: true }],
    });
  });

  it('merges init and ephemeral containers and volumes by name', () => {
    const target = pod({ initContainers: [{ name: 'i1' }], ephemeralContainers: [{ name: 'e1' }], volumes: [{ name: 'v1', emptyDir: {} }] });
    const result = smp(target, { spec: { initContainers: [{ name: 'i1', image: 'x' }], ephemeralContainers: [{ name: 'e2' }], volumes: [{ name: 'v2', emptyDir: {} }] } });
    expect(result.spec).toStrictEqual({
      initContainers: [{ name: 'i1', image: 'x' }],
      ephemeralContainers: [{ name: 'e2' }, { name: 'e1' }],
      volumes: [{ name: 'v2', emptyDir: {} }, { name: 'v1', emptyDir: {} }],
    });
  });

  it('replaces tolerations, command and other lists without a merge key', () => {
    const target = pod({ tolerations: [{ key: 'a', operator: 'Exists' }], containers: [{ name: 'main', command: ['a', 'b'] }] });
    const result = smp(target, { spec: { tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'main', command: ['c'] }] } });
    expect(result.spec).toStrictEqual({ tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'main', command: ['c'] }] });
  });

  it('merges pod and node status conditions by type and node addresses by type', () => {
    const podStatus = pod({}, { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } });
    expect(smp(podStatus, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }).status).toStrictEqual({
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }],
    });
    const node = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n' }] } };
    const patch = { status: { conditions: [{ type: 'MemoryPressure', status: 'False' }], addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } };
    expect(smp(node, patch, 'Node').status).toStrictEqual({
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n' }],
    });
  });

  it('merges ownerReferences by uid and finalizers as a set of primitives, for any kind', () => {
    const target = { metadata: { name: 'c', finalizers: ['a', 'b'], ownerReferences: [{ uid: 'u1', kind: 'X', name: 'x' }] } };
    const patch = { metadata: { finalizers: ['b', 'c'], ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', kind: 'Y', name: 'y' }] } };
    const result = smp(target, patch, 'ConfigMap');
    expect(result.metadata.finalizers).toStrictEqual(['a', 'b', 'c']);
    expect(result.metadata.ownerReferences).toStrictEqual([{ uid: 'u1', kind: 'X', name: 'x', controller: true }, { uid: 'u2', kind: 'Y', name: 'y' }]);
  });

  it('removes finalizers with $deleteFromPrimitiveList', () => {
    const target = { metadata: { name: 'c', finalizers: ['a', 'b', 'c'] } };
    expect(smp(target, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zzz'] } }, 'ConfigMap').metadata.finalizers).toStrictEqual(['a', 'c']);
  });

  it('merges the pod template of workloads and replaces lists of kinds it does not know', () => {
    const deployment = { metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } } };
    const patched = smp(deployment, { spec: { template: { spec: { containers: [{ name: 'b', image: 'x' }] } } } }, 'Deployment');
    expect(patched.spec).toStrictEqual({ template: { spec: { containers: [{ name: 'a' }, { name: 'b', image: 'x' }] } } });
    const custom = { metadata: { name: 'w' }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    expect(smp(custom, { spec: { containers: [{ name: 'b', image: 'x' }] } }, 'Widget').spec).toStrictEqual({ containers: [{ name: 'b', image: 'x' }] });
  });
});

describe('applyStrategicMergePatch: directives', () => {
  it('$patch: replace on a map replaces it', () => {
    const target = pod({}, { metadata: { name: 'p', labels: { a: '1', b: '2' } } });
    expect(smp(target, { metadata: { labels: { $patch: 'replace', c: '3', d: null } } }).metadata).toStrictEqual({ name: 'p', labels: { c: '3' } });
  });

  it('$patch: delete on a map removes it', () => {
    const target = pod({ securityContext: { runAsUser: 1 }, nodeName: 'n' });
    expect(smp(target, { spec: { securityContext: { $patch: 'delete' } } }).spec).toStrictEqual({ nodeName: 'n' });
  });

  it('$patch: merge on a map merges as usual', () => {
    const target = pod({}, { metadata: { name: 'p', labels: { a: '1' } } });
    expect(smp(target, { metadata: { labels: { $patch: 'merge', b: '2' } } }).metadata.labels).toStrictEqual({ a: '1', b: '2' });
  });

  it('$patch: replace inside a merged list replaces the whole list', () => {
    const target = pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b' }] });
    const result = smp(target, { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: 'y', args: null }] } });
    expect(result.spec).toStrictEqual({ containers: [{ name: 'c', image: 'y' }] });
  });

  it('$patch: merge on a list element is a plain element', () => {
    const target = pod({ containers: [{ name: 'a', image: 'x' }] });
    expect(smp(target, { spec: { containers: [{ $patch: 'merge', name: 'a', tty: true }] } }).spec).toStrictEqual({ containers: [{ name: 'a', image: 'x', tty: true }] });
  });

  it('$retainKeys drops unlisted keys before merging', () => {
    const target = pod({ volumes: [{ name: 'v', emptyDir: {} }] });
    const patch = { spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }] } };
    expect(smp(target, patch).spec).toStrictEqual({ volumes: [{ name: 'v', configMap: { name: 'cm' } }] });
  });

  it('drops nulls and directives from values that are new to the object', () => {
    const result = smp(pod({}), { spec: { containers: [{ name: 'a', env: [{ name: 'X', $patch: 'delete' }, { name: 'Y', value: null }] }], nested: { a: { b: null } } } });
    expect(result.spec).toStrictEqual({ containers: [{ name: 'a', env: [{ name: 'Y' }] }], nested: { a: {} } });
  });

  it('keeps "__proto__" an ordinary key', () => {
    const result = smp({ metadata: {} }, JSON.parse('{"metadata":{"labels":{"__proto__":"x"}}}'));
    expect(Object.getPrototypeOf(result.metadata.labels)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"metadata":{"labels":{"__proto__":"x"}}}');
  });
});

describe('applyStrategicMergePatch: errors', () => {
  const malformed: [string, unknown, number, RegExp][] = [
    ['a non-object body', [{ op: 'add' }], 400, /must be a JSON object/],
    ['a null body', null, 400, /must be a JSON object/],
    ['an unknown $patch on a map', { spec: { $patch: 'explode' } }, 400, /spec: unknown \$patch directive "explode"/],
    ['an unknown $patch in a list', { spec: { containers: [{ name: 'a', $patch: 'explode' }] } }, 400, /spec.containers: unknown \$patch/],
    ['a list element without its merge key', { spec: { containers: [{ image: 'x' }] } }, 400, /merge key "name"/],
    ['a delete without its merge key', { spec: { containers: [{ $patch: 'delete' }] } }, 400, /merge key "name"/],
    ['a primitive in a keyed list', { spec: { containers: ['main'] } }, 400, /must be objects/],
    ['an object in a primitive set', { metadata: { finalizers: [{ a: 1 }] } }, 400, /primitive/],
    ['a non-list $setElementOrder', { spec: { '$setElementOrder/containers': { name: 'a' } } }, 400, /must be a list/],
    ['a non-list $deleteFromPrimitiveList', { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, 400, /must be a list/],
    ['a malformed $retainKeys', { spec: { $retainKeys: 'a' } }, 400, /\$retainKeys must be a list of strings/],
    ['a patch key missing from $retainKeys', { spec: { $retainKeys: ['a'], b: 1 } }, 422, /"b", which is not listed in \$retainKeys/],
  ];
  it.each(malformed)('rejects %s', (_name, patch, status, message) => {
    const error = patchErrorOf(() => applyStrategicMergePatch(pod({ containers: [{ name: 'a' }] }), patch, 'Pod'));
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
  });
});
