/**
 * `aegis rule create NAME --alert-type T --ops-file script.sh` (upstream aegiscli parity), against the sandbox
 * through the CLI: the script lands in a ConfigMap, the template mounts it and passes alert values as
 * environment variables, the rule matches the type (and labels); --dry-run creates nothing; a taken name is
 * refused before anything is written.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createKubeClients, installCrds, readCrdManifests, type KubeClients } from '../src/kube/index.js';
import { main } from '../src/main.js';
import { startSandbox, type SandboxHandle } from '../src/sandbox/index.js';

let dir: string;
let sandbox: SandboxHandle;
let clients: KubeClients;
let kubeconfig: string;
let namespace: string;
let script: string;
const scriptText =
  '#!/bin/sh\nset -eu\necho "dropping caches on $AEGIS_NODE"\nsync; echo 3 > /proc/sys/vm/drop_caches\n';

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
  dir = await mkdtemp(join(tmpdir(), 'aegis-rule-script-'));
  kubeconfig = join(dir, 'kubeconfig');
  sandbox = await startSandbox({ nodes: 1, simulate: false, kubeconfigOut: kubeconfig });
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  namespace = `script-${randomUUID().slice(0, 8)}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  script = join(dir, 'drop caches.sh');
  await writeFile(script, scriptText);
}, 30_000);
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

const custom = (plural: string, name: string) =>
  clients.customObjects.getNamespacedCustomObject({
    group: 'aegis.io',
    version: 'v1alpha1',
    namespace,
    plural,
    name,
  });

describe('aegis rule create NAME --ops-file', () => {
  it('--dry-run prints the ConfigMap, template and rule and creates nothing', async () => {
    const result = await run(
      'rule',
      'create',
      'dry',
      '--alert-type',
      'NodeMemoryPressure',
      '--ops-file',
      script,
      '-n',
      namespace,
      '--dry-run',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const kinds = YAML.parseAllDocuments(result.stdout).map(
      (document) => (document.toJS() as { kind: string }).kind,
    );
    expect(kinds).toEqual(['ConfigMap', 'AegisOpsTemplate', 'AegisAlertOpsRule']);
    await expect(custom('aegisalertopsrules', 'dry')).rejects.toThrow();
  });

  it('creates the script ConfigMap, a template that mounts it, and the rule; the template renders for an alert', async () => {
    const result = await run(
      'rule',
      'create',
      'drop-caches',
      '--alert-type',
      'NodeHasEmergencyEvent',
      '--ops-file',
      script,
      '--label-selector',
      'team=gpu',
      '-n',
      namespace,
      '--kubeconfig',
      kubeconfig,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('aegisalertopsrule.aegis.io/drop-caches created');
    const configMap = await clients.core.readNamespacedConfigMap({
      namespace,
      name: 'drop-caches-ops-script',
    });
    expect(configMap.data).toEqual({ 'drop_caches.sh': scriptText });
    const rule = (await custom('aegisalertopsrules', 'drop-caches')) as { spec: Record<string, unknown> };
    expect(rule.spec).toMatchObject({
      alertConditions: [{ type: 'NodeHasEmergencyEvent', status: 'Firing' }],
      selector: { matchLabels: { team: 'gpu' } },
      opsTemplate: { kind: 'AegisOpsTemplate', namespace, name: 'drop-caches' },
    });
    const template = await custom('aegisopstemplates', 'drop-caches');
    const templateFile = join(dir, 'template.yaml');
    await writeFile(templateFile, YAML.stringify(template));
    const rendered = await run(
      'template',
      'render',
      '--template',
      templateFile,
      '--alert',
      'examples/alerts/custom-node-firing.json',
    );
    expect(rendered.stderr).toBe('');
    expect(rendered.code).toBe(0);
    // The script runs on the alert's node from the mounted ConfigMap; the node name is an env value, not code.
    expect(rendered.stdout).toContain('kubernetes.io/hostname: dev1');
    expect(rendered.stdout).toContain('/aegis/ops/drop_caches.sh');
    expect(rendered.stdout).toMatch(/name: AEGIS_NODE\s+value: dev1/);
    expect(rendered.stdout).toContain('name: drop-caches-ops-script');
  });

  it('refuses a name that is taken, and a bad --ops-target or selector, before writing anything', async () => {
    const again = await run(
      'rule',
      'create',
      'drop-caches',
      '--alert-type',
      'X',
      '--ops-file',
      script,
      '-n',
      namespace,
      '--kubeconfig',
      kubeconfig,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `aegis: AegisOpsTemplate ${namespace}/drop-caches already exists; nothing was created\n`,
    );
    const target = await run(
      'rule',
      'create',
      'x',
      '--alert-type',
      'X',
      '--ops-file',
      script,
      '--ops-target',
      'Cluster',
      '--dry-run',
    );
    expect(target.stderr).toBe('aegis: --ops-target "Cluster": expected Node or Pod\n');
    const selector = await run(
      'rule',
      'create',
      'x',
      '--alert-type',
      'X',
      '--ops-file',
      script,
      '--label-selector',
      'novalue',
      '--dry-run',
    );
    expect(selector.stderr).toBe('aegis: --label-selector "novalue": expected key=value\n');
    const missing = await run('rule', 'create', 'x', '--ops-file', script, '--dry-run');
    expect(missing.stderr).toBe('aegis: --ops-file needs --alert-type (the alert type the rule matches)\n');
  });
});
