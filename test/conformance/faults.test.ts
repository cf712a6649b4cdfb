import { Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { createKubeClients, type KubeClients } from '../../src/kube/index.js';
import { eventually, failure, startFixture, type SandboxFixture } from './sandbox-fixture.js';

let sandbox: SandboxHandle;
let clients: KubeClients;
const namespace = 'faulty';

async function setPlan(plan: unknown): Promise<Response> {
  return await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(plan),
  });
}

async function counts(): Promise<{ errors: Record<string, number>; watchesClosed: number; goneOnResume: number; heldByPause: number }> {
  const snapshot = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as {
    counts: { errors: Record<string, number>; watchesClosed: number; goneOnResume: number; heldByPause: number };
  };
  return snapshot.counts;
}

beforeAll(async () => {
  sandbox = await startSandbox({ nodes: 1, simulate: false, faults: true });
  clients = createKubeClients({ yaml: sandbox.kubeconfig });
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
});
afterAll(async () => sandbox?.close());

describe('sandbox conformance: fault injection', () => {
  it('is off unless asked: a sandbox started without faults has no admin route', async () => {
    const plain: SandboxFixture = await startFixture({ simulate: false });
    try {
      expect((await plain.http('/_sandbox/faults')).status).toBe(404);
      expect((await plain.http('/_sandbox/pause', { method: 'POST', body: '{"seconds":1}' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('refuses a bad plan with 400 naming the field', async () => {
    const response = await setPlan({ rules: [{ resource: 'pods', errorRate: 2 }] });
    expect(response.status).toBe(400);
    const status = (await response.json()) as { message: string; reason: string };
    expect(status.reason).toBe('BadRequest');
    expect(status.message).toContain('rules.0.errorRate');
    const unknownVerb = await setPlan({ rules: [{ verbs: ['explode'] }] });
    expect(unknownVerb.status).toBe(400);
    expect(((await unknownVerb.json()) as { message: string }).message).toContain('rules.0.verbs.0');
  });

  it('answers 500 on the selected resource and verb only', async () => {
    expect((await setPlan({ rules: [{ resource: 'configmaps', verbs: ['create'], errorRate: 1 }] })).status).toBe(200);
    const refused = await failure(
      clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'c500' } } }),
    );
    expect(refused.code).toBe(500);
    expect(refused.status).toMatchObject({ reason: 'InternalError', code: 500 });
    // Other verbs and other resources are untouched.
    await clients.core.listNamespacedConfigMap({ namespace });
    await clients.core.createNamespacedSecret({ namespace, body: { metadata: { name: 's-ok' } } });
    expect((await counts()).errors['500']).toBe(1);
  });

  it('answers 429 with Retry-After, as a throttling API server does', async () => {
    await setPlan({ rules: [{ resource: 'configmaps', verbs: ['list'], errorRate: 1, errors: [429], retryAfterSeconds: 3 }] });
    const response = await fetch(`${sandbox.url}/api/v1/namespaces/${namespace}/configmaps`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } });
  });

  it('answers 409 Conflict on writes and never on reads', async () => {
    await setPlan({});
    await clients.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'c409' } } });
    await setPlan({ rules: [{ resource: 'configmaps', errorRate: 1, errors: [409] }] });
    const patched = await failure(
      clients.core.replaceNamespacedConfigMap({ namespace, name: 'c409', body: { metadata: { name: 'c409' }, data: { a: 'b' } } }),
    );
    expect(patched.code).toBe(409);
    expect(patched.status).toMatchObject({ reason: 'Conflict' });
    const read = await failure(clients.core.readNamespacedConfigMap({ namespace, name: 'c409' }));
    expect(read.code).toBe(500);
  });

  it('adds latency to the selected requests', async () => {
    await setPlan({ rules: [{ resource: 'configmaps', verbs: ['get'], latencyMs: 400 }] });
    const started = Date.now();
    await clients.core.readNamespacedConfigMap({ namespace, name: 'c409' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('draws the same faults again for the same seed', async () => {
    const outcomes = async (): Promise<number[]> => {
      await setPlan({ seed: 7, rules: [{ resource: 'configmaps', verbs: ['list'], errorRate: 0.5 }] });
      const codes: number[] = [];
      for (let i = 0; i < 24; i += 1) {
        codes.push((await fetch(`${sandbox.url}/api/v1/namespaces/${namespace}/configmaps`)).status);
      }
      return codes;
    };
    const first = await outcomes();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await outcomes()).toEqual(first);
  });

  it('ends watches mid-stream after the configured time, cleanly', async () => {
    await setPlan({ rules: [{ resource: 'configmaps', verbs: ['watch'], watchCloseAfterMs: 300 }] });
    const ended = new Promise<unknown>((resolve) => {
      void new Watch(clients.kubeConfig).watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        {},
        () => undefined,
        (error) => resolve(error ?? 'clean'),
      );
    });
    expect(await ended).toBe('clean');
    expect((await counts()).watchesClosed).toBe(1);
  });

  it('answers 410 Gone to a watch resumed from a resourceVersion, and serves a fresh one', async () => {
    await setPlan({ rules: [{ resource: 'configmaps', goneOnResumeRate: 1 }] });
    const list = await clients.core.listNamespacedConfigMap({ namespace });
    const resumed = await fetch(
      `${sandbox.url}/api/v1/namespaces/${namespace}/configmaps?watch=true&resourceVersion=${list.metadata?.resourceVersion}`,
    );
    const first = (await resumed.text()).trim().split('\n')[0] ?? '';
    expect(JSON.parse(first)).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    const fresh = await fetch(`${sandbox.url}/api/v1/namespaces/${namespace}/configmaps?watch=true&timeoutSeconds=1`);
    const events = (await fresh.text()).trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.type === 'ADDED')).toBe(true);
    expect((await counts()).goneOnResume).toBe(1);
  });

  it('pauses the whole server: requests wait until it resumes, then are served and watched', async () => {
    await setPlan({});
    const list = await clients.core.listNamespacedConfigMap({ namespace });
    const seen: string[] = [];
    const watch = await new Watch(clients.kubeConfig).watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: list.metadata?.resourceVersion ?? '' },
      (type, object: { metadata?: { name?: string } }) => void seen.push(`${type} ${object.metadata?.name}`),
      () => undefined,
    );
    try {
      const paused = await fetch(`${sandbox.url}/_sandbox/pause`, { method: 'POST', body: JSON.stringify({ seconds: 30 }) });
      expect(paused.status).toBe(200);
      let created = false;
      const creating = clients.core
        .createNamespacedConfigMap({ namespace, body: { metadata: { name: 'during-pause' } } })
        .then(() => (created = true));
      await eventually(async () => ((await counts()).heldByPause >= 1 ? true : undefined));
      expect(created).toBe(false);
      expect(seen).toEqual([]);
      expect((await fetch(`${sandbox.url}/_sandbox/resume`, { method: 'POST' })).status).toBe(200);
      await creating;
      await eventually(() => (seen.length > 0 ? true : undefined));
      expect(seen).toEqual(['ADDED during-pause']);
    } finally {
      watch.abort();
      await fetch(`${sandbox.url}/_sandbox/resume`, { method: 'POST' });
    }
  });

  it('clears every fault with DELETE', async () => {
    await setPlan({ rules: [{ errorRate: 1 }] });
    expect((await fetch(`${sandbox.url}/api/v1/namespaces`)).status).toBe(500);
    expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${sandbox.url}/api/v1/namespaces`)).status).toBe(200);
  });
});
