/**
 * manifest/deploy: the controller's RBAC covers every API call the code makes (and the plurals src/kube
 * names), the workflow service account can cordon and drain, nothing anywhere uses `*`, and every binding
 * points at a role and service account defined here.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { crdDefinitions } from '../src/core/resources/index.js';

const deployDirectory = fileURLToPath(new URL('../manifest/deploy/', import.meta.url));
const kubeDirectory = fileURLToPath(new URL('../src/kube/', import.meta.url));

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

async function manifests(): Promise<{ file: string; manifest: Manifest }[]> {
  const files = [
    ...(await readdir(deployDirectory)).filter((name) => /\.ya?ml$/.test(name)).sort(),
    // Applied apart (another namespace), but part of the install: docs/health-checks.md.
    'healthchecks/healthchecks-rbac.yaml',
  ];
  const all: { file: string; manifest: Manifest }[] = [];
  for (const file of files) {
    const text = await readFile(join(deployDirectory, file), 'utf8');
    for (const document of YAML.parseAllDocuments(text)) {
      expect(document.errors, file).toEqual([]);
      const manifest = document.toJS() as Manifest | null;
      if (manifest !== null) all.push({ file, manifest });
    }
  }
  return all;
}

type Grant = { group: string; resource: string; verb: string; namespace: string | undefined };

/** Every (group, resource, verb) granted to a service account, with the namespace it holds in (undefined: all). */
async function grantsOf(serviceAccount: string, namespace: string): Promise<Grant[]> {
  const all = (await manifests()).map((entry) => entry.manifest);
  const roles = new Map(
    all
      .filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole')
      .map((m) => [`${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`, m]),
  );
  const grants: Grant[] = [];
  for (const binding of all.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
    const bound = (binding.subjects ?? []).some(
      (subject) =>
        subject.kind === 'ServiceAccount' &&
        subject.name === serviceAccount &&
        subject.namespace === namespace,
    );
    if (!bound || binding.roleRef === undefined) continue;
    const roleNamespace = binding.roleRef.kind === 'Role' ? (binding.metadata.namespace ?? '') : '';
    const role = roles.get(`${binding.roleRef.kind}/${roleNamespace}/${binding.roleRef.name}`);
    const scope = binding.kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
    for (const rule of role?.rules ?? []) {
      if (rule.resourceNames !== undefined) continue;
      for (const group of rule.apiGroups ?? [])
        for (const resource of rule.resources ?? [])
          for (const verb of rule.verbs) grants.push({ group, resource, verb, namespace: scope });
    }
  }
  return grants;
}

function allows(grants: Grant[], group: string, resource: string, verb: string, namespace?: string): boolean {
  return grants.some(
    (grant) =>
      grant.group === group &&
      grant.resource === resource &&
      grant.verb === verb &&
      (grant.namespace === undefined || grant.namespace === namespace),
  );
}

/** What the code calls (src/kube adapters, controllers, the approval service), in the alert namespace. */
const controllerNeeds: [
  group: string,
  resource: string,
  verbs: string[],
  where: 'cluster' | 'alert namespace',
][] = [
  ['aegis.io', 'aegisalerts', ['get', 'list', 'watch', 'create', 'patch', 'delete'], 'alert namespace'],
  ['aegis.io', 'aegisalerts/status', ['patch'], 'alert namespace'],
  ['aegis.io', 'aegissilences', ['get', 'list', 'create', 'delete'], 'alert namespace'],
  ['aegis.io', 'aegisalertopsrules', ['get', 'list', 'watch'], 'cluster'],
  ['aegis.io', 'aegisalertopsrules/status', ['patch'], 'cluster'],
  ['aegis.io', 'aegisopstemplates', ['get', 'list', 'watch'], 'cluster'],
  ['aegis.io', 'aegisopstemplates/status', ['patch'], 'cluster'],
  // patch: the approval record and resuming a suspended Workflow; delete: a rejected or expired one.
  ['argoproj.io', 'workflows', ['create', 'get', 'list', 'watch', 'patch', 'delete'], 'alert namespace'],
  ['argoproj.io', 'workflows', ['get', 'list', 'watch'], 'cluster'],
  ['', 'pods', ['get'], 'cluster'],
  // The agent's get_pod_logs tool (src/kube/cluster-reader.ts) anywhere; a failed step's log in the thread.
  ['', 'pods/log', ['get'], 'cluster'],
  ['', 'events', ['create'], 'cluster'],
  ['', 'events', ['list'], 'cluster'],
  ['events.k8s.io', 'events', ['list'], 'cluster'],
  ['kubeflow.org', 'pytorchjobs', ['get'], 'cluster'],
  ['', 'nodes', ['get'], 'cluster'],
  ['', 'pods', ['list'], 'cluster'],
  ['aegis.io', 'aegisdiagnosises', ['get', 'list', 'watch', 'delete'], 'cluster'],
  ['aegis.io', 'aegisdiagnosises/status', ['patch'], 'cluster'],
  ['aegis.io', 'aegisdiagnosises', ['create'], 'alert namespace'],
];

describe('manifest/deploy RBAC', () => {
  it('never grants `*` (verbs, resources or API groups) and parses cleanly', async () => {
    const all = await manifests();
    expect(all.length).toBeGreaterThan(0);
    for (const { file, manifest } of all) {
      for (const rule of manifest.rules ?? []) {
        expect(
          [...rule.verbs, ...(rule.resources ?? []), ...(rule.apiGroups ?? [])],
          `${file} ${manifest.metadata.name}`,
        ).not.toContain('*');
        expect(
          rule.verbs.some((verb) => verb.includes('*')),
          file,
        ).toBe(false);
      }
    }
  });

  it('binds only roles and service accounts that are defined here', async () => {
    const all = (await manifests()).map((entry) => entry.manifest);
    const names = new Set(
      all.map(
        (m) => `${m.kind}/${m.kind === 'ClusterRole' ? '' : (m.metadata.namespace ?? '')}/${m.metadata.name}`,
      ),
    );
    for (const binding of all.filter((m) => m.kind.endsWith('Binding'))) {
      const roleNamespace = binding.roleRef?.kind === 'Role' ? (binding.metadata.namespace ?? '') : '';
      expect(
        names.has(`${binding.roleRef?.kind}/${roleNamespace}/${binding.roleRef?.name}`),
        binding.metadata.name,
      ).toBe(true);
      for (const subject of binding.subjects ?? []) {
        expect(
          names.has(`ServiceAccount/${subject.namespace ?? ''}/${subject.name}`),
          `${binding.metadata.name} → ${subject.name}`,
        ).toBe(true);
      }
    }
  });

  it('gives the controller (ServiceAccount aegis) every verb the code uses', async () => {
    const grants = await grantsOf('aegis', 'monitoring');
    for (const [group, resource, verbs, where] of controllerNeeds) {
      for (const verb of verbs) {
        const namespace = where === 'cluster' ? 'some-team' : 'monitoring';
        expect(
          allows(grants, group, resource, verb, namespace),
          `${verb} ${group}/${resource} in ${where}`,
        ).toBe(true);
      }
    }
  });

  it('lets the controller read every Aegis kind and write the status of every kind it reconciles', async () => {
    const grants = await grantsOf('aegis', 'monitoring');
    for (const definition of crdDefinitions) {
      for (const verb of ['get', 'list', 'watch'])
        expect(
          allows(grants, 'aegis.io', definition.plural, verb, 'monitoring'),
          `${verb} ${definition.plural}`,
        ).toBe(true);
      expect(
        allows(grants, 'aegis.io', `${definition.plural}/status`, 'patch', 'monitoring'),
        `${definition.plural}/status`,
      ).toBe(true);
    }
  });

  it('covers every resource plural the Kubernetes adapters in src/kube name', async () => {
    const grants = await grantsOf('aegis', 'monitoring');
    const files = (await readdir(kubeDirectory)).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    );
    const plurals = new Set<string>();
    for (const file of files) {
      const text = await readFile(join(kubeDirectory, file), 'utf8');
      for (const match of text.matchAll(/plural: '([a-z]+)'/g)) plurals.add(match[1]!);
    }
    expect(plurals.has('aegisalerts')).toBe(true);
    for (const plural of plurals) {
      expect(
        grants.some((grant) => grant.resource === plural && grant.verb === 'get'),
        plural,
      ).toBe(true);
    }
  });

  it('lets the health checks run checker pods in aegis-healthchecks only', async () => {
    const grants = await grantsOf('aegis', 'monitoring');
    const needs: [string, string, string][] = [
      ['', 'pods', 'create'],
      ['', 'pods', 'delete'],
      ['', 'pods', 'watch'],
      ['', 'pods/log', 'get'],
      ['', 'nodes', 'watch'],
      ['', 'configmaps', 'list'],
      ['aegis.io', 'aegisnodehealthchecks', 'create'],
      ['aegis.io', 'aegisnodehealthchecks', 'delete'],
      ['aegis.io', 'aegisnodehealthchecks/status', 'patch'],
      ['aegis.io', 'aegisclusterhealthchecks/status', 'patch'],
      ['', 'events', 'create'],
    ];
    for (const [group, resource, verb] of needs)
      expect(allows(grants, group, resource, verb, 'aegis-healthchecks'), `${verb} ${resource}`).toBe(true);
    expect(allows(grants, '', 'pods', 'create', 'kube-system')).toBe(false);
    expect(allows(grants, '', 'configmaps', 'list', 'monitoring')).toBe(false);
  });

  it('keeps the controller from mutating nodes, pods, CRDs, secrets or workflows outside the alert namespace', async () => {
    const grants = await grantsOf('aegis', 'monitoring');
    const writes = ['create', 'update', 'patch', 'delete', 'deletecollection'];
    for (const [group, resource] of [
      ['', 'nodes'],
      ['', 'pods'],
      ['', 'secrets'],
      ['apiextensions.k8s.io', 'customresourcedefinitions'],
    ] as const) {
      for (const verb of writes)
        expect(allows(grants, group, resource, verb, 'monitoring'), `${verb} ${resource}`).toBe(false);
    }
    expect(grants.some((grant) => grant.resource === 'secrets')).toBe(false);
    expect(allows(grants, 'argoproj.io', 'workflows', 'create', 'kube-system')).toBe(false);
    expect(allows(grants, 'aegis.io', 'aegisalerts', 'create', 'kube-system')).toBe(false);
  });

  it('lets workflows (ServiceAccount aegis-workflow) cordon, uncordon and drain, and report results', async () => {
    const grants = await grantsOf('aegis-workflow', 'monitoring');
    const needs: [string, string, string][] = [
      ['', 'nodes', 'get'],
      ['', 'nodes', 'patch'],
      ['', 'pods', 'list'],
      ['', 'pods/eviction', 'create'],
      ['apps', 'daemonsets', 'get'],
      ['argoproj.io', 'workflowtaskresults', 'create'],
    ];
    for (const [group, resource, verb] of needs)
      expect(allows(grants, group, resource, verb, 'monitoring'), `${verb} ${resource}`).toBe(true);
    expect(grants.some((grant) => grant.resource === 'secrets' || grant.resource === 'pods/exec')).toBe(
      false,
    );
  });

  it('keeps workflows from deleting pods, touching Aegis objects or resuming other workflows', async () => {
    const grants = await grantsOf('aegis-workflow', 'monitoring');
    expect(allows(grants, '', 'pods', 'delete', 'monitoring')).toBe(false);
    expect(grants.filter((grant) => grant.group === 'aegis.io')).toEqual([]);
    expect(grants.filter((grant) => grant.resource === 'workflows')).toEqual([]);
    expect(
      grants
        .filter((grant) => grant.group === 'argoproj.io')
        .map((grant) => `${grant.resource}:${grant.verb}`),
    ).toEqual(['workflowtaskresults:create', 'workflowtaskresults:patch']);
    const writes = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
    expect(
      grants
        .filter((grant) => writes.has(grant.verb))
        .map((grant) => `${grant.group}/${grant.resource}:${grant.verb}`)
        .sort(),
    ).toEqual([
      '/nodes:patch',
      '/pods/eviction:create',
      'argoproj.io/workflowtaskresults:create',
      'argoproj.io/workflowtaskresults:patch',
    ]);
  });
});
