/**
 * The real kubectl against the sandbox. CI machines may lack kubectl (it is not in Debian's repositories at 1.32),
 * so this file skips itself there; on machines that have it, it pins what users type.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  hasKubectl,
  kubectl,
  startFixture,
  writeManifest,
  type SandboxFixture,
} from './sandbox-fixture.js';

const available = await hasKubectl();
let fx: SandboxFixture;

const gadgetCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget, shortNames: [gd], categories: [example]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Phase, type: string, jsonPath: .status.phase}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {color: {type: string}}}
          status: {type: object, properties: {phase: {type: string}}}
`;

describe.skipIf(!available)('sandbox conformance: the real kubectl', () => {
  beforeAll(async () => {
    fx = await startFixture({ nodes: 3 });
  });
  afterAll(async () => fx?.close());

  it('applies a CRD and a custom resource, then prints the printer columns', async () => {
    const crdFile = await writeManifest(fx, 'crd.yaml', gadgetCrd);
    const applied = await kubectl(fx, ['apply', '-f', crdFile]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain(
      'customresourcedefinition.apiextensions.k8s.io/gadgets.example.com created',
    );
    const crFile = await writeManifest(
      fx,
      'cr.yaml',
      'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {color: blue}\n',
    );
    const created = await kubectl(fx, ['apply', '-f', crFile]);
    expect(created.stdout).toContain('gadget.example.com/g1 created');
    const again = await kubectl(fx, ['apply', '-f', crFile]);
    expect(again.stdout).toContain('gadget.example.com/g1 unchanged');
    const got = await kubectl(fx, ['get', 'gadgets']);
    expect(got.code).toBe(0);
    const [header, row] = got.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'COLOR', 'PHASE']);
    // A missing printer-column value is a null cell, which kubectl prints as blank (as on a real cluster).
    expect(row).toMatch(/^g1\s+blue\s*$/);
    const byCategory = await kubectl(fx, ['get', 'example']);
    // One kind in the category: kubectl prints its table as for `get gadgets` (no kind prefix).
    expect(byCategory.stdout).toMatch(/^g1\s+blue/m);
  });

  it('patches the status subresource and keeps spec untouched', async () => {
    const patched = await kubectl(fx, [
      'patch',
      'gadget',
      'g1',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"phase":"Ready"},"spec":{"color":"red"}}',
    ]);
    expect(patched.code, patched.stderr).toBe(0);
    const got = await kubectl(fx, ['get', 'gd', 'g1', '-o', 'jsonpath={.spec.color}/{.status.phase}']);
    expect(got.stdout).toBe('blue/Ready');
    const smp = await kubectl(fx, ['patch', 'gadget', 'g1', '-p', '{"spec":{"color":"red"}}']);
    expect(smp.code).not.toBe(0);
    expect(smp.stderr).toContain('application/strategic-merge-patch+json is not supported');
  });

  it('creates namespaces, config maps and secrets with protobuf bodies', async () => {
    expect((await kubectl(fx, ['create', 'namespace', 'team-a'])).stdout).toContain(
      'namespace/team-a created',
    );
    const cm = await kubectl(fx, [
      'create',
      'configmap',
      'settings',
      '-n',
      'team-a',
      '--from-literal=mode=fast',
    ]);
    expect(cm.stdout).toContain('configmap/settings created');
    const secret = await kubectl(fx, [
      'create',
      'secret',
      'generic',
      'token',
      '-n',
      'team-a',
      '--from-literal=key=s3cr3t',
    ]);
    expect(secret.stdout).toContain('secret/token created');
    const value = await kubectl(fx, ['get', 'secret', 'token', '-n', 'team-a', '-o', 'jsonpath={.data.key}']);
    expect(Buffer.from(value.stdout, 'base64').toString()).toBe('s3cr3t');
    const dup = await kubectl(fx, ['create', 'namespace', 'team-a']);
    expect(dup.stderr).toContain('Error from server (AlreadyExists): namespaces "team-a" already exists');
  });

  it('lists nodes with their status and GPU nodes by label', async () => {
    const nodes = await kubectl(fx, ['get', 'nodes']);
    const lines = nodes.stdout.trim().split('\n');
    expect(lines[0]?.split(/\s+/)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^node-1\s+Ready\s/);
    const describe = await kubectl(fx, ['describe', 'node', 'node-3']);
    expect(describe.code, describe.stderr).toBe(0);
    expect(describe.stdout).toContain('nvidia.com/gpu');
  });

  it('cordons, uncordons and drains a node', async () => {
    const pod = await writeManifest(
      fx,
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: default}\nspec: {nodeName: node-2, containers: [{name: main, image: nginx}]}\n',
    );
    expect((await kubectl(fx, ['apply', '-f', pod])).code).toBe(0);
    expect((await kubectl(fx, ['cordon', 'node-2'])).stdout).toContain('node/node-2 cordoned');
    const cordoned = await kubectl(fx, ['get', 'node', 'node-2']);
    expect(cordoned.stdout).toContain('Ready,SchedulingDisabled');
    expect((await kubectl(fx, ['uncordon', 'node-2'])).stdout).toContain('node/node-2 uncordoned');
    const drained = await kubectl(fx, ['drain', 'node-2', '--force', '--ignore-daemonsets', '--timeout=20s']);
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toContain('node/node-2 drained');
    const gone = await kubectl(fx, ['get', 'pod', 'web-1']);
    expect(gone.stderr).toContain('NotFound');
  });

  it('prints pod logs, including --previous, from the sandbox annotations', async () => {
    const pod = await writeManifest(
      fx,
      'log-pod.yaml',
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: logger',
        '  annotations:',
        '    sandbox.aegis.io/log.main: "line one\\nline two\\n"',
        '    sandbox.aegis.io/previous-log.main: "before the crash\\n"',
        'spec: {containers: [{name: main, image: busybox}]}',
        '',
      ].join('\n'),
    );
    expect((await kubectl(fx, ['apply', '-f', pod])).code).toBe(0);
    const logs = await kubectl(fx, ['logs', 'logger']);
    expect(logs.stdout).toBe('line one\nline two\n');
    expect((await kubectl(fx, ['logs', 'logger', '--tail=1'])).stdout).toBe('line two\n');
    expect((await kubectl(fx, ['logs', 'logger', '--previous'])).stdout).toBe('before the crash\n');
  });

  it('streams changes with get -w', async () => {
    await kubectl(fx, ['create', 'configmap', 'before-watch', '--from-literal=a=b']);
    const child = spawn('kubectl', [
      `--kubeconfig=${fx.kubeconfigPath}`,
      `--cache-dir=${join(fx.dir, 'cache')}`,
      'get',
      'configmaps',
      '-w',
      '--request-timeout=30s',
    ]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      // The list comes first (it holds the config map made above), then the watch streams what follows.
      await eventually(() => (output.includes('before-watch') ? true : undefined), 20_000);
      await kubectl(fx, ['create', 'configmap', 'watched-one', '--from-literal=a=b']);
      await eventually(() => (output.includes('watched-one') ? true : undefined), 20_000);
    } finally {
      child.kill();
    }
    expect(output).toMatch(/watched-one\s+1\s/);
  });

  it('deletes with a cascade: the owner goes, then its dependents', async () => {
    const owner = await kubectl(fx, [
      'create',
      'configmap',
      'owner',
      '--from-literal=a=b',
      '-o',
      'jsonpath={.metadata.uid}',
    ]);
    const dependent = await writeManifest(
      fx,
      'dependent.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dependent\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: ${owner.stdout}}]\n`,
    );
    expect((await kubectl(fx, ['apply', '-f', dependent])).code).toBe(0);
    const deleted = await kubectl(fx, ['delete', 'configmap', 'owner']);
    expect(deleted.stdout).toContain('configmap "owner" deleted');
    await eventually(async () =>
      (await kubectl(fx, ['get', 'configmap', 'dependent'])).code !== 0 ? true : undefined,
    );
  });

  it('runs a workflow through the simulated Argo controller', async () => {
    const wf = await writeManifest(
      fx,
      'wf.yaml',
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: hello}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    container: {image: busybox, command: [echo, hi]}\n',
    );
    expect((await kubectl(fx, ['create', '-f', wf])).stdout).toContain('workflow.argoproj.io/hello created');
    const waited = await kubectl(fx, [
      'wait',
      '--for=jsonpath={.status.phase}=Succeeded',
      'wf/hello',
      '--timeout=20s',
    ]);
    expect(waited.code, waited.stderr).toBe(0);
    const got = await kubectl(fx, ['get', 'wf']);
    expect(got.stdout).toMatch(/hello\s+Succeeded/);
  });
});
