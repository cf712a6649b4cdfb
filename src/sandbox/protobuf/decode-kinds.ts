/**
 * Decoders from the protobuf messages of k8s.io/api `generated.proto` to the JSON shape the API accepts, for the
 * kinds kubectl sends as protobuf. Empty strings are omitted (kubectl writes unset strings as empty fields).
 */
import type { WireMessage } from './wire-message.js';

type Json = Record<string, unknown>;

/** Sets `key` unless the value is undefined, an empty string or an empty list. */
function put(target: Json, key: string, value: unknown): void {
  if (value === undefined || value === '') return;
  if (Array.isArray(value) && value.length === 0) return;
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function decodeOwnerReference(m: WireMessage): Json {
  const out: Json = {};
  put(out, 'apiVersion', m.string(5));
  put(out, 'kind', m.string(1));
  put(out, 'name', m.string(3));
  put(out, 'uid', m.string(4));
  put(out, 'controller', m.bool(6));
  put(out, 'blockOwnerDeletion', m.bool(7));
  return out;
}

/** ObjectMeta; timestamps (8, 9), selfLink (4), managedFields (17) and other fields are skipped. */
export function decodeObjectMeta(m: WireMessage | undefined): Json {
  const out: Json = {};
  if (m === undefined) return out;
  put(out, 'name', m.string(1));
  put(out, 'generateName', m.string(2));
  put(out, 'namespace', m.string(3));
  put(out, 'uid', m.string(5));
  put(out, 'resourceVersion', m.string(6));
  const generation = m.int(7);
  if (generation !== undefined && generation !== 0) out['generation'] = generation;
  put(out, 'labels', m.stringMap(11, 'labels'));
  put(out, 'annotations', m.stringMap(12, 'annotations'));
  put(out, 'ownerReferences', m.messages(13, 'ownerReferences').map(decodeOwnerReference));
  put(out, 'finalizers', m.strings(14));
  return out;
}

function decodeNamespace(m: WireMessage): Json {
  const out: Json = { metadata: decodeObjectMeta(m.message(1, 'metadata')) };
  const spec = m.message(2, 'spec');
  if (spec !== undefined) {
    out['spec'] = {};
    put(out['spec'] as Json, 'finalizers', spec.strings(1));
  }
  const status = m.message(3, 'status');
  if (status !== undefined) {
    out['status'] = {};
    put(out['status'] as Json, 'phase', status.string(1));
  }
  return out;
}

function decodeConfigMap(m: WireMessage): Json {
  const out: Json = { metadata: decodeObjectMeta(m.message(1, 'metadata')) };
  put(out, 'data', m.stringMap(2, 'data'));
  put(out, 'binaryData', m.bytesMap(3, 'binaryData'));
  put(out, 'immutable', m.bool(4));
  return out;
}

function decodeSecret(m: WireMessage): Json {
  const out: Json = { metadata: decodeObjectMeta(m.message(1, 'metadata')) };
  put(out, 'data', m.bytesMap(2, 'data'));
  put(out, 'type', m.string(3));
  put(out, 'stringData', m.stringMap(4, 'stringData'));
  put(out, 'immutable', m.bool(5));
  return out;
}

/** ServiceAccount; `secrets` (2, ObjectReference) is skipped. */
function decodeServiceAccount(m: WireMessage): Json {
  const out: Json = { metadata: decodeObjectMeta(m.message(1, 'metadata')) };
  const pullSecrets = m.messages(3, 'imagePullSecrets').map((ref) => {
    const secret: Json = {};
    put(secret, 'name', ref.string(1));
    return secret;
  });
  put(out, 'imagePullSecrets', pullSecrets);
  put(out, 'automountServiceAccountToken', m.bool(4));
  return out;
}

function decodeDeleteOptions(m: WireMessage): Json {
  const out: Json = {};
  put(out, 'gracePeriodSeconds', m.int(1));
  const preconditions = m.message(2, 'preconditions');
  if (preconditions !== undefined) {
    const decoded: Json = {};
    put(decoded, 'uid', preconditions.string(1));
    put(decoded, 'resourceVersion', preconditions.string(2));
    out['preconditions'] = decoded;
  }
  put(out, 'orphanDependents', m.bool(3));
  put(out, 'propagationPolicy', m.string(4));
  put(out, 'dryRun', m.strings(5));
  return out;
}

export interface KindDecoder {
  /** The apiVersions this kind is accepted under; undefined means any (DeleteOptions is in every group). */
  readonly apiVersions: readonly string[] | undefined;
  decode(message: WireMessage): Json;
}

export const kindDecoders: ReadonlyMap<string, KindDecoder> = new Map<string, KindDecoder>([
  ['Namespace', { apiVersions: ['v1'], decode: decodeNamespace }],
  ['ConfigMap', { apiVersions: ['v1'], decode: decodeConfigMap }],
  ['Secret', { apiVersions: ['v1'], decode: decodeSecret }],
  ['ServiceAccount', { apiVersions: ['v1'], decode: decodeServiceAccount }],
  ['DeleteOptions', { apiVersions: undefined, decode: decodeDeleteOptions }],
]);
