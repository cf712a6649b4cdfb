import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClients, installCrds, readCrdManifests } from '../src/kube/index.js';
import type { KubeClients } from '../src/kube/index.js';
import { main } from '../src/main.js';
import { startSandbox } from '../src/sandbox/index.js';
import type { SandboxHandle } from '../src/sandbox/index.js';

let dir: string;
let sandbox: SandboxHandle;
let clients: KubeClients;
let kubeconfig: string;
let namespace: string;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aegis-rules-cli-'));
  kubeconfig = join(dir, 'kubeconfig');
  sandbox = await startSandbox({ nodes: 1, simulate: false, kubeconfigOut: kubeconfig });
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  namespace = `cli-${randomUUID().slice(0, 8)}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  await clients.core.createNamespace({ body: { metadata: { name: 'monitoring' } } }).catch(() => undefined);
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('aegis rule create|get|delete', () => {
  it('creates the rule and its template, lists them, refuses a second create, and deletes both', async () => {
    const file = join(dir, 'cordon.yaml');
    // The canonical example, its template reference pointing at the rule's namespace.
    await writeFile(
      file,
      [
        'apiVersion: aegis.io/v1alpha1',
        'kind: AegisAlertOpsRule',
        'metadata: {name: nodehasemergencyevent}',
        'spec:',
        '  alertConditions: [{type: NodeHasEmergencyEvent, status: Firing}]',
        '  opsTemplate: {kind: AegisOpsTemplate, apiVersion: aegis.io/v1alpha1, name: nodehasemergencyevent}',
        '---',
        'apiVersion: aegis.io/v1alpha1',
        'kind: AegisOpsTemplate',
        'metadata: {name: nodehasemergencyevent}',
        'spec:',
        '  manifest: |',
        '    apiVersion: argoproj.io/v1alpha1',
        '    kind: Workflow',
        '    spec:',
        '      entrypoint: start',
        '      templates:',
        '      - name: start',
        '        container: {image: bitnami/kubectl:latest, command: [/bin/bash, -c, "kubectl cordon {{.node}}"]}',
      ].join('\n'),
    );
    const created = await run('rule', 'create', file, '-n', namespace, '--kubeconfig', kubeconfig);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout.split('\n')).toEqual([
      `aegisopstemplate.aegis.io/nodehasemergencyevent created (namespace ${namespace})`,
      `aegisalertopsrule.aegis.io/nodehasemergencyevent created (namespace ${namespace})`,
      '',
    ]);

    const again = await run('rule', 'create', file, '-n', namespace, '--kubeconfig', kubeconfig);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    const listed = await run('rule', 'get', '-n', namespace, '--kubeconfig', kubeconfig);
    expect(listed.code).toBe(0);
    const [header, row] = listed.stdout.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'STATUS', 'TEMPLATE', 'TEMPLATESTATUS']);
    expect(row?.split(/\s+/)).toEqual(['nodehasemergencyevent', `${namespace}/nodehasemergencyevent`]);

    const all = await run('rule', 'get', '-A', '--kubeconfig', kubeconfig);
    expect(all.stdout).toMatch(/^NAMESPACE\s+NAME/);

    const missing = await run('rule', 'get', 'nope', '-n', namespace, '--kubeconfig', kubeconfig);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`AegisAlertOpsRule ${namespace}/nope not found`);

    const deleted = await run(
      'rule',
      'delete',
      'nodehasemergencyevent',
      '-n',
      namespace,
      '--kubeconfig',
      kubeconfig,
    );
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('aegisalertopsrule.aegis.io/nodehasemergencyevent deleted');
    expect(deleted.stdout).toContain('aegisopstemplate.aegis.io/nodehasemergencyevent deleted');
    const empty = await run('rule', 'get', '-n', namespace, '--kubeconfig', kubeconfig);
    expect(empty.stdout).toBe(`No rules found in namespace ${namespace}.\n`);
  });

  it('creates nothing from a file with problems', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'apiVersion: aegis.io/v1alpha1\nkind: AegisAlertOpsRule\nmetadata: {name: bad}\nspec:\n  alertConditions: [{type: "(", status: Firing}]\n  opsTemplate: {kind: AegisOpsTemplate, name: t}\n',
    );
    const result = await run('rule', 'create', file, '-n', namespace, '--kubeconfig', kubeconfig);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('spec.alertConditions[0].type');
    expect(result.stderr).toContain('nothing was created');
  });
});
