import { randomUUID } from 'node:crypto';
import { Socket as NetSocket, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  controllerOwnerKey,
  createInformerManager,
  createWatchSource,
  reconcileDone,
  startController,
  watchInput,
} from '../src/controller/runtime/index.js';
import type { Controller, WatchEvent, WatchSource, WatchedObject } from '../src/controller/runtime/index.js';
import { createKubeClients } from '../src/kube/index.js';
import type { KubeClients } from '../src/kube/index.js';
import { startRedisProcess } from '../src/platform/index.js';
import type { RedisProcess } from '../src/platform/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import type { SandboxHandle } from '../src/sandbox/index.js';
import { sleep, waitFor } from './controller-runtime-helpers.js';

interface ConfigMap extends WatchedObject {
  data?: Record<string, string>;
}

let sandbox: SandboxHandle;
let redis: RedisProcess;
let clients: KubeClients;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [sandbox, redis] = await Promise.all([startSandbox({ nodes: 1, simulate: false }), startRedisProcess()]);
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await Promise.all([sandbox.close(), redis.stop()]);
});

function configMaps(namespace: string, target: KubeClients = clients): WatchSource<ConfigMap> {
  const source = createWatchSource<ConfigMap>(
    target,
    { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespace },
    { initialRestartDelayMs: 50, maxRestartDelayMs: 500 },
  );
  return source;
}

async function freshNamespace(): Promise<string> {
  const name = `t-${randomUUID().slice(0, 8)}`;
  await clients.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

function record<T extends WatchedObject>(source: WatchSource<T>): string[] {
  const seen: string[] = [];
  source.onChange((event: WatchEvent<T>) => seen.push(`${event.type}:${event.object.metadata?.name}`));
  return seen;
}

describe('watch source', () => {
  it('is shared per resource by the manager, and hands a late subscriber what it already holds', async () => {
    const namespace = await freshNamespace();
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'before' } } });
    const informers = createInformerManager(clients);
    const resource = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespace };
    const first = informers.informer<ConfigMap>(resource);
    expect(informers.informer<ConfigMap>({ ...resource })).toBe(first);
    expect(informers.informer<ConfigMap>({ ...resource, namespace: 'other' })).not.toBe(first);
    const early = record(first);
    await first.start();
    cleanups.push(() => first.stop());
    await first.waitForSync(5_000);
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'after' } } });
    await waitFor('the early subscriber sees the create', () => early.includes('add:after'));

    const late = record(informers.informer<ConfigMap>(resource));
    expect(late.sort()).toEqual(['add:after', 'add:before']);
    await clients.core.deleteNamespacedConfigMap({ namespace, name: 'before' });
    await waitFor('both subscribers see the delete', () => late.includes('delete:before'));
    expect(early).toEqual(['add:before', 'add:after', 'delete:before']);
  });

  it('lists, then sees creates, updates and deletes; its cache is read-only', async () => {
    const namespace = await freshNamespace();
    await clients.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'before' }, data: { v: '0' } },
    });
    const source = configMaps(namespace);
    const seen = record(source);
    await source.start();
    cleanups.push(() => source.stop());
    await source.waitForSync(5_000);
    expect(source.hasSynced).toBe(true);
    expect(seen).toEqual(['add:before']);

    await clients.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'cm' }, data: { v: '1' } },
    });
    await waitFor('add', () => seen.includes('add:cm'));
    await clients.core.replaceNamespacedConfigMap({
      namespace,
      name: 'cm',
      body: { metadata: { name: 'cm' }, data: { v: '2' } },
    });
    await waitFor('update', () => source.get(namespace, 'cm')?.data?.['v'] === '2');
    expect(seen).toContain('update:cm');
    expect(
      source
        .list()
        .map((object) => object.metadata?.name)
        .sort(),
    ).toEqual(['before', 'cm']);

    const cached = source.get(namespace, 'cm')!;
    expect(() => {
      (cached.data as Record<string, string>)['v'] = 'mutated';
    }).toThrow(TypeError);
    expect(source.get(namespace, 'cm')?.data?.['v']).toBe('2');
    const listed = source.list();
    listed.length = 0;
    expect(source.list()).toHaveLength(2);

    await clients.core.deleteNamespacedConfigMap({ namespace, name: 'cm' });
    await waitFor('delete', () => seen.includes('delete:cm'));
    expect(source.get(namespace, 'cm')).toBeUndefined();
  });

  it('watches a custom resource (Argo Workflow) cluster-wide', async () => {
    const namespace = await freshNamespace();
    const source = createWatchSource(clients, {
      group: 'argoproj.io',
      version: 'v1alpha1',
      plural: 'workflows',
    });
    const seen = record(source);
    await source.start();
    cleanups.push(() => source.stop());
    await source.waitForSync(5_000);
    await clients.customObjects.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'workflows',
      body: workflow('wf-1', 'parent'),
    });
    await waitFor('workflow add', () => seen.includes('add:wf-1'));
    expect(source.get(namespace, 'wf-1')?.metadata?.ownerReferences?.[0]?.name).toBe('parent');
  });

  it('recovers after its watch connection drops, and after the API server is unreachable for a while', async () => {
    const namespace = await freshNamespace();
    const proxy = await startProxy(new URL(sandbox.url).port);
    cleanups.push(() => proxy.close());
    const proxied = createKubeClients({ yaml: sandbox.kubeconfig.replace(sandbox.url, proxy.url) });
    const source = configMaps(namespace, proxied);
    const seen = record(source);
    await source.start();
    cleanups.push(() => source.stop());
    await source.waitForSync(5_000);

    proxy.dropConnections();
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'after-drop' } } });
    await waitFor('event after the drop', () => seen.includes('add:after-drop'));

    await proxy.pause();
    await clients.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'during-outage' } },
    });
    await sleep(300); // several failed restarts (50 ms backoff, doubling)
    expect(seen).not.toContain('add:during-outage');
    await proxy.resume();
    await waitFor('event from the outage', () => seen.includes('add:during-outage'));
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'after-outage' } } });
    await waitFor('event after the outage', () => seen.includes('add:after-outage'));
    console.log(`watch recovery: proxy connections opened ${proxy.connections()}`);
  });

  it('relists after 410 Gone and reports objects deleted meanwhile', async () => {
    const namespace = await freshNamespace();
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'doomed' } } });
    const proxy = await startProxy(new URL(sandbox.url).port);
    cleanups.push(() => proxy.close());
    const proxied = createKubeClients({ yaml: sandbox.kubeconfig.replace(sandbox.url, proxy.url) });
    const source = configMaps(namespace, proxied);
    const seen = record(source);
    await source.start();
    cleanups.push(() => source.stop());
    await source.waitForSync(5_000);
    const listsBefore = proxy.lists();

    await proxy.pause();
    await clients.core.deleteNamespacedConfigMap({ namespace, name: 'doomed' });
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'born' } } });
    await proxy.resume({ expireNextWatch: true });
    await waitFor('relist', () => seen.includes('delete:doomed') && seen.includes('add:born'));
    expect(proxy.expiredWatches()).toBe(1);
    expect(proxy.lists()).toBeGreaterThan(listsBefore);
    expect(source.list().map((object) => object.metadata?.name)).toEqual(['born']);
  });
});

describe('controller', () => {
  async function controllerFor(
    namespace: string,
    reconcile: Parameters<typeof startController>[0]['reconcile'],
    extra: { prefix?: string; withWorkflows?: boolean; concurrency?: number } = {},
  ): Promise<{ controller: Controller; source: WatchSource<ConfigMap> }> {
    const source = configMaps(namespace);
    const inputs = [watchInput(source)];
    if (extra.withWorkflows === true) {
      const workflows = createWatchSource(clients, {
        group: 'argoproj.io',
        version: 'v1alpha1',
        plural: 'workflows',
        namespace,
      });
      inputs.push(watchInput(workflows, controllerOwnerKey({ kind: 'ConfigMap' })));
    }
    const controller = await startController({
      name: 'configmaps',
      sources: inputs,
      reconcile,
      redisUrl: redis.url,
      prefix: extra.prefix ?? `t-${randomUUID()}`,
      concurrency: extra.concurrency ?? 4,
      lockedRetryDelayMs: 20,
    });
    cleanups.push(() => controller.stop());
    await controller.waitForSync(5_000);
    return { controller, source };
  }

  it('reconciles the last state of an object updated 100 times, in far fewer runs', async () => {
    const namespace = await freshNamespace();
    await clients.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'hot' }, data: { v: '0' } },
    });
    const seen: string[] = [];
    const holder: { source?: WatchSource<ConfigMap> } = {};
    holder.source = (
      await controllerFor(namespace, async (key) => {
        seen.push(holder.source?.get(key.namespace, key.name)?.data?.['v'] ?? 'missing');
        await sleep(10);
        return reconcileDone;
      })
    ).source;
    for (let version = 1; version <= 100; version += 1) {
      await clients.core.replaceNamespacedConfigMap({
        namespace,
        name: 'hot',
        body: { metadata: { name: 'hot' }, data: { v: String(version) } },
      });
    }
    await waitFor('the last state to be reconciled', () => seen.at(-1) === '100');
    await sleep(300);
    console.log(`controller burst: 1 create + 100 updates -> ${seen.length} reconciles`);
    expect(seen.at(-1)).toBe('100');
    expect(seen.length).toBeLessThan(60);
  });

  it('maps a workflow event to its owner, and resyncs every cached key', async () => {
    const namespace = await freshNamespace();
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'parent' } } });
    const reconciled: string[] = [];
    const { controller } = await controllerFor(
      namespace,
      (key) => {
        reconciled.push(key.name);
        return Promise.resolve(reconcileDone);
      },
      { withWorkflows: true },
    );
    await waitFor('initial reconcile', () => reconciled.includes('parent'));
    reconciled.length = 0;
    await clients.customObjects.createNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'workflows',
      body: workflow('child', 'parent'),
    });
    await waitFor('owner reconcile', () => reconciled.includes('parent'));
    expect(reconciled).not.toContain('child');
    reconciled.length = 0;
    expect(await controller.resync()).toBe(1);
    await waitFor('resync reconcile', () => reconciled.includes('parent'));
  });

  it('two controllers on one prefix share the work and never overlap on a key', async () => {
    const namespace = await freshNamespace();
    const prefix = `t-${randomUUID()}`;
    const active = new Set<string>();
    let overlaps = 0;
    const runs = [0, 0];
    const reconcileAs = (index: 0 | 1) => async (key: { name: string }) => {
      if (active.has(key.name)) overlaps += 1;
      active.add(key.name);
      runs[index]! += 1;
      await sleep(50);
      active.delete(key.name);
      return reconcileDone;
    };
    // Two slots each and 50 ms runs: neither controller can drain 20 keys before the other takes some.
    await controllerFor(namespace, reconcileAs(0), { prefix, concurrency: 2 });
    await controllerFor(namespace, reconcileAs(1), { prefix, concurrency: 2 });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `cm-${index}` } } }),
      ),
    );
    await waitFor(`20 runs (so far ${runs[0]} + ${runs[1]})`, () => runs[0]! + runs[1]! >= 20);
    console.log(`two controllers: 20 objects -> runs ${runs[0]} + ${runs[1]}, overlaps ${overlaps}`);
    expect(overlaps).toBe(0);
    expect(runs[0]).toBeGreaterThan(0);
    expect(runs[1]).toBeGreaterThan(0);
  });
});

function workflow(name: string, owner: string): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name,
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: 'u-1', controller: true }],
    },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox' } }] },
  };
}

/**
 * A TCP proxy in front of the sandbox, to cut watch connections, simulate an unreachable API server, and
 * answer one watch with the `ERROR` event (410 Expired) an API server sends when a resourceVersion is too old.
 */
async function startProxy(targetPort: string): Promise<{
  url: string;
  dropConnections(): void;
  pause(): Promise<void>;
  resume(options?: { expireNextWatch?: boolean }): Promise<void>;
  connections(): number;
  lists(): number;
  expiredWatches(): number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let opened = 0;
  let lists = 0;
  let expired = 0;
  let expireNextWatch = false;
  let port = 0;
  const expiredReply = (): string => {
    const line = `${JSON.stringify({
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 },
    })}\n`;
    const head =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    return `${head}${Buffer.byteLength(line).toString(16)}\r\n${line}\r\n0\r\n\r\n`;
  };
  const listen = async (): Promise<Server> => {
    const server = createServer((client) => {
      opened += 1;
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => undefined);
      client.once('data', (first: Buffer) => {
        const request = first.toString('latin1');
        if (expireNextWatch && request.includes('watch=true')) {
          expireNextWatch = false;
          expired += 1;
          client.end(expiredReply());
          return;
        }
        const upstream = new NetSocket();
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => undefined);
        upstream.connect(Number(targetPort), '127.0.0.1');
        const count = (chunk: Buffer): void => {
          const text = chunk.toString('latin1');
          if (/^GET \S*\/configmaps(\?(?!.*watch=true)\S*)? HTTP/m.test(text)) lists += 1;
        };
        count(first);
        upstream.write(first);
        client.on('data', count);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
    return server;
  };
  let server: Server | undefined = await listen();
  const dropConnections = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  const pause = async (): Promise<void> => {
    const current = server;
    server = undefined;
    dropConnections();
    if (current !== undefined) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    dropConnections,
    pause,
    resume: async (options = {}) => {
      expireNextWatch = options.expireNextWatch ?? false;
      server = await listen();
    },
    connections: () => opened,
    lists: () => lists,
    expiredWatches: () => expired,
    close: pause,
  };
}
