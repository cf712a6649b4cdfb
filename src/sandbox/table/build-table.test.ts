import { describe, expect, it } from 'vitest';
import type { KubeObject, PrinterColumn } from '../types.js';
import { buildTable, builtinConverter, converterForPrinterColumns } from './index.js';

const now = new Date('2026-11-22T10:00:00Z');

const workflow: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: {
    name: 'hello',
    namespace: 'default',
    uid: 'u-1',
    resourceVersion: '113',
    creationTimestamp: '2026-11-22T08:00:00Z',
    labels: { team: 'ml' },
  },
  spec: { entrypoint: 'main' },
  status: { phase: 'Running', startedAt: '2026-11-22T08:50:00Z' },
};

const argoColumns: PrinterColumn[] = [
  { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'Status of the workflow' },
  {
    name: 'Age',
    type: 'date',
    format: 'date-time',
    jsonPath: '.status.startedAt',
    description: 'When the workflow was started',
  },
  { name: 'Message', type: 'string', jsonPath: '.status.message', priority: 1 },
];

describe('buildTable', () => {
  it('builds a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const table = buildTable(converterForPrinterColumns(argoColumns), [workflow], {
      now,
      resourceVersion: '120',
      includeObject: 'Metadata',
    });
    expect(table).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '120' },
      rows: [
        {
          cells: ['hello', 'Running', '70m', null],
          object: {
            kind: 'PartialObjectMetadata',
            apiVersion: 'meta.k8s.io/v1',
            metadata: workflow.metadata,
          },
        },
      ],
    });
    expect((table as { columnDefinitions: unknown[] }).columnDefinitions).toEqual([
      expect.objectContaining({ name: 'Name', type: 'string', format: 'name', priority: 0 }),
      { name: 'Status', type: 'string', format: '', description: 'Status of the workflow', priority: 0 },
      {
        name: 'Age',
        type: 'date',
        format: 'date-time',
        description: 'When the workflow was started',
        priority: 0,
      },
      { name: 'Message', type: 'string', format: '', description: '', priority: 1 },
    ]);
    expect(JSON.parse(JSON.stringify(table))).not.toHaveProperty('metadata.continue');
  });

  it('carries the continue token, full objects, or no objects', () => {
    const converter = converterForPrinterColumns(undefined);
    const full = buildTable(converter, [workflow], {
      now,
      resourceVersion: '1',
      continueToken: 'abc',
      includeObject: 'Object',
    });
    expect(full).toMatchObject({
      metadata: { resourceVersion: '1', continue: 'abc' },
      rows: [{ object: workflow }],
    });
    const none = buildTable(converter, [workflow], { now, resourceVersion: '1', includeObject: 'None' });
    expect(none).toMatchObject({ rows: [{ cells: ['hello', '120m'], object: null }] });
  });

  it('gives CRs without printer columns NAME and AGE from creationTimestamp', () => {
    for (const columns of [undefined, []]) {
      const converter = converterForPrinterColumns(columns);
      expect(converter.columnDefinitions.map((c) => [c.name, c.type])).toEqual([
        ['Name', 'string'],
        ['Age', 'date'],
      ]);
      expect(converter.cells(workflow, now)).toEqual(['hello', '120m']);
    }
  });

  it('includes row conditions only when the printer sets them', () => {
    const pod = {
      metadata: { name: 'p', creationTimestamp: '2026-11-22T09:00:00Z' },
      spec: { containers: [] },
      status: { phase: 'Succeeded' },
    };
    const converter = builtinConverter('Pod');
    expect(converter).toBeDefined();
    const table = buildTable(converter!, [pod], { now, resourceVersion: '5', includeObject: 'Metadata' }) as {
      rows: { conditions?: unknown }[];
    };
    expect(table.rows[0]?.conditions).toEqual([expect.objectContaining({ type: 'Completed' })]);
  });
});

describe('builtinConverter', () => {
  const names = (kind: string): string[] =>
    builtinConverter(kind)?.columnDefinitions.map((c) => c.name) ?? [];
  const cells = (kind: string, object: object): unknown[] =>
    builtinConverter(kind)?.cells(
      { metadata: { name: 'x', creationTimestamp: '2026-11-22T09:59:30Z' }, ...object },
      now,
    ) ?? [];

  it('has the real server columns', () => {
    expect(names('Namespace')).toEqual(['Name', 'Status', 'Age']);
    expect(names('ConfigMap')).toEqual(['Name', 'Data', 'Age']);
    expect(names('Secret')).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(names('ServiceAccount')).toEqual(['Name', 'Secrets', 'Age']);
    expect(names('Lease')).toEqual(['Name', 'Holder', 'Age']);
    expect(names('CustomResourceDefinition')).toEqual(['Name', 'Created At']);
    expect(names('Event')).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject',
      'Source',
      'Message',
      'First Seen',
      'Count',
      'Name',
    ]);
    expect(builtinConverter('Deployment')).toBeUndefined();
    expect(builtinConverter('toString')).toBeUndefined();
  });

  it('fills the cells', () => {
    expect(cells('Namespace', { status: { phase: 'Active' } })).toEqual(['x', 'Active', '30s']);
    expect(cells('ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: '' } })).toEqual(['x', 3, '30s']);
    expect(cells('Secret', { type: 'Opaque', data: { a: 'MQ==' } })).toEqual(['x', 'Opaque', 1, '30s']);
    expect(cells('ServiceAccount', {})).toEqual(['x', 0, '30s']);
    expect(cells('Lease', { spec: { holderIdentity: 'node-1' } })).toEqual(['x', 'node-1', '30s']);
    expect(cells('CustomResourceDefinition', {})).toEqual(['x', '2026-11-22T09:59:30Z']);
  });

  it('prints core/v1 and events.k8s.io/v1 events', () => {
    const core = {
      involvedObject: { kind: 'Node', name: 'node-1' },
      type: 'Warning',
      reason: 'NodeNotReady',
      message: ' Node is not ready \n',
      source: { component: 'node-controller' },
      firstTimestamp: '2026-11-22T09:00:00Z',
      lastTimestamp: '2026-11-22T09:58:00Z',
      count: 3,
    };
    expect(cells('Event', core)).toEqual([
      '2m',
      'Warning',
      'NodeNotReady',
      'node/node-1',
      '',
      'node-controller',
      'Node is not ready',
      '60m',
      3,
      'x',
    ]);
    const modern = {
      regarding: { kind: 'Workflow', name: 'hello' },
      type: 'Normal',
      reason: 'WorkflowRunning',
      note: 'Workflow Running',
      eventTime: '2026-11-22T09:59:00.000000Z',
      reportingController: 'workflow-controller',
      reportingInstance: 'wc-1',
    };
    expect(cells('Event', modern)).toEqual([
      '60s',
      'Normal',
      'WorkflowRunning',
      'workflow/hello',
      '',
      'workflow-controller, wc-1',
      'Workflow Running',
      '60s',
      1,
      'x',
    ]);
  });
});
