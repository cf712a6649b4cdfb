import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store.js';
import type { KubeObject } from './types.js';

const object = (namespace: string, name: string): KubeObject => ({ metadata: { namespace, name } });

describe('ObjectStore.list', () => {
  it("returns a namespace's objects in name order, and no neighbour namespace's", () => {
    const store = new ObjectStore();
    for (const [namespace, name] of [
      ['ns', 'b'],
      ['ns-other', 'a'],
      ['ns', 'a'],
      ['ns0', 'a'],
      ['n', 'z'],
    ] as const)
      store.insert('configmaps', object(namespace, name));
    const names = (namespace?: string) =>
      store
        .list('configmaps', namespace)
        .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`);
    expect(names('ns')).toEqual(['ns/a', 'ns/b']);
    expect(names()).toEqual(['n/z', 'ns-other/a', 'ns/a', 'ns/b', 'ns0/a']);
    expect(names('missing')).toEqual([]);
  });

  it('property: after any inserts, updates and removals, lists equal the sorted live objects', () => {
    const key = fc.tuple(
      fc.constantFrom('a', 'a-b', 'ab', 'b', ''),
      fc.string({ minLength: 1, maxLength: 3 }),
    );
    const step = fc.tuple(fc.constantFrom('insert', 'update', 'remove'), key);
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const store = new ObjectStore();
        const live = new Map<string, [string, string]>();
        for (const [action, [namespace, name]] of steps) {
          const id = `${namespace}/${name}`;
          const current = store.get('things', namespace, name);
          if (action === 'remove') {
            if (current !== undefined) store.remove('things', current);
            live.delete(id);
          } else if (current === undefined) {
            store.insert('things', object(namespace, name));
            live.set(id, [namespace, name]);
          } else {
            store.replace('things', { ...current, data: { step: action } }, current);
          }
        }
        const expected = [...live.keys()].sort();
        const listed = (namespace?: string) =>
          store
            .list('things', namespace)
            .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`);
        expect(listed()).toEqual(expected);
        for (const namespace of ['a', 'a-b', 'ab', 'b', ''])
          expect(listed(namespace)).toEqual(expected.filter((id) => id.startsWith(`${namespace}/`)));
      }),
    );
  });
});

describe('ObjectStore.listWithLabel', () => {
  it('property: equals list() filtered by the label, through inserts, relabelling and removals', () => {
    const namespaces = ['a', 'a-b', 'b'];
    const labelValue = fc.option(fc.constantFrom('x', 'y'), { nil: undefined });
    const step = fc.tuple(
      fc.constantFrom('write', 'remove'),
      fc.constantFrom(...namespaces),
      fc.constantFrom('p', 'q', 'r', 's'),
      labelValue,
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const store = new ObjectStore();
        for (const [action, namespace, name, value] of steps) {
          const current = store.get('things', namespace, name);
          const labels = value === undefined ? undefined : { team: value, other: 'z' };
          const next: KubeObject = {
            metadata: { namespace, name, ...(labels === undefined ? {} : { labels }) },
          };
          if (action === 'remove') {
            if (current !== undefined) store.remove('things', current);
          } else if (current === undefined) store.insert('things', next);
          else store.replace('things', next, current);
        }
        for (const namespace of [undefined, ...namespaces]) {
          for (const value of ['x', 'y', 'none']) {
            const expected = store
              .list('things', namespace)
              .filter((o) => o.metadata.labels?.['team'] === value);
            expect(store.listWithLabel('things', namespace, 'team', value)).toEqual(expected);
          }
        }
      }),
    );
  });
});
