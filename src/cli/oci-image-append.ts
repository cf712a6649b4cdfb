/**
 * Append one file as a new layer to an image and push the result, over the OCI distribution API (what
 * upstream's `aegiscli rule create` does with crane): read the base manifest and config, copy the base layers
 * into the target repository when missing, upload a gzip'd tar layer holding the file, a config with its
 * diff_id and history entry, and the manifest under the tag. Plain HTTP on loopback registries, HTTPS elsewhere;
 * anonymous access only (a registry that answers 401 is reported as such).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { AegisError } from '../core/errors.js';

export interface ImageReference {
  registry: string;
  repository: string;
  tag: string;
}

const manifestTypes = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** `HOST[:PORT]/REPO[:TAG]` (tag `latest` when absent). */
export function parseImageReference(text: string): ImageReference {
  const slash = text.indexOf('/');
  if (slash <= 0)
    throw new AegisError('IMAGE_REFERENCE', `image ${JSON.stringify(text)}: expected HOST/REPOSITORY[:TAG]`);
  const registry = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  const repository = colon > 0 ? rest.slice(0, colon) : rest;
  const tag = colon > 0 ? rest.slice(colon + 1) : 'latest';
  if (!/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(repository) || !/^[\w][\w.-]{0,127}$/.test(tag))
    throw new AegisError('IMAGE_REFERENCE', `image ${JSON.stringify(text)}: invalid repository or tag`);
  return { registry, repository, tag };
}

export const formatImageReference = (reference: ImageReference): string =>
  `${reference.registry}/${reference.repository}:${reference.tag}`;

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function baseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

async function call(url: string, init: RequestInit, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'follow' });
  } catch (error) {
    throw new AegisError(
      'REGISTRY_UNREACHABLE',
      `${what}: ${url} is unreachable: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (response.status === 401 || response.status === 403)
    throw new AegisError(
      'REGISTRY_DENIED',
      `${what}: ${url} answered ${response.status} (this CLI pushes anonymously)`,
    );
  return response;
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (response.ok) return response;
  throw new AegisError(
    'REGISTRY_ERROR',
    `${what}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`,
  );
}

/** A one-file POSIX tar (ustar) archive. */
export function tarOneFile(path: string, content: Buffer, mode = 0o755): Buffer {
  const header = Buffer.alloc(512);
  const name = path.replace(/^\//, '');
  if (Buffer.byteLength(name) > 100)
    throw new AegisError('IMAGE_LAYER', `path ${path} is longer than 100 bytes`);
  header.write(name, 0, 100, 'utf8');
  header.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 8, 'ascii');
  header.write('0000000\0', 108, 8, 'ascii');
  header.write('0000000\0', 116, 8, 'ascii');
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  header.write(
    `${Math.floor(Date.UTC(2000, 0, 1) / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
    12,
    'ascii',
  );
  header.write('        ', 148, 8, 'ascii');
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

async function blobExists(reference: ImageReference, digest: string): Promise<boolean> {
  const url = `${baseUrl(reference.registry)}/v2/${reference.repository}/blobs/${digest}`;
  return (await call(url, { method: 'HEAD' }, 'checking a blob')).ok;
}

async function uploadBlob(reference: ImageReference, data: Buffer, digest: string): Promise<void> {
  if (await blobExists(reference, digest)) return;
  const root = baseUrl(reference.registry);
  const started = await expectOk(
    await call(`${root}/v2/${reference.repository}/blobs/uploads/`, { method: 'POST' }, 'starting an upload'),
    'starting an upload',
  );
  const location = started.headers.get('location');
  if (location === null) throw new AegisError('REGISTRY_ERROR', 'the registry gave no upload location');
  const target = new URL(location, root);
  target.searchParams.set('digest', digest);
  await expectOk(
    await call(
      target.toString(),
      {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: data,
      },
      'uploading a blob',
    ),
    `uploading ${digest}`,
  );
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}
interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** Push `base` + a layer with `file` at `path` as `target`; resolves with the pushed manifest's digest. */
export async function appendFileLayer(options: {
  base: ImageReference;
  target: ImageReference;
  path: string;
  content: Buffer;
}): Promise<string> {
  const { base, target } = options;
  const baseRoot = `${baseUrl(base.registry)}/v2/${base.repository}`;
  const manifestResponse = await expectOk(
    await call(
      `${baseRoot}/manifests/${base.tag}`,
      { headers: { accept: manifestTypes.join(', ') } },
      'reading the base image',
    ),
    `reading ${formatImageReference(base)}`,
  );
  const manifest = (await manifestResponse.json()) as Manifest;
  if (!Array.isArray(manifest.layers) || manifest.config === undefined)
    throw new AegisError(
      'IMAGE_UNSUPPORTED',
      `${formatImageReference(base)} is not a single-platform image manifest`,
    );
  const fetchBlob = async (digest: string): Promise<Buffer> =>
    Buffer.from(
      await (
        await expectOk(
          await call(`${baseRoot}/blobs/${digest}`, {}, 'reading a base blob'),
          `reading ${digest}`,
        )
      ).arrayBuffer(),
    );
  const config = JSON.parse((await fetchBlob(manifest.config.digest)).toString('utf8')) as {
    rootfs?: { type: string; diff_ids: string[] };
    history?: unknown[];
  };
  for (const layer of manifest.layers) {
    if (!(await blobExists(target, layer.digest)))
      await uploadBlob(target, await fetchBlob(layer.digest), layer.digest);
  }
  const tar = tarOneFile(options.path, options.content);
  const layer = gzipSync(tar);
  const layerDigest = sha256(layer);
  await uploadBlob(target, layer, layerDigest);
  const oci = manifest.mediaType !== 'application/vnd.docker.distribution.manifest.v2+json';
  const newConfig = {
    ...config,
    rootfs: { type: 'layers', diff_ids: [...(config.rootfs?.diff_ids ?? []), sha256(tar)] },
    history: [
      ...(config.history ?? []),
      { created: new Date().toISOString(), created_by: `aegis rule create: add ${options.path}` },
    ],
  };
  const configBytes = Buffer.from(JSON.stringify(newConfig));
  const configDigest = sha256(configBytes);
  await uploadBlob(target, configBytes, configDigest);
  const newManifest: Manifest = {
    ...manifest,
    config: { ...manifest.config, digest: configDigest, size: configBytes.length },
    layers: [
      ...manifest.layers,
      {
        mediaType: oci
          ? 'application/vnd.oci.image.layer.v1.tar+gzip'
          : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        digest: layerDigest,
        size: layer.length,
      },
    ],
  };
  const manifestBytes = Buffer.from(JSON.stringify(newManifest));
  const mediaType =
    manifest.mediaType ?? manifestResponse.headers.get('content-type') ?? manifestTypes[0] ?? '';
  await expectOk(
    await call(
      `${baseUrl(target.registry)}/v2/${target.repository}/manifests/${target.tag}`,
      {
        method: 'PUT',
        headers: { 'content-type': mediaType },
        body: manifestBytes,
      },
      'pushing the manifest',
    ),
    `pushing ${formatImageReference(target)}`,
  );
  return sha256(manifestBytes);
}
