import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { apiErrors } from '../api-error.js';
import { ProtobufDecodeError, decodeKubernetesProtobuf } from '../protobuf/index.js';

/** The real API server refuses request bodies over 3 MiB. */
export const maxBodyBytes = 3 * 1024 * 1024;

/** The whole body (event listeners rather than an async iterator: this runs for every write request). */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        failed = true;
        chunks.length = 0;
        reject(apiErrors.requestTooLarge('Request entity too large: limit is 3145728'));
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    request.once('error', (error) => {
      if (failed) return;
      failed = true;
      reject(error);
    });
  });
}

export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Decode a create/update/delete body: JSON, YAML-free, or the protobuf envelope kubectl's generators send. */
export function decodeObjectBody(body: Buffer, media: string): unknown {
  if (body.length === 0) return undefined;
  if (media === 'application/vnd.kubernetes.protobuf') {
    try {
      const decoded = decodeKubernetesProtobuf(body);
      return { apiVersion: decoded.apiVersion, kind: decoded.kind, ...decoded.object };
    } catch (error) {
      if (error instanceof ProtobufDecodeError) throw apiErrors.unsupportedMediaType(error.message);
      throw error;
    }
  }
  if (media === 'application/yaml') {
    try {
      return YAML.parse(body.toString('utf8')) as unknown;
    } catch (error) {
      throw apiErrors.badRequest(`error decoding request body as YAML: ${(error as Error).message}`);
    }
  }
  if (media !== '' && media !== 'application/json' && media !== '*/*') {
    throw apiErrors.unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw apiErrors.badRequest(`error decoding request body as JSON: ${(error as Error).message}`);
  }
}
