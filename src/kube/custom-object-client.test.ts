/**
 * The custom-object client, the Workflow store and the event recorder against the sandbox: through the undici
 * JSON client when the kubeconfig allows it (client-node's API is not touched), and through client-node when
 * the cluster sits behind a proxy (the JSON client is not available) — same answers and the same error codes.
 */
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { isAegisError } from '../core/errors.js';
import { startSandbox, type SandboxHandle } from '../sandbox/index.js';
import {
  createCustomObjectClient,
  createEventRecorder,
  createKubeClients,
  createWorkflowStore,
  crdModel,
  customObjectErrorCodes,
  installCrds,
  type CustomResourceType,
  type KubeClients,
} from './index.js';
import { kubeJsonClientFor } from './kube-clients.js';
import type { KubeJsonRequest } from './kube-json-client.js';

const gadgets: CustomResourceType = {
  group: 'test.aegis.io',
  version: 'v1',
  plural: 'gadgets',
  kind: 'Gadget',
};

const gadgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.test.aegis.io' },
  spec: {
    group: 'test.aegis.io',
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    ],
  },
};

interface Gadget {
  metadata: { name: string; namespace: string; resourceVersion: string };
  spec?: { size?: string };
  status?: { phase?: string; count?: number };
}

/** client-node's CustomObjectsApi that fails the test if any of its methods is called. */
const refusingCustomObjects = new Proxy(
  {},
  {
    get: (_target, property) => () => {
      throw new Error(`client-node customObjects.${String(property)} called`);
    },
  },
) as KubeClients['customObjects'];

let sandbox: SandboxHandle;
let proxy: http.Server;
let proxyUrl: string;
let proxied: string[] = [];
const tunnels = new Set<Duplex>();

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1, simulate: false });
  await installCrds(createKubeClients({ yaml: sandbox.kubeconfig }), [crdModel(gadgetCrd)]);
  // A forward proxy as client-node uses it (hpagent: CONNECT, then HTTP through the tunnel), recording the
  // request lines that pass through.
  proxy = http.createServer((_incoming, outgoing) => {
    outgoing.writeHead(405);
    outgoing.end();
  });
  proxy.on('connect', (incoming: http.IncomingMessage, client: Duplex, head: Buffer) => {
    const [host = '', port = ''] = (incoming.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.on('data', (chunk: Buffer) => {
      for (const match of chunk
        .toString('latin1')
        .matchAll(/^(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP\/1\.1/gm))
        proxied.push(`${match[1] ?? ''} ${(match[2] ?? '').split('?')[0] ?? ''}`);
    });
    tunnels.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      tunnels.delete(client);
      tunnels.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  for (const socket of tunnels) socket.destroy();
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await sandbox.close();
});

/** The sandbox's kubeconfig with its cluster behind the forward proxy. */
function proxiedKubeconfig(): string {
  const config = YAML.parse(sandbox.kubeconfig) as { clusters: { cluster: Record<string, unknown> }[] };
  for (const { cluster } of config.clusters) cluster['proxy-url'] = proxyUrl;
  return YAML.stringify(config);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

/** Every verb of the custom-object client, its 409s and 404s; `prefix` keeps the two paths' objects apart. */
async function exercise(clients: Parameters<typeof createCustomObjectClient>[0], prefix: string) {
  const objects = createCustomObjectClient<Gadget>(clients, gadgets);
  const created = await objects.create('default', {
    apiVersion: 'test.aegis.io/v1',
    kind: 'Gadget',
    metadata: { name: `${prefix}-a` },
    spec: { size: 'small' },
  });
  expect(created.metadata.name).toBe(`${prefix}-a`);
  await objects.create('kube-public', {
    apiVersion: 'test.aegis.io/v1',
    kind: 'Gadget',
    metadata: { name: `${prefix}-b` },
  });

  expect((await objects.get('default', `${prefix}-a`))?.spec?.size).toBe('small');
  expect(await objects.get('default', `${prefix}-missing`)).toBeUndefined();
  const inDefault = (await objects.list('default')).map((item) => item.metadata.name);
  expect(inDefault).toContain(`${prefix}-a`);
  expect(inDefault).not.toContain(`${prefix}-b`);
  const everywhere = (await objects.list()).map((item) => `${item.metadata.namespace}/${item.metadata.name}`);
  expect(everywhere).toEqual(expect.arrayContaining([`default/${prefix}-a`, `kube-public/${prefix}-b`]));

  // A merge patch of /status: keeps the spec and the status fields it does not name.
  const first = await objects.patchStatus(
    'default',
    `${prefix}-a`,
    { phase: 'Ready', count: 1 },
    { resourceVersion: created.metadata.resourceVersion },
  );
  expect(first.status).toEqual({ phase: 'Ready', count: 1 });
  const second = await objects.patchStatus('default', `${prefix}-a`, { count: 2 });
  expect(second.status).toEqual({ phase: 'Ready', count: 2 });
  expect(second.spec?.size).toBe('small');

  // A stale resourceVersion: a retryable conflict, nothing written.
  const conflict = await failure(
    objects.patchStatus(
      'default',
      `${prefix}-a`,
      { count: 3 },
      { resourceVersion: created.metadata.resourceVersion },
    ),
  );
  expect(isAegisError(conflict) && conflict.code).toBe(customObjectErrorCodes.conflict);
  expect(isAegisError(conflict) && conflict.retryable).toBe(true);
  expect(String(conflict)).toContain('HTTP 409');
  expect((await objects.get('default', `${prefix}-a`))?.status?.count).toBe(2);

  // A second create of the same name: already exists, not retryable.
  const exists = await failure(objects.create('default', { metadata: { name: `${prefix}-a` } }));
  expect(isAegisError(exists) && exists.code).toBe(customObjectErrorCodes.alreadyExists);
  expect(isAegisError(exists) && exists.retryable).toBe(false);

  const missing = await failure(objects.patchStatus('default', `${prefix}-missing`, { count: 1 }));
  expect(isAegisError(missing) && missing.code).toBe(customObjectErrorCodes.notFound);
  expect(String(missing)).toContain(`Gadget default/${prefix}-missing: HTTP 404`);

  expect(await objects.delete('default', `${prefix}-a`)).toBe(true);
  expect(await objects.delete('default', `${prefix}-a`)).toBe(false);
  expect(await objects.get('default', `${prefix}-a`)).toBeUndefined();
}

describe('custom objects over the undici JSON client', () => {
  it('does every verb through the JSON client, with merge patches and the same error mapping', async () => {
    const { kubeConfig } = createKubeClients({ yaml: sandbox.kubeconfig });
    const json = kubeJsonClientFor(kubeConfig);
    expect(json).toBeDefined();
    if (json === undefined) return;
    const spy = vi.spyOn(json, 'request');
    await exercise({ kubeConfig, customObjects: refusingCustomObjects }, 'json');
    const calls = spy.mock.calls.map(([call]: [KubeJsonRequest]) => call);
    const base = '/apis/test.aegis.io/v1';
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(
      expect.arrayContaining([
        `POST ${base}/namespaces/default/gadgets`,
        `GET ${base}/namespaces/default/gadgets/json-a`,
        `GET ${base}/namespaces/default/gadgets`,
        `GET ${base}/gadgets`,
        `PATCH ${base}/namespaces/default/gadgets/json-a/status`,
        `DELETE ${base}/namespaces/default/gadgets/json-a`,
      ]),
    );
    expect(calls.find((call) => call.path === `${base}/gadgets`)?.query).toEqual({
      limit: 500,
      continue: undefined,
    });
    const patches = calls.filter((call) => call.method === 'PATCH');
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.every((call) => call.contentType === 'application/merge-patch+json')).toBe(true);
    spy.mockRestore();
  });

  it('creates and reads Workflows and records Events through the JSON client', async () => {
    const clients = createKubeClients({ yaml: sandbox.kubeconfig });
    const json = kubeJsonClientFor(clients.kubeConfig);
    if (json === undefined) throw new Error('no JSON client for the sandbox');
    const spy = vi.spyOn(json, 'request');
    const workflows = createWorkflowStore({
      kubeConfig: clients.kubeConfig,
      customObjects: refusingCustomObjects,
    });
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'json-workflow', namespace: 'default' },
      spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox' } }] },
    };
    expect((await workflows.create('default', workflow)).metadata?.uid).toMatch(/./);
    expect((await workflows.get('default', 'json-workflow'))?.metadata?.name).toBe('json-workflow');
    expect(await workflows.get('default', 'no-such-workflow')).toBeUndefined();
    const again = await failure(workflows.create('default', workflow));
    expect(isAegisError(again) && again.code).toBe('KUBE_ALREADY_EXISTS');

    const refusingCore = new Proxy({}, { get: () => () => Promise.reject(new Error('client-node used')) });
    const events = createEventRecorder(
      { kubeConfig: clients.kubeConfig, core: refusingCore as KubeClients['core'] },
      { component: 'aegis-test', instance: 'pod-0', now: () => new Date('2026-01-02T03:04:05.678Z') },
    );
    await events.record(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: 'json-workflow', namespace: 'default' },
      { type: 'Normal', reason: 'Tested', message: 'through undici' },
    );
    const listed = await clients.core.listNamespacedEvent({ namespace: 'default' });
    const recorded = listed.items.find((item) => item.reason === 'Tested');
    expect(recorded?.involvedObject).toMatchObject({ kind: 'Workflow', name: 'json-workflow' });
    expect(recorded?.metadata.name).toMatch(/^json-workflow\.[0-9a-f]{16}$/);
    expect(recorded?.reportingInstance).toBe('pod-0');
    expect(recorded?.firstTimestamp?.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(spy.mock.calls.some(([call]) => call.path === '/api/v1/namespaces/default/events')).toBe(true);
    spy.mockRestore();
  });

  it('falls back to client-node when the cluster is behind a proxy', async () => {
    const clients = createKubeClients({ yaml: proxiedKubeconfig() });
    expect(kubeJsonClientFor(clients.kubeConfig)).toBeUndefined();
    proxied = [];
    await exercise(clients, 'proxied');
    expect(proxied).toEqual(
      expect.arrayContaining([
        'POST /apis/test.aegis.io/v1/namespaces/default/gadgets',
        'PATCH /apis/test.aegis.io/v1/namespaces/default/gadgets/proxied-a/status',
        'GET /apis/test.aegis.io/v1/gadgets',
      ]),
    );
    await createEventRecorder(clients).record(
      { apiVersion: 'test.aegis.io/v1', kind: 'Gadget', name: 'proxied-b', namespace: 'kube-public' },
      { type: 'Warning', reason: 'Proxied', message: 'through client-node' },
    );
    expect(proxied).toContain('POST /api/v1/namespaces/kube-public/events');
  });
});
