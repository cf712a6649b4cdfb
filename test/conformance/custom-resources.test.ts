import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crdModel } from '../../src/kube/index.js';
import { eventually, failure, mergePatch, startFixture, type SandboxFixture } from './sandbox-fixture.js';

let fx: SandboxFixture;

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
      categories: ['example'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1 },
                  color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
                  free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

const widgets = { group: 'example.com', version: 'v1', plural: 'widgets', namespace: 'default' };
type Widget = {
  metadata: { name: string; uid: string; resourceVersion: string; generation: number };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
};

beforeAll(async () => {
  fx = await startFixture({ simulate: false });
  await fx.clients.apiextensions.createCustomResourceDefinition({ body: crdModel(widgetCrd) });
});
afterAll(async () => fx.close());

describe('sandbox conformance: custom resources', () => {
  it('serves a new CRD at once, with its scope, short names and categories in discovery', async () => {
    const crd = await fx.clients.apiextensions.readCustomResourceDefinition({ name: 'widgets.example.com' });
    expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
    const list = (await (await fx.http('/apis/example.com/v1')).json()) as {
      resources: { name: string; namespaced: boolean; shortNames?: string[]; categories?: string[] }[];
    };
    expect(list.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'widgets',
          namespaced: true,
          shortNames: ['wd'],
          categories: ['example'],
        }),
      ]),
    );
    expect(list.resources.map((r) => r.name)).toContain('widgets/status');
  });

  it('applies defaults, prunes unknown fields, and keeps x-kubernetes-preserve-unknown-fields', async () => {
    const created = (await fx.clients.customObjects.createNamespacedCustomObject({
      ...widgets,
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { size: 2, free: { any: { thing: 1 } } },
      },
    })) as Widget;
    expect(created.spec).toEqual({ size: 2, color: 'red', free: { any: { thing: 1 } } });
    const pruned = (await fx.clients.customObjects.createNamespacedCustomObject({
      ...widgets,
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w-pruned' },
        spec: { size: 1, unknownField: 'x' },
      },
      fieldValidation: 'Ignore',
    })) as Widget;
    expect(pruned.spec).not.toHaveProperty('unknownField');
  });

  it('rejects unknown fields under fieldValidation=Strict and invalid values with 422 and the field path', async () => {
    const strict = await failure(
      fx.clients.customObjects.createNamespacedCustomObject({
        ...widgets,
        body: {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w-strict' },
          spec: { size: 1, bogus: true },
        },
        fieldValidation: 'Strict',
      }),
    );
    expect(strict.code).toBe(400);
    expect(String(strict.status['message'])).toContain('unknown field "spec.bogus"');
    const invalid = await failure(
      fx.clients.customObjects.createNamespacedCustomObject({
        ...widgets,
        body: {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w-bad' },
          spec: { size: 'big', color: 'green' },
        },
      }),
    );
    expect(invalid.code).toBe(422);
    const fields = ((invalid.status['details'] as { causes: { field: string }[] }).causes ?? [])
      .map((c) => c.field)
      .sort();
    expect(fields).toEqual(['spec.color', 'spec.size']);
    const missing = await failure(
      fx.clients.customObjects.createNamespacedCustomObject({
        ...widgets,
        body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w-missing' }, spec: {} },
      }),
    );
    expect(missing.code).toBe(422);
    expect(String(missing.status['message'])).toContain('spec.size: Required value');
  });

  it('keeps spec and status apart on the status subresource; generation follows spec only', async () => {
    await fx.clients.customObjects.createNamespacedCustomObject({
      ...widgets,
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w-status' },
        spec: { size: 1 },
        status: { phase: 'Ignored' },
      },
    });
    let current = (await fx.clients.customObjects.getNamespacedCustomObject({
      ...widgets,
      name: 'w-status',
    })) as Widget;
    expect(current.status).toBeUndefined();
    await fx.clients.customObjects.patchNamespacedCustomObjectStatus(
      { ...widgets, name: 'w-status', body: { status: { phase: 'Ready' }, spec: { size: 99 } } },
      mergePatch,
    );
    current = (await fx.clients.customObjects.getNamespacedCustomObject({
      ...widgets,
      name: 'w-status',
    })) as Widget;
    expect(current.status).toEqual({ phase: 'Ready' });
    expect(current.spec['size']).toBe(1);
    expect(current.metadata.generation).toBe(1);
    await fx.clients.customObjects.patchNamespacedCustomObject(
      { ...widgets, name: 'w-status', body: { spec: { size: 3 }, status: { phase: 'Overwritten' } } },
      mergePatch,
    );
    current = (await fx.clients.customObjects.getNamespacedCustomObject({
      ...widgets,
      name: 'w-status',
    })) as Widget;
    expect(current.spec['size']).toBe(3);
    expect(current.status).toEqual({ phase: 'Ready' });
    expect(current.metadata.generation).toBe(2);
  });

  it('answers 415 to a strategic merge patch on a custom resource', async () => {
    const response = await fx.http('/apis/example.com/v1/namespaces/default/widgets/w1', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({ spec: { size: 5 } }),
    });
    expect(response.status).toBe(415);
  });

  it('prints the CRD printer columns in a Table for kubectl', async () => {
    await fx.clients.customObjects.patchNamespacedCustomObjectStatus(
      { ...widgets, name: 'w1', body: { status: { phase: 'Ready' } } },
      mergePatch,
    );
    const response = await fx.http('/apis/example.com/v1/namespaces/default/widgets', {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(response.headers.get('content-type')).toContain('as=Table');
    const table = (await response.json()) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string } }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Size', 'Phase', 'Age']);
    const row = table.rows.find((r) => r.cells[0] === 'w1');
    expect(row?.cells.slice(0, 3)).toEqual(['w1', 2, 'Ready']);
    expect(row?.object.kind).toBe('PartialObjectMetadata');
  });

  it('garbage-collects dependents through ownerReferences (background cascade)', async () => {
    const owner = (await fx.clients.customObjects.getNamespacedCustomObject({
      ...widgets,
      name: 'w1',
    })) as Widget;
    await fx.clients.core.createNamespacedConfigMap({
      namespace: 'default',
      body: {
        metadata: {
          name: 'owned-by-w1',
          ownerReferences: [
            {
              apiVersion: 'example.com/v1',
              kind: 'Widget',
              name: 'w1',
              uid: owner.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
      },
    });
    await fx.clients.customObjects.deleteNamespacedCustomObject({
      ...widgets,
      name: 'w1',
      propagationPolicy: 'Background',
    });
    await eventually(async () => {
      const result = await fx.clients.core
        .readNamespacedConfigMap({ namespace: 'default', name: 'owned-by-w1' })
        .then(
          () => undefined,
          (error: { code?: number }) => (error.code === 404 ? true : undefined),
        );
      return result;
    });
  });

  it('refuses a CRD with a non-structural schema', async () => {
    const bad = structuredClone(widgetCrd);
    bad.metadata.name = 'gadgets.example.com';
    bad.spec.names = {
      plural: 'gadgets',
      singular: 'gadget',
      kind: 'Gadget',
      listKind: 'GadgetList',
      shortNames: [],
      categories: [],
    };
    (bad.spec.versions[0]!.schema.openAPIV3Schema.properties.spec as Record<string, unknown>)['properties'] =
      { size: {} };
    const result = await failure(
      fx.clients.apiextensions.createCustomResourceDefinition({ body: crdModel(bad) }),
    );
    expect(result.code).toBe(422);
  });

  it('serves the bundled Argo Workflow and Kubeflow PyTorchJob CRDs', async () => {
    const crds = await fx.clients.apiextensions.listCustomResourceDefinition();
    const names = crds.items.map((c) => c.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['workflows.argoproj.io', 'pytorchjobs.kubeflow.org']));
  });
});
