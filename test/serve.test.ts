import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type RunningServe } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { readCrdManifests } from '../src/kube/index.js';
import { findFreePort, pingRedis } from '../src/platform/index.js';

const aegisKinds = [
  'AegisAlert',
  'AegisAlertOpsRule',
  'AegisOpsTemplate',
  'AegisDiagnosis',
  'AegisNodeHealthCheck',
  'AegisClusterHealthCheck',
  'AegisSilence',
];

async function hasKubectl(): Promise<boolean> {
  try {
    await promisify(execFile)('kubectl', ['version', '--client'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

describe('aegis serve on the sandbox (end to end, in-process)', () => {
  let stateDir: string;
  let running: RunningServe;
  const printed: string[] = [];

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'aegis-serve-'));
    const config = loadConfig({
      AEGIS_SANDBOX: 'true',
      AEGIS_HTTP_HOST: '127.0.0.1',
      AEGIS_HTTP_PORT: String(await findFreePort()),
      AEGIS_STATE_DIR: stateDir,
      // REDIS_URL unset: serve starts its own redis-server on a free port.
    });
    running = await startServe(config, { logger: silentLogger, print: (text) => void printed.push(text) });
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${running.httpUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready: Redis and the sandbox API server both answer', async () => {
    await expect
      .poll(async () => (await fetch(`${running.httpUrl}/readyz`)).status, { timeout: 10_000 })
      .toBe(200);
    const body = (await (await fetch(`${running.httpUrl}/readyz`)).json()) as {
      checks: { name: string; status: string }[];
    };
    expect(body.checks.map((check) => `${check.name}:${check.status}`)).toEqual([
      'startup:ok',
      'redis:ok',
      'kubernetes:ok',
    ]);
  });

  it('serves metrics', async () => {
    const response = await fetch(`${running.httpUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('process_resident_memory_bytes');
  });

  it('writes the sandbox kubeconfig and prints how to use it', () => {
    const kubeconfig = join(stateDir, 'sandbox.kubeconfig');
    expect(running.target.mode).toBe('sandbox');
    expect(running.kubeconfigPath).toBe(kubeconfig);
    expect(existsSync(kubeconfig)).toBe(true);
    expect(printed.join('')).toContain(`export KUBECONFIG=${kubeconfig}\n`);
  });

  it('installs every CRD of manifest/install into the sandbox', async () => {
    const expected = (await readCrdManifests()).map((crd) => crd.metadata?.name);
    const listed = await running.kubeClients.apiextensions.listCustomResourceDefinition();
    const names = listed.items.map((crd) => crd.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(expected));
  });

  it('lists the seven aegis.io kinds', async () => {
    const listed = await running.kubeClients.apiextensions.listCustomResourceDefinition();
    const kinds = listed.items
      .filter((crd) => crd.spec.group === 'aegis.io')
      .map((crd) => crd.spec.names.kind);
    expect([...kinds].sort()).toEqual([...aegisKinds].sort());
  });

  it('lets kubectl reach the sandbox through the printed kubeconfig', async (context) => {
    if (!(await hasKubectl())) context.skip();
    const { stdout } = await promisify(execFile)('kubectl', ['get', 'crds', '-o', 'name'], {
      env: { ...process.env, KUBECONFIG: running.kubeconfigPath },
      timeout: 30_000,
    });
    const expected = (await readCrdManifests()).map(
      (crd) => `customresourcedefinition.apiextensions.k8s.io/${crd.metadata?.name}`,
    );
    expect(stdout.trim().split('\n')).toEqual(expect.arrayContaining(expected));
  });

  it('stops HTTP, its own Redis and the sandbox on close', async () => {
    const redisPort = Number(new URL(running.redisUrl).port);
    const sandboxUrl = running.kubeClients.server;
    await running.close();
    await expect(fetch(`${running.httpUrl}/healthz`)).rejects.toThrow();
    await expect(pingRedis('127.0.0.1', redisPort, 500)).rejects.toThrow();
    await expect(fetch(`${sandboxUrl}/version`)).rejects.toThrow();
  });
});
