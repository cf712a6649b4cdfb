import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './index.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Define an own key; plain assignment would treat `__proto__` as the prototype. */
function define(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A merge patch that turns `from` into `to`: every key of `to`, plus null for each key `to` dropped. */
function wholeObjectPatch(from: unknown, to: unknown): unknown {
  if (!isObject(from) || !isObject(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) define(patch, key, null);
  for (const [key, value] of Object.entries(to)) {
    define(patch, key, Object.hasOwn(from, key) ? wholeObjectPatch(from[key], value) : value);
  }
  return patch;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merge patch cannot express a null member value, so the "new object" must not hold one. */
function withoutNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullMembers);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null) define(out, key, withoutNullMembers(item));
  }
  return out;
}

describe('applyMergePatch (RFC 7386)', () => {
  // RFC 7386 Appendix A, in order.
  const appendixA: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(appendixA)('Appendix A: %j + %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toStrictEqual(expected);
  });

  it('applies the RFC section 3 example', () => {
    const target = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyMergePatch(target, patch)).toStrictEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it('keeps nulls inside arrays, which are replaced verbatim', () => {
    expect(applyMergePatch({ a: [1] }, { a: [null, { b: null }] })).toStrictEqual({ a: [null, { b: null }] });
  });

  it('returns a value that shares nothing with its inputs', () => {
    const target = { keep: { deep: [1] } };
    const patch = { added: { x: [2] } };
    const result = applyMergePatch(target, patch) as { keep: { deep: number[] }; added: { x: number[] } };
    result.keep.deep.push(9);
    result.added.x.push(9);
    expect(target).toStrictEqual({ keep: { deep: [1] } });
    expect(patch).toStrictEqual({ added: { x: [2] } });
  });

  it('treats "__proto__" as an ordinary key', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown;
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  it('never mutates its inputs (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (target, patch) => {
        const before = [JSON.stringify(target), JSON.stringify(patch)];
        deepFreeze(target);
        deepFreeze(patch);
        applyMergePatch(target, patch);
        expect([JSON.stringify(target), JSON.stringify(patch)]).toStrictEqual(before);
      }),
    );
  });

  it('a patch holding the whole new object turns the old object into the new one (property)', () => {
    const documents = fc.dictionary(fc.string(), fc.jsonValue()).map(withoutNullMembers);
    fc.assert(
      fc.property(documents, documents, (before, after) => {
        expect(applyMergePatch(before, wholeObjectPatch(before, after))).toStrictEqual(after);
      }),
    );
  });

  it('applying the same patch twice gives the same result as once (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (target, patch) => {
        const once = applyMergePatch(target, patch);
        expect(applyMergePatch(once, patch)).toStrictEqual(once);
      }),
    );
  });
});
