/**
 * manifest/deploy and manifest/kustomize install Aegis as a user does: every object of manifest/deploy is
 * accepted by the sandbox's server-side validation (through client-node, so this runs without kubectl),
 * `kubectl apply -f manifest/deploy/ -n monitoring` and `kubectl apply -k` work and agree, and the overlays
 * render the same objects as manifest/deploy (kubectl parts skip where kubectl is missing, as in CI).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { hasKubectl, kubectl, startFixture, type SandboxFixture } from './conformance/sandbox-fixture.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const deployDirectory = join(root, 'manifest/deploy');
const available = await hasKubectl();
let fx: SandboxFixture;

interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

async function deployObjects(): Promise<KubeManifest[]> {
  const files = (await readdir(deployDirectory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const objects: KubeManifest[] = [];
  for (const file of files) {
    for (const document of YAML.parseAllDocuments(await readFile(join(deployDirectory, file), 'utf8'))) {
      const object = document.toJS() as KubeManifest | null;
      if (object !== null) objects.push(object);
    }
  }
  return objects;
}

const identity = (object: KubeManifest): string =>
  `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;

beforeAll(async () => {
  fx = await startFixture({ nodes: 1, simulate: false });
  await fx.clients.core.createNamespace({ body: { metadata: { name: 'monitoring' } } });
}, 60_000);
afterAll(async () => {
  await fx.close();
});

function resourcePath(object: KubeManifest): string {
  const plural: Record<string, string> = {
    ServiceAccount: 'serviceaccounts',
    ConfigMap: 'configmaps',
    Service: 'services',
    Deployment: 'deployments',
    PodDisruptionBudget: 'poddisruptionbudgets',
    Role: 'roles',
    RoleBinding: 'rolebindings',
    ClusterRole: 'clusterroles',
    ClusterRoleBinding: 'clusterrolebindings',
  };
  const prefix = object.apiVersion === 'v1' ? '/api/v1' : `/apis/${object.apiVersion}`;
  const namespace = object.metadata.namespace === undefined ? '' : `/namespaces/${object.metadata.namespace}`;
  return `${prefix}${namespace}/${plural[object.kind] ?? 'unknown'}`;
}

describe('manifest/deploy', () => {
  it('holds a complete install: accounts, RBAC, settings, Deployment, Service, PDB and Redis, all in monitoring', async () => {
    const objects = await deployObjects();
    const kinds = new Set(objects.map((object) => object.kind));
    for (const kind of [
      'ServiceAccount',
      'ClusterRole',
      'Role',
      'ConfigMap',
      'Deployment',
      'Service',
      'PodDisruptionBudget',
    ])
      expect(kinds, kind).toContain(kind);
    for (const object of objects.filter((o) => !o.kind.startsWith('Cluster')))
      expect(object.metadata.namespace, identity(object)).toBe('monitoring');
    const files = await readdir(deployDirectory);
    expect(files.filter((file) => /^kustomization\.ya?ml$/i.test(file))).toEqual([]);
    const deployment = objects.find(
      (object) => object.kind === 'Deployment' && object.metadata.name === 'aegis',
    ) as unknown as {
      spec: {
        replicas: number;
        template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
      };
    };
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod['affinity']).toHaveProperty('podAntiAffinity');
    const container = pod.containers[0]!;
    expect(container['readinessProbe']).toMatchObject({ httpGet: { path: '/readyz' } });
    expect(container['livenessProbe']).toMatchObject({ httpGet: { path: '/healthz' } });
    expect(container['securityContext']).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(pod['securityContext']).toMatchObject({ runAsNonRoot: true });
    // AEGIS_SHUTDOWN_TIMEOUT (20 s) + preStop (3 s) fit in the grace period.
    expect(pod['terminationGracePeriodSeconds']).toBeGreaterThanOrEqual(25);
  });

  it('every object passes the API server validation (created in the sandbox with dryRun)', async () => {
    for (const object of await deployObjects()) {
      const response = await fx.http(`${resourcePath(object)}?dryRun=All`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(object),
      });
      expect(response.status, `${identity(object)}: ${await response.clone().text()}`).toBe(201);
    }
  });

  it.skipIf(!available)(
    'kubectl apply -f manifest/deploy/ -n monitoring, then -k: the same objects, unchanged',
    async () => {
      const first = await kubectl(fx, ['apply', '-f', deployDirectory, '-n', 'monitoring']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('deployment.apps/aegis');
      expect(first.stdout).toContain('poddisruptionbudget.policy/aegis');
      const again = await kubectl(fx, ['apply', '-k', join(root, 'manifest/kustomize/overlays/default')]);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      // Nothing new: -k applies the objects -f created. (kubectl re-sends a PodDisruptionBudget's selector, whose
      // patch strategy is "replace", so that one line may say "configured".)
      const lines = again.stdout.trim().split('\n');
      expect(lines.length).toBe(first.stdout.trim().split('\n').length);
      expect(
        lines
          .filter((line) => !line.endsWith(' unchanged'))
          .filter((line) => !line.startsWith('poddisruptionbudget')),
        again.stdout,
      ).toEqual([]);
      const listed = await kubectl(fx, ['get', 'deploy,svc,pdb,cm,sa', '-n', 'monitoring', '-o', 'name']);
      expect(listed.stdout).toContain('deployment.apps/aegis-redis');
      expect(listed.stdout).toContain('poddisruptionbudget.policy/aegis');
    },
  );

  it.skipIf(!available)(
    'the default overlay renders exactly manifest/deploy; base leaves Redis out; the operator overlay adds a ServiceMonitor',
    async () => {
      const render = async (path: string): Promise<KubeManifest[]> => {
        const result = await kubectl(fx, ['kustomize', join(root, 'manifest/kustomize', path)]);
        expect(result.code, result.stderr).toBe(0);
        return YAML.parseAllDocuments(result.stdout).map((document) => document.toJS() as KubeManifest);
      };
      const byIdentity = (objects: KubeManifest[]) =>
        Object.fromEntries(objects.map((object) => [identity(object), object]));
      const deploy = byIdentity(await deployObjects());
      expect(byIdentity(await render('overlays/default'))).toEqual(deploy);
      const base = await render('base');
      expect(base.some((object) => object.metadata.name === 'aegis-redis')).toBe(false);
      expect(base.length).toBe(Object.keys(deploy).length - 2);
      const operator = await render('overlays/prometheus-operator');
      expect(operator.map((object) => object.kind)).toContain('ServiceMonitor');
      expect(operator.length).toBe(Object.keys(deploy).length + 1);
    },
  );

  it('the redis component is a copy of manifest/deploy/aegis-redis.yaml', async () => {
    const copy = await readFile(join(root, 'manifest/kustomize/components/redis/aegis-redis.yaml'), 'utf8');
    expect(copy).toBe(await readFile(join(deployDirectory, 'aegis-redis.yaml'), 'utf8'));
  });
});
