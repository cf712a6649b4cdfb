import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeys } from './sorted-keys.js';

describe('SortedKeys', () => {
  it('keeps keys in string order across chunk splits and walks from a prefix', () => {
    const keys = new SortedKeys(4);
    for (const key of ['ns/b', 'ns0/a', 'n/z', 'ns/a', 'ns-other/a', 'ns/c', 'ns/d', 'ns/e', 'a/a', 'z/z'])
      keys.add(key);
    expect([...keys.from()]).toEqual([
      'a/a',
      'n/z',
      'ns-other/a',
      'ns/a',
      'ns/b',
      'ns/c',
      'ns/d',
      'ns/e',
      'ns0/a',
      'z/z',
    ]);
    expect([...keys.from('ns/')].slice(0, 3)).toEqual(['ns/a', 'ns/b', 'ns/c']);
    expect([...keys.from('zz')]).toEqual([]);
    expect(keys.add('ns/c')).toBe(false);
    expect(keys.delete('ns/x')).toBe(false);
    expect(keys.size).toBe(10);
  });

  it('property: any adds and deletes leave the same keys, in the same order, as a sorted array', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', '-', '/', '0'), maxLength: 5 });
    const operation = fc.tuple(fc.boolean(), key);
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 400 }),
        fc.integer({ min: 2, max: 16 }),
        key,
        (ops, chunk, from) => {
          const keys = new SortedKeys(chunk);
          const model = new Set<string>();
          for (const [add, item] of ops) {
            if (add) expect(keys.add(item)).toBe(!model.has(item));
            else expect(keys.delete(item)).toBe(model.has(item));
            if (add) model.add(item);
            else model.delete(item);
          }
          const sorted = [...model].sort();
          expect([...keys.from()]).toEqual(sorted);
          expect(keys.size).toBe(sorted.length);
          expect([...keys.from(from)]).toEqual(sorted.filter((item) => item >= from));
        },
      ),
      { numRuns: 300 },
    );
  });
});
