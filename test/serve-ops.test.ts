/**
 * The ops loop inside `aegis serve` on the sandbox, exactly as the README's walkthrough runs it: the cordon
 * example applied, the example alert posted, a Workflow running `kubectl cordon dev1`, the alert's status
 * flowing Firing → Triggered Pending → Running → Succeeded.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startServe, type RunningServe } from '../src/cli/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { findFreePort } from '../src/platform/index.js';

interface AlertObject {
  metadata: { name: string };
  spec: { type: string };
  status?: {
    status?: string;
    opsStatus?: { triggerStatus?: string; alertOpsStatus?: string; workflowName?: string; message?: string };
  };
}

let running: RunningServe;
let stateDir: string;
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: 'monitoring' };
const repoFile = async (path: string): Promise<string> =>
  await readFile(new URL(`../${path}`, import.meta.url), 'utf8');

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function alertOfType(type: string): Promise<AlertObject | undefined> {
  const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
    ...aegis,
    plural: 'aegisalerts',
  })) as {
    items: AlertObject[];
  };
  return list.items.find((item) => item.spec.type === type);
}

async function post(body: string): Promise<number> {
  const response = await fetch(`${running.httpUrl}/default/alert`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  return response.status;
}

describe('aegis serve: the ops loop on the sandbox', () => {
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'aegis-serve-ops-'));
    const config = loadConfig({
      AEGIS_SANDBOX: 'true',
      AEGIS_HTTP_HOST: '127.0.0.1',
      AEGIS_HTTP_PORT: String(await findFreePort()),
      AEGIS_STATE_DIR: stateDir,
    });
    running = await startServe(config, { logger: silentLogger, print: () => undefined });
    for (const [file, plural] of [
      ['examples/cordon-on-emergency/template.yaml', 'aegisopstemplates'],
      ['examples/cordon-on-emergency/rule.yaml', 'aegisalertopsrules'],
    ] as const) {
      const body = YAML.parse(await repoFile(file)) as object;
      await running.kubeClients.customObjects.createNamespacedCustomObject({ ...aegis, plural, body });
    }
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('runs the cordon example end to end', async () => {
    expect(await post(await repoFile('examples/alerts/custom-node-firing.json'))).toBe(202);
    const done = await waitFor(async () => {
      const alert = await alertOfType('NodeHasEmergencyEvent');
      return alert?.status?.opsStatus?.alertOpsStatus === 'Succeeded' ? alert : undefined;
    });
    expect(done.status?.opsStatus?.triggerStatus).toBe('Triggered');
    const workflow = (await running.kubeClients.customObjects.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'monitoring',
      plural: 'workflows',
      name: done.status?.opsStatus?.workflowName ?? '',
    })) as { spec: { templates: { container?: { command?: string[] } }[] } };
    expect(workflow.spec.templates[0]?.container?.command?.join(' ')).toContain('kubectl cordon dev1');
  });

  it('refuses a hostile node value and runs nothing', async () => {
    const hostile = JSON.parse(await repoFile('examples/alerts/custom-node-firing.json')) as {
      details: Record<string, string>;
      fingerprint: string;
    };
    hostile.details['node'] = 'dev1; reboot';
    hostile.fingerprint = 'hostile-1';
    expect(await post(JSON.stringify(hostile))).toBe(202);
    const refused = await waitFor(async () => {
      const list = (await running.kubeClients.customObjects.listNamespacedCustomObject({
        ...aegis,
        plural: 'aegisalerts',
      })) as {
        items: AlertObject[];
      };
      return list.items.find((a) => a.status?.opsStatus?.triggerStatus === 'TemplateUnsafe');
    });
    expect(refused.status?.opsStatus?.message).toContain(';');
    expect(refused.status?.opsStatus?.workflowName).toBeUndefined();
  });
});
