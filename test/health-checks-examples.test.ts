/**
 * examples/healthchecks: the check scripts really print a results block Aegis parses (run with sh, with
 * stand-ins for nvidia-smi, dmesg and wget on PATH), the example runs on the sandbox as its README says, and
 * `aegis check node --wait` / `aegis check list` show what a user would see.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { RunningHealthChecks } from '../src/controller/healthchecks/index.js';
import { parseCheckResults } from '../src/core/health-checks/index.js';
import type { AegisClusterHealthCheck } from '../src/core/resources/index.js';
import { main } from '../src/main.js';
import { waitFor } from './controller-runtime-helpers.js';
import {
  annotateNode,
  failingLog,
  group,
  runHealthChecks,
  startHealthFixture,
  version,
  type HealthFixture,
} from './health-check-fixture.js';

const run = promisify(execFile);
const examples = new URL('../examples/healthchecks/', import.meta.url);

async function example(file: string): Promise<Record<string, unknown>> {
  return YAML.parse(await readFile(new URL(file, examples), 'utf8')) as Record<string, unknown>;
}

describe('the check scripts', () => {
  it('print a results block that Aegis parses, with failing and passing items', async () => {
    const configMap = (await example('check-scripts.yaml')) as { data: Record<string, string> };
    const dir = await mkdtemp(join(tmpdir(), 'aegis-checks-'));
    const scripts = join(dir, 'node-checks');
    const bin = join(dir, 'bin');
    await mkdir(scripts);
    await mkdir(bin);
    for (const [file, text] of Object.entries(configMap.data)) await writeFile(join(scripts, file), text);
    const stub = async (name: string, body: string): Promise<void> => {
      await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
      await chmod(join(bin, name), 0o755);
    };
    await stub(
      'nvidia-smi',
      'for i in 0 1 2 3 4 5; do echo "GPU $i: NVIDIA H100 80GB HBM3 (UUID: GPU-$i)"; done',
    );
    await stub('dmesg', 'echo "[12.5] NVRM: Xid (PCI:0000:1b:00): 79, pid=1, GPU has fallen off the bus."');
    await stub('wget', 'echo ok');
    const { stdout } = await run('sh', [join(scripts, 'run-checks.sh')], {
      env: { PATH: `${bin}:/usr/bin:/bin`, NODE_NAME: 'gpu-7' },
    });
    const parsed = parseCheckResults(stdout);
    expect(parsed).toEqual({
      ok: true,
      results: {
        disk: expect.any(Array) as unknown,
        gpu: [
          {
            item: 'gpu-count',
            condition: 'GpuCountMismatch',
            level: 'critical',
            status: true,
            message: '6 of 8 GPUs visible',
          },
          {
            item: 'xid',
            condition: 'XidErrors',
            level: 'critical',
            status: true,
            message: '1 Xid error(s), last: Xid (PCI:0000:1b:00): 79, pid=1, GPU has fallen off the bus.',
          },
        ],
        kubelet: [
          {
            item: 'healthz',
            condition: 'KubeletUnhealthy',
            level: 'critical',
            status: false,
            message: 'kubelet /healthz answered ok',
          },
        ],
      },
    });
  });
});

describe('examples/healthchecks on the sandbox', () => {
  let fixture: HealthFixture;
  let running: RunningHealthChecks;
  let kubeconfig: string;

  const cli = async (...argv: string[]): Promise<{ code: number; stdout: string }> => {
    let stdout = '';
    const code = await main([...argv, '-n', 'aegis-healthchecks', '--kubeconfig', kubeconfig], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stdout += text),
    });
    return { code, stdout };
  };

  beforeAll(async () => {
    fixture = await startHealthFixture(3); // node-1 without GPUs, node-2 and node-3 with
    kubeconfig = join(await mkdtemp(join(tmpdir(), 'aegis-hc-')), 'kubeconfig');
    await writeFile(kubeconfig, fixture.sandbox.kubeconfig);
    await fixture.clients.core.createNamespace({ body: { metadata: { name: 'aegis-healthchecks' } } });
    await fixture.clients.core.createNamespacedConfigMap({
      namespace: 'aegis-healthchecks',
      body: await example('check-scripts.yaml'),
    });
    running = await runHealthChecks(fixture);
    await fixture.clients.customObjects.createNamespacedCustomObject({
      group,
      version,
      namespace: 'aegis-healthchecks',
      plural: 'aegisclusterhealthchecks',
      body: await example('cluster-check.yaml'),
    });
  });

  afterAll(async () => {
    await running?.stop();
    await fixture?.close();
  });

  it('checks the GPU nodes, and `aegis check node --wait` reports a node made to fail', async () => {
    let check: AegisClusterHealthCheck | undefined;
    await waitFor(
      'the first round',
      async () => {
        check = (await fixture.clients.customObjects.getNamespacedCustomObject({
          group,
          version,
          namespace: 'aegis-healthchecks',
          plural: 'aegisclusterhealthchecks',
          name: 'gpu-nodes',
        })) as AegisClusterHealthCheck;
        return check.status?.phase === 'Completed';
      },
      20_000,
    );
    expect(check?.status).toMatchObject({
      desired: 2,
      succeeded: 2,
      failed: 0,
      checkResults: { results: [] },
    });

    const list = await cli('check', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^NAME\s+SCHEDULE\s+PHASE\s+ROUND\s+NODES\s+FAILING\s+UNCHECKED\s+LAST COMPLETED\n/,
    );
    expect(list.stdout).toMatch(/gpu-nodes\s+\*\/30 \* \* \* \*\s+Completed\s+1\s+2\/2\s+0\s+0\s+20\d\d-/);

    await annotateNode(fixture, 'node-3', {
      'sandbox.aegis.io/pod-log.checker': failingLog('6 of 8 GPUs visible'),
    });
    const result = await cli('check', 'node', 'node-3', '--wait', '--timeout', '20');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^aegisnodehealthcheck aegis-healthchecks\/gpu-nodes-node-3-\d{14} created\n/,
    );
    expect(result.stdout).toContain(
      'node node-3 Succeeded\n  FAIL gpu/gpu-count (GpuCountMismatch): 6 of 8 GPUs visible\n',
    );

    const healthy = await cli('check', 'node', 'node-2', '--wait', '--timeout', '20');
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('ok   kubelet/healthz (KubeletUnhealthy): kubelet /healthz answered ok');
  });
});
