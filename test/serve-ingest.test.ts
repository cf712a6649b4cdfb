/**
 * `aegis serve` on the sandbox, as the README's Quick start runs it: posting the README's example alert gives
 * one AegisAlert, a repeat raises its count, a Resolved resolves it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type RunningServe } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { findFreePort } from '../src/platform/index.js';

interface AlertObject {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { type: string; involvedObject?: { kind?: string; name?: string; node?: string } };
  status?: { status?: string; count?: number; resolvedAt?: string };
}

let running: RunningServe;
let stateDir: string;
const example = async (name: string): Promise<string> =>
  await readFile(new URL(`../examples/alerts/${name}`, import.meta.url), 'utf8');

async function alerts(): Promise<AlertObject[]> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
    group: 'aegis.io',
    version: 'v1alpha1',
    namespace: 'monitoring',
    plural: 'aegisalerts',
  })) as { items: AlertObject[] };
  return list.items;
}

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function post(body: string, path = '/default/alert'): Promise<Response> {
  return await fetch(`${running.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
}

describe('aegis serve: alert webhooks to AegisAlerts on the sandbox', () => {
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'aegis-serve-ingest-'));
    const config = loadConfig({
      AEGIS_SANDBOX: 'true',
      AEGIS_HTTP_HOST: '127.0.0.1',
      AEGIS_HTTP_PORT: String(await findFreePort()),
      AEGIS_STATE_DIR: stateDir,
      AEGIS_SYSTEM_PARAMETERS: 'cluster=sandbox',
      AEGIS_COUNT_FLUSH_INTERVAL: '50ms',
    });
    running = await startServe(config, { logger: silentLogger, print: () => undefined });
  }, 90_000);

  afterAll(async () => {
    await running?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('creates one AegisAlert for the example, counts a repeat, and resolves it', async () => {
    const firing = await example('custom-node-firing.json');
    const accepted = await post(firing);
    expect(accepted.status).toBe(202);
    // The object is created, then its status written through /status: wait for both.
    const created = await waitFor(async () =>
      (await alerts()).find((a) => a.spec.type === 'NodeHasEmergencyEvent' && a.status?.count === 1),
    );
    expect(created.metadata.name).toMatch(/^default-nodehasemergencyevent-[a-z0-9]{5}$/);
    expect(created.spec.involvedObject).toMatchObject({ kind: 'Node', name: 'dev1', node: 'dev1' });
    expect(created.metadata.labels).toMatchObject({
      'alert-type': 'NodeHasEmergencyEvent',
      'alert-status': 'Firing',
      node: 'dev1',
    });
    expect(created.status).toMatchObject({ status: 'Firing', count: 1 });

    expect((await post(firing, '/alert')).status).toBe(202);
    await waitFor(async () =>
      (await alerts()).find((a) => a.metadata.name === created.metadata.name)?.status?.count === 2
        ? true
        : undefined,
    );

    expect((await post(await example('custom-node-resolved.json'))).status).toBe(202);
    const resolved = await waitFor(async () =>
      (await alerts()).find(
        // The status (through /status) and the label (through the object) are two writes; wait for both.
        (a) =>
          a.metadata.name === created.metadata.name &&
          a.status?.status === 'Resolved' &&
          a.metadata.labels?.['alert-status'] === 'Resolved',
      ),
    );
    expect(resolved.status?.count).toBe(2);
    expect(resolved.status?.resolvedAt).toBeDefined();
    expect(resolved.metadata.labels?.['alert-status']).toBe('Resolved');
    expect(await alerts()).toHaveLength(1);
  });

  it('takes Alertmanager webhooks and refuses bad input with the reason', async () => {
    const accepted = await post(await example('alertmanager-firing.json'), '/alertmanager/alert');
    expect(accepted.status).toBe(202);
    const bad = await post(
      JSON.stringify({
        type: 'X',
        status: 'Firing',
        involvedObject: { kind: 'Pod', name: 'p' },
        fingerprint: 'f',
      }),
    );
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('namespace');
    const notJson = await post('{not json');
    expect(notJson.status).toBe(400);
  });
});
