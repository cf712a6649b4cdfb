import { describe, expect, it } from 'vitest';
import {
  FieldSelectorError,
  checkFieldSelector,
  escapeFieldValue,
  fieldGetterFor,
  matchesFieldSelector,
  parseFieldSelector,
} from './field-selector.js';
import type { KubeObject } from './types.js';

const pod = (name: string, nodeName: string | undefined, phase: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: nodeName === undefined ? {} : { nodeName },
  status: { phase },
});

const select = (kind: string, selector: string, objects: KubeObject[]): (string | undefined)[] => {
  const getters = fieldGetterFor(kind);
  const requirements = parseFieldSelector(selector);
  checkFieldSelector(requirements, getters, 'things');
  return objects.filter((o) => matchesFieldSelector(requirements, o, getters)).map((o) => o.metadata.name);
};

describe('parseFieldSelector', () => {
  it('parses =, == and !=', () => {
    expect(parseFieldSelector('a=1,b==2,c!=3')).toEqual([
      { field: 'a', operator: '=', value: '1' },
      { field: 'b', operator: '=', value: '2' },
      { field: 'c', operator: '!=', value: '3' },
    ]);
  });

  it('selects everything for the empty string and skips empty terms', () => {
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector('a=1,,b=2,')).toHaveLength(2);
  });

  it('accepts empty values', () => {
    expect(parseFieldSelector('involvedObject.namespace=,a!=')).toEqual([
      { field: 'involvedObject.namespace', operator: '=', value: '' },
      { field: 'a', operator: '!=', value: '' },
    ]);
  });

  it('resolves backslash escapes like the API server', () => {
    expect(parseFieldSelector('a=x\\,y,b=p\\=q,c=back\\\\slash')).toEqual([
      { field: 'a', operator: '=', value: 'x,y' },
      { field: 'b', operator: '=', value: 'p=q' },
      { field: 'c', operator: '=', value: 'back\\slash' },
    ]);
    const tricky = 'a,b=c\\d';
    expect(parseFieldSelector(`f=${escapeFieldValue(tricky)}`)[0]?.value).toBe(tricky);
  });

  it('reports syntax errors', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
    expect(() => parseFieldSelector('a=b=c')).toThrow(
      'invalid field selector: unescaped character in value: =',
    );
    expect(() => parseFieldSelector('a=b\\n')).toThrow(
      'invalid field selector: invalid escape sequence: \\n',
    );
    expect(() => parseFieldSelector('a=b\\')).toThrow('invalid escape sequence');
    expect(() => parseFieldSelector('=x')).toThrow(FieldSelectorError);
    expect(() => parseFieldSelector('a<1')).toThrow(FieldSelectorError);
  });
});

describe('kubectl queries', () => {
  it('get/wait/delete: metadata.name', () => {
    expect(
      select('Workflow', 'metadata.name=hello', [pod('hello', undefined, ''), pod('bye', undefined, '')]),
    ).toEqual(['hello']);
  });

  it('describe node / drain: pods on a node that are not finished', () => {
    const pods = [
      pod('running', 'node-1', 'Running'),
      pod('done', 'node-1', 'Succeeded'),
      pod('failed', 'node-1', 'Failed'),
      pod('elsewhere', 'node-2', 'Running'),
      pod('pending', undefined, 'Pending'),
    ];
    expect(select('Pod', 'spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed', pods)).toEqual([
      'running',
    ]);
    expect(select('Pod', 'spec.nodeName=node-1', pods)).toEqual(['running', 'done', 'failed']);
    expect(select('Pod', 'spec.nodeName=', pods)).toEqual(['pending']);
  });

  const event = (
    name: string,
    involvedObject: Record<string, string>,
    extra: Record<string, unknown> = {},
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: involvedObject['namespace'] ?? 'default' },
    involvedObject,
    ...extra,
  });

  it('describe node: events of a cluster-scoped object', () => {
    const events = [
      event('node-event', { kind: 'Node', name: 'node-1', uid: 'u-1' }),
      event('other-node', { kind: 'Node', name: 'node-2', uid: 'u-2' }),
      event('pod-event', { kind: 'Pod', name: 'node-1', namespace: 'default', uid: 'u-3' }),
    ];
    const query =
      'involvedObject.kind=Node,involvedObject.uid=u-1,involvedObject.name=node-1,involvedObject.namespace=';
    expect(select('Event', query, events)).toEqual(['node-event']);
    expect(
      select('Event', 'involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=node-1', events),
    ).toEqual([]);
  });

  it('describe workflow: events of a namespaced custom resource', () => {
    const events = [
      event('wf', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        name: 'hello',
        namespace: 'default',
        uid: 'w-1',
      }),
      event('wf-other', { kind: 'Workflow', name: 'hello', namespace: 'default', uid: 'w-0' }),
    ];
    const query =
      'involvedObject.kind=Workflow,involvedObject.uid=w-1,involvedObject.name=hello,involvedObject.namespace=default';
    expect(select('Event', query, events)).toEqual(['wf']);
  });

  it('reads the other event fields', () => {
    const e = event(
      'e',
      { kind: 'Pod' },
      { reason: 'Started', type: 'Normal', source: { component: 'kubelet' } },
    );
    expect(select('Event', 'reason=Started,type=Normal,source=kubelet,reportingComponent=', [e])).toEqual([
      'e',
    ]);
    expect(select('Event', 'source!=kubelet', [e])).toEqual([]);
  });
});

describe('fieldGetterFor', () => {
  it('reads pod fields, with Go zero values for missing booleans', () => {
    const getters = fieldGetterFor('Pod');
    const p: KubeObject = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: {
        restartPolicy: 'Never',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'sa',
        hostNetwork: true,
      },
      status: { podIP: '10.0.0.1', nominatedNodeName: 'n' },
    };
    const read = (field: string, object: KubeObject = p) => getters.get(field)?.(object);
    expect(read('metadata.namespace')).toBe('ns');
    expect(read('spec.restartPolicy')).toBe('Never');
    expect(read('spec.schedulerName')).toBe('default-scheduler');
    expect(read('spec.serviceAccountName')).toBe('sa');
    expect(read('spec.hostNetwork')).toBe('true');
    expect(read('spec.hostNetwork', { metadata: {} })).toBe('false');
    expect(read('status.podIP')).toBe('10.0.0.1');
    expect(read('status.nominatedNodeName')).toBe('n');
    expect(read('status.phase')).toBe('');
    expect(read('metadata.namespace', { metadata: {} })).toBe('');
  });

  it('reads node, secret and namespace fields', () => {
    const unschedulable = fieldGetterFor('Node').get('spec.unschedulable')!;
    expect(unschedulable({ metadata: {}, spec: { unschedulable: true } })).toBe('true');
    expect(unschedulable({ metadata: {}, spec: {} })).toBe('false');
    expect(fieldGetterFor('Secret').get('type')!({ metadata: {}, type: 'Opaque' })).toBe('Opaque');
    expect(
      fieldGetterFor('Namespace').get('status.phase')!({ metadata: {}, status: { phase: 'Active' } }),
    ).toBe('Active');
  });

  it('gives custom and unknown kinds only the metadata fields', () => {
    expect([...fieldGetterFor('Workflow').keys()]).toEqual(['metadata.name', 'metadata.namespace']);
    expect([...fieldGetterFor('').keys()]).toEqual(['metadata.name', 'metadata.namespace']);
    expect([...fieldGetterFor('toString').keys()]).toEqual(['metadata.name', 'metadata.namespace']);
  });
});

describe('checkFieldSelector', () => {
  it('rejects unknown fields with the API server message', () => {
    const error = (() => {
      try {
        checkFieldSelector(
          parseFieldSelector('foo.bar=x'),
          fieldGetterFor('Workflow'),
          'workflows.argoproj.io',
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FieldSelectorError);
    expect((error as FieldSelectorError).message).toBe(
      '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect((error as FieldSelectorError).resource).toBe('workflows.argoproj.io');
  });

  it('lists the kind-specific fields', () => {
    expect(() =>
      checkFieldSelector(parseFieldSelector('spec.unschedulable=true'), fieldGetterFor('Pod'), 'pods'),
    ).toThrow(
      '"spec.unschedulable" is not a known field selector: only "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy"',
    );
    expect(() =>
      checkFieldSelector(parseFieldSelector('spec.unschedulable=true'), fieldGetterFor('Node'), 'nodes'),
    ).not.toThrow();
  });
});
