/**
 * `aegis rule create NAME --ops-file F --image-registry HOST/REPO --base-image REF`: the script appended as a
 * layer to a base image and pushed over the OCI distribution API, as upstream does with crane. Against Debian's
 * docker-registry on loopback, with a base image this test builds and pushes itself (system tar, raw HTTP).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClients, installCrds, readCrdManifests, type KubeClients } from '../src/kube/index.js';
import { main } from '../src/main.js';
import { findFreePort } from '../src/platform/index.js';
import { startSandbox, type SandboxHandle } from '../src/sandbox/index.js';

const registryBinary = '/usr/bin/docker-registry';
const available = existsSync(registryBinary);
let dir: string;
let registry: ChildProcess | undefined;
let registryHost: string;
let sandbox: SandboxHandle;
let clients: KubeClients;
let kubeconfig: string;
let namespace: string;
const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function upload(repository: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const started = await fetch(`http://${registryHost}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(started.headers.get('location') ?? '', `http://${registryHost}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body: data,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`upload failed: ${put.status}`);
  return digest;
}

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(join(tmpdir(), 'aegis-image-push-'));
  const port = await findFreePort();
  registryHost = `127.0.0.1:${port}`;
  const config = join(dir, 'registry.yml');
  await writeFile(
    config,
    `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${join(dir, 'storage')}}}\nhttp: {addr: ${registryHost}}\n`,
  );
  registry = spawn(registryBinary, ['serve', config], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://${registryHost}/v2/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('docker-registry did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The base image: one layer with /etc/base-release, built with the system tar.
  const rootfs = join(dir, 'rootfs');
  await mkdir(join(rootfs, 'etc'), { recursive: true });
  await writeFile(join(rootfs, 'etc/base-release'), 'tiny base 1\n');
  const tar = spawnSync('tar', ['-C', rootfs, '-cf', '-', 'etc'], { maxBuffer: 1 << 20 }).stdout;
  const layer = spawnSync('gzip', ['-n'], { input: tar }).stdout;
  const layerDigest = await upload('base', layer);
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created_by: 'test' }],
    }),
  );
  const configDigest = await upload('base', configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: configBytes.length,
    },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length },
    ],
  };
  const pushed = await fetch(`http://${registryHost}/v2/base/manifests/1`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType },
    body: JSON.stringify(manifest),
  });
  if (pushed.status !== 201) throw new Error(`base manifest push failed: ${pushed.status}`);

  kubeconfig = join(dir, 'kubeconfig');
  sandbox = await startSandbox({ nodes: 1, simulate: false, kubeconfigOut: kubeconfig });
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  namespace = `image-${randomUUID().slice(0, 8)}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
}, 60_000);
afterAll(async () => {
  registry?.kill('SIGTERM');
  await sandbox?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('aegis rule create --image-registry', () => {
  it('pushes base + a layer with the script, and the template runs that image without a ConfigMap', async () => {
    const script = join(dir, 'fix-gpu.sh');
    const scriptText = '#!/bin/sh\necho "resetting GPUs on $AEGIS_NODE"\n';
    await writeFile(script, scriptText);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      [
        'rule',
        'create',
        'fix-gpu',
        '--alert-type',
        'GpuXidError',
        '--ops-file',
        script,
        '--image-registry',
        `${registryHost}/aegis-ops`,
        '--base-image',
        `${registryHost}/base:1`,
        '-n',
        namespace,
        '--kubeconfig',
        kubeconfig,
      ],
      { stdout: (text) => void out.push(text), stderr: (text) => void err.push(text) },
    );
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(out.join('')).toContain(`pushed ${registryHost}/aegis-ops:fix-gpu@sha256:`);

    const manifestResponse = await fetch(`http://${registryHost}/v2/aegis-ops/manifests/fix-gpu`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifestResponse.status).toBe(200);
    const manifest = (await manifestResponse.json()) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    const base = (await (
      await fetch(`http://${registryHost}/v2/base/manifests/1`, {
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
      })
    ).json()) as { layers: { digest: string }[] };
    expect(manifest.layers).toHaveLength(2);
    expect(manifest.layers[0]!.digest).toBe(base.layers[0]!.digest);
    const blob = async (digest: string) =>
      Buffer.from(await (await fetch(`http://${registryHost}/v2/aegis-ops/blobs/${digest}`)).arrayBuffer());
    const added = await blob(manifest.layers[1]!.digest);
    const tar = gunzipSync(added);
    const config = JSON.parse((await blob(manifest.config.digest)).toString()) as {
      rootfs: { diff_ids: string[] };
    };
    expect(config.rootfs.diff_ids).toHaveLength(2);
    expect(config.rootfs.diff_ids[1]).toBe(sha256(tar));
    // The system tar reads the layer and finds the script, executable, at /aegis/ops/fix-gpu.sh.
    const extracted = join(dir, 'extracted');
    await mkdir(extracted);
    const untar = spawnSync('tar', ['-C', extracted, '-xvf', '-'], { input: tar, encoding: 'buffer' });
    expect(untar.status).toBe(0);
    expect(await readFile(join(extracted, 'aegis/ops/fix-gpu.sh'), 'utf8')).toBe(scriptText);
    const listing = spawnSync('tar', ['-tvf', '-'], { input: tar }).stdout.toString();
    expect(listing).toMatch(/^-rwxr-xr-x .* aegis\/ops\/fix-gpu\.sh$/m);

    const template = (await clients.customObjects.getNamespacedCustomObject({
      group: 'aegis.io',
      version: 'v1alpha1',
      namespace,
      plural: 'aegisopstemplates',
      name: 'fix-gpu',
    })) as { spec: { manifest: string } };
    expect(template.spec.manifest).toContain(`image: ${registryHost}/aegis-ops:fix-gpu`);
    expect(template.spec.manifest).toContain('/aegis/ops/fix-gpu.sh');
    expect(template.spec.manifest).not.toContain('configMap');
    await expect(
      clients.core.readNamespacedConfigMap({ namespace, name: 'fix-gpu-ops-script' }),
    ).rejects.toThrow();
  }, 60_000);

  it('says what is wrong when the base image does not exist', async () => {
    const script = join(dir, 'noop.sh');
    await writeFile(script, 'true\n');
    const err: string[] = [];
    const code = await main(
      [
        'rule',
        'create',
        'noop',
        '--alert-type',
        'X',
        '--ops-file',
        script,
        '--image-registry',
        `${registryHost}/aegis-ops`,
        '--base-image',
        `${registryHost}/missing:1`,
        '-n',
        namespace,
        '--kubeconfig',
        kubeconfig,
      ],
      { stdout: () => undefined, stderr: (text) => void err.push(text) },
    );
    expect(code).toBe(1);
    expect(err.join('')).toMatch(
      new RegExp(`^aegis: reading ${registryHost.replace('.', '\\.')}/missing:1: HTTP 404`),
    );
  }, 30_000);
});
