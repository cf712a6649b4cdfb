import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandaloneSandbox, type RunningSandbox } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createKubeClients, readCrdManifests } from '../src/kube/index.js';
import { findFreePort } from '../src/platform/index.js';

describe('aegis sandbox', () => {
  let directory: string;
  let running: RunningSandbox;
  let port: number;
  const printed: string[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'aegis-sandbox-command-'));
    port = await findFreePort();
    const config = loadConfig({ AEGIS_STATE_DIR: directory, AEGIS_SANDBOX_NODES: '5' });
    const flags = { port, nodes: 2, kubeconfigOut: join(directory, 'out', 'kubeconfig.yaml') };
    running = await startStandaloneSandbox(config, flags, {
      logger: silentLogger,
      print: (text) => void printed.push(text),
    });
  });

  afterAll(async () => {
    await running?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('listens on the requested port and writes the kubeconfig where asked', () => {
    expect(running.url).toBe(`http://127.0.0.1:${port}`);
    expect(running.kubeconfigPath).toBe(join(directory, 'out', 'kubeconfig.yaml'));
    expect(existsSync(running.kubeconfigPath)).toBe(true);
    expect(printed.join('')).toContain(`export KUBECONFIG=${running.kubeconfigPath}\n`);
  });

  it('seeds the requested number of nodes (the flag wins over AEGIS_SANDBOX_NODES)', async () => {
    const clients = createKubeClients({ paths: [running.kubeconfigPath] });
    expect((await clients.core.listNode()).items).toHaveLength(2);
  });

  it('has the Aegis CRDs installed', async () => {
    const clients = createKubeClients({ paths: [running.kubeconfigPath] });
    const names = (await clients.apiextensions.listCustomResourceDefinition()).items.map(
      (crd) => crd.metadata?.name,
    );
    expect(names).toEqual(
      expect.arrayContaining((await readCrdManifests()).map((crd) => crd.metadata?.name)),
    );
  });
});

describe('aegis sandbox --faults', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'aegis-sandbox-faults-'));
  });
  afterAll(async () => rm(directory, { recursive: true, force: true }));

  it('starts with the plan file applied and serves the admin route', async () => {
    const planFile = join(directory, 'plan.yaml');
    await writeFile(planFile, 'rules:\n  - resource: configmaps\n    verbs: [list]\n    errorRate: 1\n    errors: [429]\n');
    const config = loadConfig({ AEGIS_STATE_DIR: directory });
    const running = await startStandaloneSandbox(
      config,
      { port: 0, nodes: 1, kubeconfigOut: join(directory, 'kubeconfig'), faults: planFile },
      { logger: silentLogger, print: () => undefined },
    );
    try {
      expect((await fetch(`${running.url}/api/v1/namespaces/default/configmaps`)).status).toBe(429);
      expect((await fetch(`${running.url}/api/v1/namespaces/default/secrets`)).status).toBe(200);
      const snapshot = (await (await fetch(`${running.url}/_sandbox/faults`)).json()) as { counts: { errors: Record<string, number> } };
      expect(snapshot.counts.errors['429']).toBe(1);
    } finally {
      await running.close();
    }
  });

  it('refuses a plan file with a mistake, naming the file and the field', async () => {
    const planFile = join(directory, 'bad.yaml');
    await writeFile(planFile, 'rules:\n  - resource: pods\n    latencyMs: -5\n');
    const config = loadConfig({ AEGIS_STATE_DIR: directory });
    await expect(
      startStandaloneSandbox(
        config,
        { port: 0, nodes: 1, kubeconfigOut: join(directory, 'kubeconfig2'), faults: planFile },
        { logger: silentLogger, print: () => undefined },
      ),
    ).rejects.toThrow(/--faults .*bad\.yaml: invalid fault plan: rules\.0\.latencyMs/);
  });
});
