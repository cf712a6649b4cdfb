/**
 * Rules and templates that exist before Aegis starts get their status reconciled at start-up, not only at the
 * next periodic resync: the rule controller shares its watch with the rule matcher, and a late subscriber of a
 * shared watch is handed the objects already cached as ADDED events.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startOps, type RunningOps } from '../src/cli/start-ops.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createKubeClients, installCrds, readCrdManifests, type KubeClients } from '../src/kube/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import { startSandbox, type SandboxHandle } from '../src/sandbox/index.js';
import { waitFor } from './controller-runtime-helpers.js';

const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: 'monitoring' };
let sandbox: SandboxHandle;
let redis: RedisProcess;
let clients: KubeClients;
let http: HttpServer;
let ops: RunningOps | undefined;

async function example(file: string): Promise<{ metadata: { name: string } }> {
  const text = await readFile(new URL(`../examples/cordon-on-emergency/${file}`, import.meta.url), 'utf8');
  return parse(text) as { metadata: { name: string } };
}

async function statusOf(plural: string, name: string): Promise<string | undefined> {
  const object = (await clients.customObjects.getNamespacedCustomObject({ ...aegis, plural, name })) as {
    status?: { status?: string };
  };
  return object.status?.status;
}

beforeAll(async () => {
  [sandbox, redis] = await Promise.all([startSandbox({ nodes: 1, simulate: false }), startRedisProcess()]);
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await installCrds(clients, await readCrdManifests());
  await clients.core.createNamespace({ body: { metadata: { name: aegis.namespace } } });
}, 60_000);

afterAll(async () => {
  await ops?.close();
  await http?.close();
  await Promise.all([sandbox?.close(), redis?.stop()]);
});

describe('start-up of the ops loop', () => {
  it('records rules and templates applied before Aegis started', async () => {
    const template = await example('template.yaml');
    const rule = await example('rule.yaml');
    await clients.customObjects.createNamespacedCustomObject({
      ...aegis,
      plural: 'aegisopstemplates',
      body: template,
    });
    await clients.customObjects.createNamespacedCustomObject({
      ...aegis,
      plural: 'aegisalertopsrules',
      body: rule,
    });
    expect(await statusOf('aegisalertopsrules', rule.metadata.name)).toBeUndefined();

    const config = loadConfig({ AEGIS_SANDBOX: 'false', REDIS_URL: redis.url });
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    http = createHttpServer({ logger: silentLogger, metrics });
    ops = await startOps(config, {
      logger: silentLogger,
      http,
      metrics,
      kubeClients: clients,
      redisUrl: redis.url,
    });
    // The periodic resync (10 min) would eventually catch it; start-up itself must. A second on a quiet
    // machine; the margin is for a loaded CI runner.
    await waitFor(
      'the pre-existing rule Recorded',
      async () => (await statusOf('aegisalertopsrules', rule.metadata.name)) === 'Recorded',
      5_000,
    );
    await waitFor(
      'the pre-existing template Recorded',
      async () => (await statusOf('aegisopstemplates', template.metadata.name)) === 'Recorded',
      5_000,
    );
  }, 60_000);

  it('shows one informer per resource and every named Redis connection in /metrics', async () => {
    const text = await (await fetch(`${await http.listen({ host: '127.0.0.1', port: 0 })}/metrics`)).text();
    const informers = text.split('\n').filter((line) => line.startsWith('aegis_informer_objects{'));
    // Rules: the matcher, the rule controller and the alert controller share one informer; templates too.
    expect(informers.filter((line) => line.includes('/aegisalertopsrules'))).toEqual([
      'aegis_informer_objects{resource="aegis.io/v1alpha1/aegisalertopsrules"} 1',
    ]);
    expect(informers.filter((line) => line.includes('/aegisopstemplates'))).toEqual([
      'aegis_informer_objects{resource="aegis.io/v1alpha1/aegisopstemplates"} 1',
    ]);
    // Each resource (and scope) has one informer, whatever else the ops loop watches.
    const resources = informers.map((line) => /resource="([^"]+)"/.exec(line)?.[1]);
    expect(new Set(resources).size).toBe(resources.length);
    expect(resources).toEqual(
      expect.arrayContaining([
        'aegis.io/v1alpha1/aegisalerts (namespace monitoring)',
        'argoproj.io/v1alpha1/workflows (namespace monitoring)',
        'aegis.io/v1alpha1/aegissilences (namespace monitoring)',
      ]),
    );
    expect(text).toContain('aegis_redis_connections{name="reconcile:aegis-rules"} 1');
    expect(text).toContain('aegis_redis_connections{name="reconcile:aegis-alerts:worker"} 1');
    expect(text).toContain('aegis_redis_connections{name="alerts:ledger"} 1');
  });
});
