import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYaml } from '@kubernetes/client-node';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import YAML from 'yaml';
import { AegisError } from '../core/errors.js';
import type { KubeClients } from './kube-clients.js';
import { describeKubeError, kubeStatusCode } from './kube-error.js';

export interface CrdInstallResult {
  name: string;
  action: 'created' | 'updated';
}

/** `manifest/install/` of this checkout (works from src/ under tsx and from dist/ after a build). */
export function defaultCrdDirectory(): string {
  return fileURLToPath(new URL('../../manifest/install/', import.meta.url));
}

/** Every CustomResourceDefinition in the directory's *.yaml files (multi-document files allowed), by file name. */
export async function readCrdManifests(
  directory: string = defaultCrdDirectory(),
): Promise<V1CustomResourceDefinition[]> {
  const files = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const manifests: V1CustomResourceDefinition[] = [];
  for (const file of files) {
    const path = join(directory, file);
    for (const document of YAML.parseAllDocuments(await readFile(path, 'utf8'))) {
      if (document.errors.length > 0) {
        throw new AegisError(
          'CRD_MANIFEST_INVALID',
          `${path}: ${document.errors.map((error) => error.message).join('; ')}`,
        );
      }
      const value: unknown = document.toJS();
      if (isCrd(value)) manifests.push(crdModel(value));
    }
  }
  return manifests;
}

function isCrd(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    value.kind === 'CustomResourceDefinition'
  );
}

/**
 * A CRD as plain JSON (parsed YAML) turned into client-node's model. Needed because client-node serializes
 * request bodies by its model's property names: a plain object loses `enum`, `default` and every
 * `x-kubernetes-*` key on the way out (its model calls them `_enum`, `x_kubernetes_preserve_unknown_fields`, ...).
 */
export function crdModel(manifest: Record<string, unknown>): V1CustomResourceDefinition {
  return loadYaml<V1CustomResourceDefinition>(JSON.stringify(manifest));
}

/**
 * Create every CRD (as client-node models: use `readCrdManifests` or `crdModel`), or replace it with the manifest when it already exists (using the live resourceVersion,
 * re-read if someone else wrote in between). Idempotent: running it on every start is the upgrade path.
 */
export async function installCrds(
  clients: Pick<KubeClients, 'apiextensions'>,
  manifests: readonly V1CustomResourceDefinition[],
): Promise<CrdInstallResult[]> {
  const results: CrdInstallResult[] = [];
  for (const manifest of manifests) {
    const name = manifest.metadata?.name;
    if (name === undefined)
      throw new AegisError('CRD_MANIFEST_INVALID', 'a CustomResourceDefinition has no metadata.name');
    results.push({ name, action: await createOrReplace(clients, name, manifest) });
  }
  return results;
}

async function createOrReplace(
  clients: Pick<KubeClients, 'apiextensions'>,
  name: string,
  manifest: V1CustomResourceDefinition,
): Promise<CrdInstallResult['action']> {
  try {
    await clients.apiextensions.createCustomResourceDefinition({ body: manifest });
    return 'created';
  } catch (error) {
    if (kubeStatusCode(error) !== 409) throw installError(name, error);
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      const live = await clients.apiextensions.readCustomResourceDefinition({ name });
      const resourceVersion = live.metadata?.resourceVersion;
      const metadata =
        resourceVersion === undefined ? { ...manifest.metadata } : { ...manifest.metadata, resourceVersion };
      const body: V1CustomResourceDefinition = { ...manifest, metadata };
      await clients.apiextensions.replaceCustomResourceDefinition({ name, body });
      return 'updated';
    } catch (error) {
      // 409 here means a concurrent writer (another replica starting); read again and retry.
      if (kubeStatusCode(error) !== 409 || attempt >= 5) throw installError(name, error);
    }
  }
}

function installError(name: string, error: unknown): AegisError {
  return new AegisError('CRD_INSTALL_FAILED', `cannot install CRD ${name}: ${describeKubeError(error)}`, {
    retryable: true,
    cause: error,
  });
}
