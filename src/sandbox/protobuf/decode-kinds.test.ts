import { describe, expect, it } from 'vitest';
import { encodeMeta, entries, envelope, fixed32, fixed64, type Fields } from './encode-for-tests.js';
import { decodeKubernetesProtobuf } from './index.js';

const decode = (apiVersion: string, kind: string, raw: Fields) =>
  decodeKubernetesProtobuf(envelope(apiVersion, kind, raw)).object;

describe('kind decoders', () => {
  it('decodes a full ObjectMeta', () => {
    const owner = { 1: 'ReplicaSet', 3: 'web-rs', 4: 'rs-uid', 5: 'apps/v1', 6: true, 7: false };
    const metadata: Fields = {
      1: 'web',
      2: 'web-',
      3: 'default',
      5: 'uid-1',
      6: '42',
      7: 3,
      9: { 1: 1700000000 },
      11: entries({ app: 'web', empty: '' }),
      12: entries({ note: 'a=b' }),
      13: owner,
      14: ['a/one', 'b/two'],
      17: { 1: 'kubectl' },
    };
    expect(decode('v1', 'ConfigMap', { 1: metadata })).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'web',
        generateName: 'web-',
        namespace: 'default',
        uid: 'uid-1',
        resourceVersion: '42',
        generation: 3,
        labels: { app: 'web', empty: '' },
        annotations: { note: 'a=b' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'web-rs',
            uid: 'rs-uid',
            controller: true,
            blockOwnerDeletion: false,
          },
        ],
        finalizers: ['a/one', 'b/two'],
      },
    });
  });

  it('decodes kubectl create configmap', () => {
    const raw: Fields = {
      1: encodeMeta({ name: 'cfg' }),
      2: entries({ 'a.txt': 'hello', b: '' }),
      3: entries({ bin: Uint8Array.from([0, 255, 1]) }),
      4: true,
    };
    expect(decode('v1', 'ConfigMap', raw)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg' },
      data: { 'a.txt': 'hello', b: '' },
      binaryData: { bin: 'AP8B' },
      immutable: true,
    });
  });

  it('decodes kubectl create secret', () => {
    const raw: Fields = {
      1: encodeMeta({ name: 's' }),
      2: entries({ password: 'hunter2' }),
      3: 'Opaque',
      4: entries({ plain: 'x' }),
      5: false,
    };
    expect(decode('v1', 'Secret', raw)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: Buffer.from('hunter2').toString('base64') },
      type: 'Opaque',
      stringData: { plain: 'x' },
      immutable: false,
    });
    const untyped = decode('v1', 'Secret', { 1: encodeMeta({ name: 't' }), 3: '' });
    expect(untyped).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 't' } });
  });

  it('decodes a namespace with finalizers and phase', () => {
    const raw: Fields = {
      1: encodeMeta({ name: 'ns', labels: { team: 'a' } }),
      2: { 1: 'kubernetes' },
      3: { 1: 'Active' },
    };
    expect(decode('v1', 'Namespace', raw)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ns', labels: { team: 'a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('decodes a service account', () => {
    const raw: Fields = {
      1: encodeMeta({ name: 'bot', namespace: 'ops' }),
      2: { 2: 'ignored' },
      3: { 1: 'regcred' },
      4: true,
    };
    expect(decode('v1', 'ServiceAccount', raw)).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'bot', namespace: 'ops' },
      imagePullSecrets: [{ name: 'regcred' }],
      automountServiceAccountToken: true,
    });
  });

  it('decodes the drain DELETE fallback DeleteOptions', () => {
    const raw: Fields = { 1: 0, 2: { 1: 'pod-uid', 2: '' }, 4: 'Background', 5: 'All' };
    expect(decode('v1', 'DeleteOptions', raw)).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'pod-uid' },
      propagationPolicy: 'Background',
      dryRun: ['All'],
    });
    expect(decode('meta.k8s.io/v1', 'DeleteOptions', { 1: -1n, 3: true })).toEqual({
      apiVersion: 'meta.k8s.io/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: -1,
      orphanDependents: true,
    });
    expect(decode('v1', 'DeleteOptions', {})).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions' });
  });

  it('skips unknown fields of every supported wire type', () => {
    const raw: Fields = {
      1: encodeMeta({ name: 'x' }),
      96: 'text',
      97: fixed32(5),
      98: fixed64(5n),
      99: 7,
      200: { 1: 'nested' },
    };
    expect(decode('v1', 'ConfigMap', raw)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    });
  });

  it('merges a repeated embedded message and keeps the last scalar', () => {
    const raw: Fields = { 1: [{ 1: 'first' }, { 3: 'ns' }, { 1: 'second' }] };
    expect(decode('v1', 'ConfigMap', raw)).toMatchObject({ metadata: { name: 'second', namespace: 'ns' } });
  });

  it('does not let a map key reach the prototype', () => {
    const data = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    const object = decode('v1', 'ConfigMap', { 1: encodeMeta({ name: 'p' }), 2: entries(data) });
    expect(Object.keys(object['data'] as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(object['data'])).toBe(Object.prototype);
  });

  it('rejects a known field with the wrong wire type', () => {
    expect(() => decode('v1', 'ConfigMap', { 1: 5 })).toThrow(
      'invalid protobuf in ConfigMap: field 1 should be a message but has wire type 0',
    );
    expect(() => decode('v1', 'ConfigMap', { 4: 'yes' })).toThrow(
      'field 4 should be a bool but has wire type 2',
    );
    expect(() => decode('v1', 'ConfigMap', { 1: { 1: Uint8Array.from([0xff]) } })).toThrow(
      'invalid protobuf in ConfigMap.metadata: field 1 is not valid UTF-8',
    );
  });
});
