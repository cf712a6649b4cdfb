export {
  decodeKubernetesProtobuf,
  kubernetesProtobufMagic,
  type DecodedKubernetesObject,
} from './decode-envelope.js';
export { ProtobufDecodeError } from './wire-message.js';
