import type { V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failure,
  jsonPatch,
  mergePatch,
  startFixture,
  strategicPatch,
  type SandboxFixture,
} from './sandbox-fixture.js';

let fx: SandboxFixture;
beforeAll(async () => {
  fx = await startFixture({ simulate: false });
});
afterAll(async () => fx.close());

const configMap = (
  name: string,
  labels: Record<string, string> = {},
  data: Record<string, string> = {},
): V1ConfigMap => ({
  metadata: { name, labels },
  data,
});

describe('sandbox conformance: objects through @kubernetes/client-node', () => {
  it('reports Kubernetes 1.32 and serves discovery', async () => {
    const version = await fx.clients.version.getCode();
    expect(version.major).toBe('1');
    expect(version.minor).toBe('32');
    const core = (await (await fx.http('/api/v1')).json()) as { resources: { name: string }[] };
    const names = core.resources.map((r) => r.name);
    for (const expected of [
      'namespaces',
      'nodes',
      'pods',
      'pods/log',
      'pods/status',
      'events',
      'configmaps',
      'secrets',
      'serviceaccounts',
    ]) {
      expect(names).toContain(expected);
    }
    const groups = (await (await fx.http('/apis')).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        'apiextensions.k8s.io',
        'argoproj.io',
        'coordination.k8s.io',
        'events.k8s.io',
        'kubeflow.org',
      ]),
    );
  });

  it('creates with server-set metadata, reads back, and refuses duplicates with 409 AlreadyExists', async () => {
    const created = await fx.clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('crud-a', {}, { k: 'v' }),
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const read = await fx.clients.core.readNamespacedConfigMap({ namespace: 'default', name: 'crud-a' });
    expect(read.data).toEqual({ k: 'v' });
    const duplicate = await failure(
      fx.clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('crud-a') }),
    );
    expect(duplicate.code).toBe(409);
    expect(duplicate.status).toMatchObject({
      kind: 'Status',
      reason: 'AlreadyExists',
      message: 'configmaps "crud-a" already exists',
    });
  });

  it('answers 404 NotFound in the Kubernetes Status shape', async () => {
    const missing = await failure(
      fx.clients.core.readNamespacedConfigMap({ namespace: 'default', name: 'nope' }),
    );
    expect(missing.code).toBe(404);
    expect(missing.status).toMatchObject({
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
      details: { name: 'nope', kind: 'configmaps' },
    });
  });

  it('generates names from generateName', async () => {
    const created = await fx.clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { generateName: 'gen-' } },
    });
    expect(created.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('requires the namespace to exist', async () => {
    const result = await failure(
      fx.clients.core.createNamespacedConfigMap({ namespace: 'no-such-ns', body: configMap('x') }),
    );
    expect(result.code).toBe(404);
    expect(result.status).toMatchObject({ reason: 'NotFound', message: 'namespaces "no-such-ns" not found' });
  });

  it('rejects invalid names with 422 Invalid and field causes', async () => {
    const result = await failure(
      fx.clients.core.createNamespacedConfigMap({ namespace: 'default', body: configMap('Bad_Name') }),
    );
    expect(result.code).toBe(422);
    expect(result.status).toMatchObject({
      reason: 'Invalid',
      details: { name: 'Bad_Name', kind: 'ConfigMap' },
    });
    const causes = (result.status['details'] as { causes: { field: string }[] }).causes;
    expect(causes.map((c) => c.field)).toContain('metadata.name');
  });

  it('PUT replaces and answers 409 Conflict on a stale resourceVersion', async () => {
    const created = await fx.clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('crud-put', {}, { a: '1' }),
    });
    const stale = created.metadata?.resourceVersion ?? '';
    const replaced = await fx.clients.core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'crud-put',
      body: { metadata: { name: 'crud-put', resourceVersion: stale }, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(stale));
    const conflict = await failure(
      fx.clients.core.replaceNamespacedConfigMap({
        namespace: 'default',
        name: 'crud-put',
        body: { metadata: { name: 'crud-put', resourceVersion: stale }, data: { a: '3' } },
      }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.status).toMatchObject({ reason: 'Conflict' });
    expect(String(conflict.status['message'])).toContain('the object has been modified');
  });

  it('patches with merge patch, JSON patch and strategic merge patch', async () => {
    await fx.clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: configMap('crud-patch', { a: '1' }, { x: '1', y: '2' }),
    });
    const merged = await fx.clients.core.patchNamespacedConfigMap(
      { namespace: 'default', name: 'crud-patch', body: { data: { y: null, z: '3' } } },
      mergePatch,
    );
    expect(merged.data).toEqual({ x: '1', z: '3' });
    const patched = await fx.clients.core.patchNamespacedConfigMap(
      {
        namespace: 'default',
        name: 'crud-patch',
        body: [
          { op: 'replace', path: '/data/x', value: '9' },
          { op: 'add', path: '/metadata/labels/b', value: '2' },
        ],
      },
      jsonPatch,
    );
    expect(patched.data?.['x']).toBe('9');
    expect(patched.metadata?.labels).toEqual({ a: '1', b: '2' });
    const failedTest = await failure(
      fx.clients.core.patchNamespacedConfigMap(
        { namespace: 'default', name: 'crud-patch', body: [{ op: 'test', path: '/data/x', value: 'other' }] },
        jsonPatch,
      ),
    );
    expect(failedTest.code).toBe(422);

    const pod = await fx.clients.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'smp' },
        spec: {
          containers: [
            { name: 'a', image: 'busybox', env: [{ name: 'X', value: '1' }] },
            { name: 'b', image: 'busybox' },
          ],
        },
      },
    });
    expect(pod.spec?.containers).toHaveLength(2);
    const smp = await fx.clients.core.patchNamespacedPod(
      {
        namespace: 'default',
        name: 'smp',
        body: { spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }] } },
      },
      strategicPatch,
    );
    // Strategic merge keeps the other container and merges env by name (a merge patch would have replaced the
    // list); like the API server's normalizeElementOrder, patch items come first, then server-only items.
    expect(smp.spec?.containers.map((c) => c.name)).toEqual(['a', 'b']);
    expect(smp.spec?.containers[0]?.env?.map((e) => e.name)).toEqual(['Y', 'X']);
  });

  it('lists with label selectors (every operator) and field selectors', async () => {
    const put = async (name: string, labels: Record<string, string>): Promise<void> => {
      await fx.clients.core.createNamespacedConfigMap({
        namespace: 'default',
        body: configMap(name, labels),
      });
    };
    await put('sel-1', { tier: 'gpu', zone: 'a' });
    await put('sel-2', { tier: 'cpu', zone: 'b' });
    await put('sel-3', { tier: 'gpu' });
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> => {
      const list = await fx.clients.core.listNamespacedConfigMap({
        namespace: 'default',
        ...(labelSelector === undefined ? {} : { labelSelector }),
        ...(fieldSelector === undefined ? {} : { fieldSelector }),
      });
      return list.items
        .map((i) => i.metadata?.name ?? '')
        .filter((n) => n.startsWith('sel-'))
        .sort();
    };
    expect(await names('tier=gpu')).toEqual(['sel-1', 'sel-3']);
    expect(await names('tier!=gpu')).toEqual(['sel-2']);
    expect(await names('zone in (a,b)')).toEqual(['sel-1', 'sel-2']);
    expect(await names('zone notin (a)')).toEqual(['sel-2', 'sel-3']);
    expect(await names('zone')).toEqual(['sel-1', 'sel-2']);
    expect(await names('!zone')).toEqual(['sel-3']);
    expect(await names('tier=gpu,zone=a')).toEqual(['sel-1']);
    expect(await names(undefined, 'metadata.name=sel-2')).toEqual(['sel-2']);
    expect(await names(undefined, 'metadata.name!=sel-2')).toEqual(['sel-1', 'sel-3']);
    const bad = await failure(
      fx.clients.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'tier in gpu' }),
    );
    expect(bad.code).toBe(400);
  });

  it('pages lists with limit and continue', async () => {
    await fx.clients.core.createNamespace({ body: { metadata: { name: 'paging' } } });
    for (let i = 0; i < 7; i += 1) {
      await fx.clients.core.createNamespacedConfigMap({ namespace: 'paging', body: configMap(`page-${i}`) });
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await fx.clients.core.listNamespacedConfigMap({
        namespace: 'paging',
        limit: 3,
        ...(token === undefined ? {} : { _continue: token }),
      });
      seen.push(...page.items.map((i) => i.metadata?.name ?? ''));
      token = page.metadata?._continue || undefined;
      if (token !== undefined) expect(page.metadata?.remainingItemCount).toBeGreaterThan(0);
      pages += 1;
    } while (token !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
  });

  it('filters pods by spec.nodeName and status.phase, and events by involvedObject', async () => {
    await fx.clients.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'on-node-2' },
        spec: { nodeName: 'node-2', containers: [{ name: 'c', image: 'x' }] },
      },
    });
    const onNode = await fx.clients.core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-2' });
    expect(onNode.items.map((p) => p.metadata?.name)).toEqual(['on-node-2']);
    await fx.clients.core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'ev-1' },
        involvedObject: { kind: 'Pod', name: 'on-node-2', namespace: 'default' },
        reason: 'Testing',
        message: 'hello',
        type: 'Normal',
      },
    });
    const events = await fx.clients.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.kind=Pod,involvedObject.name=on-node-2',
    });
    expect(events.items.map((e) => e.reason)).toEqual(['Testing']);
  });

  it('deletes with finalizers: deletionTimestamp first, gone once the finalizers are removed', async () => {
    await fx.clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'fin', finalizers: ['example.com/hold'] } },
    });
    await fx.clients.core.deleteNamespacedConfigMap({ namespace: 'default', name: 'fin' });
    const terminating = await fx.clients.core.readNamespacedConfigMap({ namespace: 'default', name: 'fin' });
    expect(terminating.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await fx.clients.core.patchNamespacedConfigMap(
      { namespace: 'default', name: 'fin', body: { metadata: { finalizers: null } } },
      mergePatch,
    );
    const gone = await failure(
      fx.clients.core.readNamespacedConfigMap({ namespace: 'default', name: 'fin' }),
    );
    expect(gone.code).toBe(404);
  });

  it('bumps generation on spec changes only', async () => {
    const pod = await fx.clients.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'gen-pod' }, spec: { containers: [{ name: 'c', image: 'one' }] } },
    });
    expect(pod.metadata?.generation).toBe(1);
    const labelled = await fx.clients.core.patchNamespacedPod(
      { namespace: 'default', name: 'gen-pod', body: { metadata: { labels: { x: 'y' } } } },
      mergePatch,
    );
    expect(labelled.metadata?.generation).toBe(1);
    const changed = await fx.clients.core.patchNamespacedPod(
      { namespace: 'default', name: 'gen-pod', body: { spec: { activeDeadlineSeconds: 30 } } },
      mergePatch,
    );
    expect(changed.metadata?.generation).toBe(2);
  });

  it('refuses a body over 3 MiB with 413 RequestEntityTooLarge, and keeps serving on the next request', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const headers = { 'Content-Type': 'application/json' };
    const big = JSON.stringify({
      metadata: { name: 'too-big' },
      data: { blob: 'x'.repeat(3 * 1024 * 1024) },
    });
    const refused = await fx.http(path, { method: 'POST', headers, body: big });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { reason: string }).reason).toBe('RequestEntityTooLarge');
    const next = await fx.http(path, {
      method: 'POST',
      headers,
      body: JSON.stringify({ metadata: { name: 'after-big' } }),
    });
    expect(next.status).toBe(201);
    expect((await fx.http(`${path}/too-big`)).status).toBe(404);
  });
});
