import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
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
