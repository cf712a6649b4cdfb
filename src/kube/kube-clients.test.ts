import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { findFreePort } from '../platform/index.js';
import { startSandbox, type SandboxHandle } from '../sandbox/index.js';
import {
  checkApiServer,
  crdModel,
  createKubeClients,
  installCrds,
  loadKubeConfig,
  readCrdManifests,
} from './index.js';

function kubeconfig(server: string, name: string, currentContext?: string): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: { token: 't' } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    ...(currentContext === undefined ? {} : { 'current-context': currentContext }),
  });
}

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.aegis.io' },
  spec: {
    group: 'test.aegis.io',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
                properties: { size: { type: 'string', enum: ['small', 'large'], default: 'small' } },
              },
            },
          },
        },
      },
    ],
  },
};

describe('Kubernetes clients against the sandbox', () => {
  let sandbox: SandboxHandle;
  let directory: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ nodes: 1 });
    directory = await mkdtemp(join(tmpdir(), 'aegis-kube-'));
  });

  afterAll(async () => {
    await sandbox.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('checks the API server with GET /version', async () => {
    const clients = createKubeClients({ yaml: sandbox.kubeconfig });
    expect(clients.server).toBe(sandbox.url);
    expect((await checkApiServer(clients)).gitVersion).toMatch(/^v1\.\d+/);
  });

  it('fails the check with the server named, and honours an aborted signal', async () => {
    const dead = `http://127.0.0.1:${await findFreePort()}`;
    const clients = createKubeClients({ yaml: kubeconfig(dead, 'dead', 'dead') });
    await expect(checkApiServer(clients)).rejects.toThrow(`API server ${dead}: `);
    const live = createKubeClients({ yaml: sandbox.kubeconfig });
    await expect(checkApiServer(live, AbortSignal.abort())).rejects.toThrow(/abort/i);
  });

  it('merges a KUBECONFIG list the way kubectl does: the first definition wins', async () => {
    const first = join(directory, 'first');
    const second = join(directory, 'second');
    await writeFile(first, kubeconfig(sandbox.url, 'sandbox', 'sandbox'));
    await writeFile(second, kubeconfig('http://127.0.0.1:1', 'sandbox', 'other'));
    const merged = loadKubeConfig({ paths: [first, second] });
    expect(merged.getCurrentContext()).toBe('sandbox');
    expect(merged.getCurrentCluster()?.server).toBe(sandbox.url);
    expect(merged.getClusters()).toHaveLength(1);
  });

  it('creates CRDs, then replaces them, keeping enum, default and x-kubernetes-* fields', async () => {
    const clients = createKubeClients({ yaml: sandbox.kubeconfig });
    expect(await installCrds(clients, [crdModel(widgetCrd)])).toEqual([
      { name: 'widgets.test.aegis.io', action: 'created' },
    ]);
    expect(await installCrds(clients, [crdModel(widgetCrd)])).toEqual([
      { name: 'widgets.test.aegis.io', action: 'updated' },
    ]);
    const response = await fetch(
      `${sandbox.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.test.aegis.io`,
    );
    const stored = (await response.json()) as typeof widgetCrd;
    expect(stored.spec.versions[0]?.schema.openAPIV3Schema.properties.spec).toEqual(
      widgetCrd.spec.versions[0]?.schema.openAPIV3Schema.properties.spec,
    );
  });

  it('reads CRDs from every YAML file of a directory, skipping other kinds', async () => {
    const manifests = join(directory, 'manifests');
    await rm(manifests, { recursive: true, force: true });
    await mkdir(manifests);
    await writeFile(
      join(manifests, 'b.yaml'),
      `${YAML.stringify(widgetCrd)}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n`,
    );
    await writeFile(join(manifests, 'notes.txt'), 'not yaml');
    const read = await readCrdManifests(manifests);
    expect(read.map((crd) => crd.metadata?.name)).toEqual(['widgets.test.aegis.io']);
    await writeFile(join(manifests, 'a.yaml'), 'kind: [unclosed\n');
    await expect(readCrdManifests(manifests)).rejects.toThrow(join(manifests, 'a.yaml'));
  });
});
