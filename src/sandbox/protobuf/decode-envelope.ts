/**
 * The Kubernetes protobuf envelope: the magic `k8s\0` followed by `runtime.Unknown{1: TypeMeta{1: apiVersion,
 * 2: kind}, 2: raw, 3: contentEncoding, 4: contentType}`, where `raw` is the object's own message.
 */
import { kindDecoders } from './decode-kinds.js';
import { ProtobufDecodeError, WireMessage } from './wire-message.js';

export const kubernetesProtobufMagic: readonly number[] = [0x6b, 0x38, 0x73, 0x00];

export interface DecodedKubernetesObject {
  apiVersion: string;
  kind: string;
  /** The JSON form the API would accept, including `apiVersion` and `kind`. */
  object: Record<string, unknown>;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function supportedKinds(): string {
  return [...kindDecoders.entries()]
    .map(([kind, decoder]) =>
      decoder.apiVersions === undefined ? kind : `${decoder.apiVersions.join('|')} ${kind}`,
    )
    .join(', ');
}

/** Decodes a `application/vnd.kubernetes.protobuf` request body, or throws a ProtobufDecodeError. */
export function decodeKubernetesProtobuf(body: Uint8Array): DecodedKubernetesObject {
  const prefix = body.subarray(0, 4);
  if (prefix.length < 4 || kubernetesProtobufMagic.some((byte, index) => prefix[index] !== byte)) {
    const hint = body[0] === 0x7b ? ' (the body looks like JSON: send Content-Type application/json)' : '';
    throw new ProtobufDecodeError(
      `not a Kubernetes protobuf body: expected the prefix 6b 38 73 00 ("k8s\\0"), got ${
        prefix.length === 0 ? 'an empty body' : `"${hex(prefix)}"`
      }${hint}`,
    );
  }
  const unknown = WireMessage.decode(body.subarray(4), 'runtime.Unknown');
  const typeMeta = unknown.message(1, 'typeMeta');
  const apiVersion = typeMeta?.string(1) ?? '';
  const kind = typeMeta?.string(2) ?? '';
  if (kind === '')
    throw new ProtobufDecodeError('invalid Kubernetes protobuf body: the envelope names no kind');
  const contentEncoding = unknown.string(3) ?? '';
  if (contentEncoding !== '') {
    throw new ProtobufDecodeError(`unsupported protobuf contentEncoding "${contentEncoding}" for ${kind}`);
  }
  const decoder = kindDecoders.get(kind);
  if (
    decoder === undefined ||
    (decoder.apiVersions !== undefined && !decoder.apiVersions.includes(apiVersion))
  ) {
    throw new ProtobufDecodeError(
      `unsupported kind for a protobuf body: "${apiVersion === '' ? '' : `${apiVersion}, `}Kind=${kind}"; the sandbox decodes only ${supportedKinds()} (send JSON for anything else)`,
    );
  }
  const message = WireMessage.decode(unknown.bytes(2) ?? new Uint8Array(), kind);
  return { apiVersion, kind, object: { apiVersion, kind, ...decoder.decode(message) } };
}
