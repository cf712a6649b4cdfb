import { describe, expect, it } from 'vitest';
import { envelope } from './encode-for-tests.js';
import { ProtobufDecodeError, decodeKubernetesProtobuf } from './index.js';

const ascii = (text: string): number[] => [...Buffer.from(text, 'utf8')];

/** What `kubectl create namespace team-a` sends, assembled byte by byte. */
const createNamespaceTeamA = Uint8Array.from([
  ...[0x6b, 0x38, 0x73, 0x00], // magic "k8s\0"
  ...[0x0a, 0x0f], // Unknown.typeMeta (field 1, length 15)
  ...[0x0a, 0x02, ...ascii('v1')], //   TypeMeta.apiVersion
  ...[0x12, 0x09, ...ascii('Namespace')], //   TypeMeta.kind
  ...[0x12, 0x0e], // Unknown.raw (field 2, length 14)
  ...[0x0a, 0x08], //   Namespace.metadata (length 8)
  ...[0x0a, 0x06, ...ascii('team-a')], //     ObjectMeta.name
  ...[0x12, 0x00], //   Namespace.spec {}
  ...[0x1a, 0x00], //   Namespace.status {}
  ...[0x1a, 0x00], // Unknown.contentEncoding ""
  ...[0x22, 0x00], // Unknown.contentType ""
]);

/** The same request as gogo-protobuf writes it: zero values present, plus a zero creationTimestamp. */
const namespaceWithZeroFields = Uint8Array.from([
  ...[0x6b, 0x38, 0x73, 0x00],
  ...[0x0a, 0x0f, 0x0a, 0x02, ...ascii('v1'), 0x12, 0x09, ...ascii('Namespace')],
  ...[0x12, 0x24], // raw, length 36
  ...[0x0a, 0x1a], // metadata, length 26
  ...[0x0a, 0x06, ...ascii('team-a')], // name
  ...[0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00], // generateName, namespace, selfLink, uid, resourceVersion
  ...[0x38, 0x00], // generation 0
  ...[0x42, 0x04, 0x08, 0x00, 0x10, 0x00], // creationTimestamp {seconds 0, nanos 0}
  ...[0x12, 0x02, 0x0a, 0x00], // spec { finalizers: [""] }: repeated strings are kept as sent
  ...[0x1a, 0x02, 0x0a, 0x00], // status { phase "" }
  ...[0x1a, 0x00, 0x22, 0x00],
]);

const decodeError = (body: Uint8Array): ProtobufDecodeError => {
  try {
    decodeKubernetesProtobuf(body);
  } catch (error) {
    if (error instanceof ProtobufDecodeError) return error;
    throw error;
  }
  throw new Error('expected a ProtobufDecodeError');
};

describe('decodeKubernetesProtobuf envelope', () => {
  it('decodes kubectl create namespace team-a', () => {
    expect(decodeKubernetesProtobuf(createNamespaceTeamA)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, spec: {}, status: {} },
    });
  });

  it('matches what the test encoder writes for the same request', () => {
    expect(envelope('v1', 'Namespace', { 1: { 1: 'team-a' }, 2: {}, 3: {} })).toEqual(createNamespaceTeamA);
  });

  it('omits empty strings, zero generation and timestamps', () => {
    expect(decodeKubernetesProtobuf(namespaceWithZeroFields).object).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a' },
      spec: { finalizers: [''] },
      status: {},
    });
  });

  it('accepts a Node Buffer', () => {
    expect(decodeKubernetesProtobuf(Buffer.from(createNamespaceTeamA)).kind).toBe('Namespace');
  });

  it('rejects a missing or wrong magic', () => {
    expect(decodeError(new Uint8Array()).message).toBe(
      'not a Kubernetes protobuf body: expected the prefix 6b 38 73 00 ("k8s\\0"), got an empty body',
    );
    expect(decodeError(Uint8Array.from([0x6b, 0x38])).message).toContain('got "6b 38"');
    expect(decodeError(Buffer.from('{"kind":"Namespace"}')).message).toContain('the body looks like JSON');
  });

  it('reports truncated input', () => {
    const cut = createNamespaceTeamA.subarray(0, 30); // inside raw
    expect(decodeError(cut).message).toMatch(
      /^truncated protobuf in runtime\.Unknown: field 2 declares 14 bytes/,
    );
    const inVarint = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x08, 0xff]);
    expect(decodeError(inVarint).message).toContain('the input ends inside a varint');
    // A nested length that overruns its parent is caught while decoding the nested message.
    const nested = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x02, 0x0a, 0x05]);
    expect(decodeError(nested).message).toContain('truncated protobuf in runtime.Unknown.typeMeta');
  });

  it('never throws anything but ProtobufDecodeError on any prefix', () => {
    for (let length = 0; length < createNamespaceTeamA.length; length += 1) {
      const body = createNamespaceTeamA.subarray(0, length);
      try {
        decodeKubernetesProtobuf(body);
      } catch (error) {
        expect(error, `length ${length}`).toBeInstanceOf(ProtobufDecodeError);
      }
    }
  });

  it('names the unsupported kind', () => {
    const pod = Uint8Array.from([
      ...[0x6b, 0x38, 0x73, 0x00],
      ...[0x0a, 0x09, 0x0a, 0x02, ...ascii('v1'), 0x12, 0x03, ...ascii('Pod')],
      ...[0x12, 0x00],
    ]);
    expect(decodeError(pod).message).toBe(
      'unsupported kind for a protobuf body: "v1, Kind=Pod"; the sandbox decodes only v1 Namespace, v1 ConfigMap, v1 Secret, v1 ServiceAccount, DeleteOptions (send JSON for anything else)',
    );
    const appsConfigMap = Uint8Array.from([
      ...[0x6b, 0x38, 0x73, 0x00],
      ...[0x0a, 0x14, 0x0a, 0x07, ...ascii('apps/v1'), 0x12, 0x09, ...ascii('ConfigMap')],
    ]);
    expect(decodeError(appsConfigMap).message).toContain('"apps/v1, Kind=ConfigMap"');
  });

  it('rejects a missing kind, a content encoding and a bad wire type', () => {
    expect(decodeError(Uint8Array.from([0x6b, 0x38, 0x73, 0x00])).message).toContain('names no kind');
    const gzip = Uint8Array.from([
      ...[0x6b, 0x38, 0x73, 0x00],
      ...[0x0a, 0x0d, 0x0a, 0x02, ...ascii('v1'), 0x12, 0x07, ...ascii('Project')],
      ...[0x1a, 0x04, ...ascii('gzip')],
    ]);
    expect(decodeError(gzip).message).toBe('unsupported protobuf contentEncoding "gzip" for Project');
    const group = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0b]);
    expect(decodeError(group).message).toBe(
      'unsupported protobuf wire type 3 for field 1 of runtime.Unknown at byte 0',
    );
    const kindAsVarint = Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x02, 0x10, 0x01]);
    expect(decodeError(kindAsVarint).message).toBe(
      'invalid protobuf in runtime.Unknown.typeMeta: field 2 should be a string but has wire type 0',
    );
  });
});
