import { Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, mergePatch, startFixture, type SandboxFixture } from './sandbox-fixture.js';

let fx: SandboxFixture;
beforeAll(async () => {
  fx = await startFixture({ simulate: false });
  await fx.clients.core.createNamespace({ body: { metadata: { name: 'watched' } } });
});
afterAll(async () => fx.close());

interface Seen {
  type: string;
  name: string;
  resourceVersion: string;
}

async function startWatch(
  path: string,
  query: Record<string, string | number | boolean>,
  seen: Seen[],
  done?: (error: unknown) => void,
): Promise<AbortController> {
  return await new Watch(fx.clients.kubeConfig).watch(
    path,
    query,
    (type, object: { metadata?: { name?: string; resourceVersion?: string } }) => {
      seen.push({
        type,
        name: object.metadata?.name ?? '',
        resourceVersion: object.metadata?.resourceVersion ?? '',
      });
    },
    done ?? (() => undefined),
  );
}

describe('sandbox conformance: watch', () => {
  it('streams ADDED, MODIFIED and DELETED from a resourceVersion, in order', async () => {
    const list = await fx.clients.core.listNamespacedConfigMap({ namespace: 'watched' });
    const seen: Seen[] = [];
    const controller = await startWatch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: list.metadata?.resourceVersion ?? '' },
      seen,
    );
    await fx.clients.core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'w1' } },
    });
    await fx.clients.core.patchNamespacedConfigMap(
      { namespace: 'watched', name: 'w1', body: { data: { a: 'b' } } },
      mergePatch,
    );
    await fx.clients.core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'w1' });
    await eventually(() => (seen.length >= 3 ? true : undefined));
    controller.abort();
    expect(seen.map((s) => `${s.type} ${s.name}`)).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    const versions = seen.map((s) => Number(s.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('replays history after an older resourceVersion and starts with the current state for resourceVersion=0', async () => {
    const created = await fx.clients.core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'r1' } },
    });
    const before = String(Number(created.metadata?.resourceVersion) - 1);
    const replay: Seen[] = [];
    const c1 = await startWatch('/api/v1/namespaces/watched/configmaps', { resourceVersion: before }, replay);
    await eventually(() => (replay.some((s) => s.name === 'r1') ? true : undefined));
    c1.abort();
    expect(replay[0]).toMatchObject({ type: 'ADDED', name: 'r1' });
    const initial: Seen[] = [];
    const c2 = await startWatch('/api/v1/namespaces/watched/configmaps', { resourceVersion: '0' }, initial);
    await eventually(() => (initial.some((s) => s.name === 'r1') ? true : undefined));
    c2.abort();
    expect(initial.find((s) => s.name === 'r1')?.type).toBe('ADDED');
  });

  it('filters events with label selectors', async () => {
    const list = await fx.clients.core.listNamespacedConfigMap({ namespace: 'watched' });
    const seen: Seen[] = [];
    const controller = await startWatch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: list.metadata?.resourceVersion ?? '', labelSelector: 'team=gpu' },
      seen,
    );
    await fx.clients.core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'other', labels: { team: 'cpu' } } },
    });
    await fx.clients.core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'mine', labels: { team: 'gpu' } } },
    });
    await eventually(() => (seen.length >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(seen.map((s) => s.name)).toEqual(['mine']);
  });

  it('sends 410 Expired, then closes, for a resourceVersion older than the history', async () => {
    const small = await startFixture({ simulate: false, watchHistory: 20 });
    try {
      const first = await small.clients.core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'old-0' } },
      });
      for (let i = 1; i <= 30; i += 1) {
        await small.clients.core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: `old-${i}` } },
        });
      }
      const response = await small.http(
        `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.metadata?.resourceVersion ?? ''}`,
      );
      const lines = (await response.text()).trim().split('\n');
      expect(lines).toHaveLength(1);
      const event = JSON.parse(lines[0] ?? '{}') as {
        type: string;
        object: { code: number; reason: string };
      };
      expect(event).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    } finally {
      await small.close();
    }
  });

  it('ends the stream after timeoutSeconds', async () => {
    const started = Date.now();
    let ended = false;
    await startWatch('/api/v1/namespaces/watched/configmaps', { timeoutSeconds: 1 }, [], () => {
      ended = true;
    });
    await eventually(() => (ended ? true : undefined), 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('delivers one change to 200 concurrent watchers', async () => {
    const list = await fx.clients.core.listNamespacedConfigMap({ namespace: 'watched' });
    const rv = list.metadata?.resourceVersion ?? '';
    const counts: number[] = Array.from({ length: 200 }, () => 0);
    const controllers = await Promise.all(
      counts.map((_, index) =>
        new Watch(fx.clients.kubeConfig).watch(
          '/api/v1/namespaces/watched/configmaps',
          { resourceVersion: rv, fieldSelector: 'metadata.name=fan-out' },
          () => {
            counts[index] = (counts[index] ?? 0) + 1;
          },
          () => undefined,
        ),
      ),
    );
    await fx.clients.core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'fan-out' } },
    });
    await eventually(() => (counts.every((c) => c === 1) ? true : undefined));
    for (const controller of controllers) controller.abort();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('wraps watch events in one-row Tables when kubectl asks for them', async () => {
    const controller = new AbortController();
    const response = await fx.http('/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=0', {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    controller.abort();
    const first = JSON.parse(new TextDecoder().decode(value).split('\n')[0] ?? '{}') as {
      type: string;
      object: { kind: string; rows: unknown[] };
    };
    expect(first.type).toBe('ADDED');
    expect(first.object.kind).toBe('Table');
    expect(first.object.rows).toHaveLength(1);
  });
});
