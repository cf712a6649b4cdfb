import { describe, expect, it } from 'vitest';
import { PatchError, applyJsonPatch, maxJsonPatchOperations } from './index.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** The PatchError thrown by `fn`; fails the test when it throws nothing or something else. */
function patchErrorOf(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PatchError);
    return error as PatchError;
  }
  throw new Error('expected a PatchError');
}

describe('applyJsonPatch (RFC 6902)', () => {
  // Cases built from the RFC's rules and its Appendix A scenarios.
  const cases: [string, unknown, unknown, unknown][] = [
    ['adds an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['inserts an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['removes an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['removes an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['replaces a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'moves a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['moves an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['passes tests', { baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
    ['adds a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['ignores unrecognised members of an op', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['unescapes ~01 as ~1 (not /)', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['appends an array value with -', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    ['adds at index == length', { a: [1] }, [{ op: 'add', path: '/a/1', value: 2 }], { a: [1, 2] }],
    ['add replaces an existing member', { a: 1 }, [{ op: 'add', path: '/a', value: 2 }], { a: 2 }],
    ['add at the root replaces the document', { a: 1 }, [{ op: 'add', path: '', value: [1] }], [1]],
    ['replace at the root replaces the document', { a: 1 }, [{ op: 'replace', path: '', value: 'x' }], 'x'],
    ['add of null sets null', { a: 1 }, [{ op: 'add', path: '/b', value: null }], { a: 1, b: null }],
    ['unescapes ~1 as / in keys', { 'a/b': 1 }, [{ op: 'replace', path: '/a~1b', value: 2 }], { 'a/b': 2 }],
    ['uses the empty key', { '': 1 }, [{ op: 'replace', path: '/', value: 2 }], { '': 2 }],
    ['copies a value deeply', { a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }, { op: 'add', path: '/c/b/-', value: 2 }], { a: { b: [1] }, c: { b: [1, 2] } }],
    ['tests objects regardless of key order', { a: { x: 1, y: [1, { z: 2 }] } }, [{ op: 'test', path: '/a', value: { y: [1, { z: 2 }], x: 1 } }], { a: { x: 1, y: [1, { z: 2 }] } }],
    ['moves a value onto itself as a no-op', { a: 1 }, [{ op: 'move', from: '/a', path: '/a' }], { a: 1 }],
    ['applies ops in sequence', { a: 1 }, [{ op: 'copy', from: '/a', path: '/b' }, { op: 'remove', path: '/a' }, { op: 'test', path: '/b', value: 1 }], { b: 1 }],
    ['accepts an empty patch', { a: 1 }, [], { a: 1 }],
    [
      'labels a pod the way client-node sends it',
      { metadata: { name: 'web-1', labels: { app: 'web' } } },
      [{ op: 'add', path: '/metadata/labels/team', value: 'ml' }, { op: 'replace', path: '/metadata/labels/app', value: 'api' }],
      { metadata: { name: 'web-1', labels: { app: 'api', team: 'ml' } } },
    ],
  ];
  it.each(cases)('%s', (_name, target, operations, expected) => {
    expect(applyJsonPatch(deepFreeze(target), deepFreeze(operations))).toStrictEqual(expected);
  });

  it('never mutates the target or the operations, even when later ops change inserted values', () => {
    const target = deepFreeze({ list: [{ n: 1 }] });
    const operations = deepFreeze([
      { op: 'add', path: '/obj', value: { x: 1 } },
      { op: 'add', path: '/obj/y', value: 2 },
      { op: 'add', path: '/list/0/m', value: 2 },
      { op: 'add', path: '/again', value: { x: 1 } },
    ]);
    const result = applyJsonPatch(target, operations);
    expect(result).toStrictEqual({ list: [{ n: 1, m: 2 }], obj: { x: 1, y: 2 }, again: { x: 1 } });
    expect(operations[0]).toStrictEqual({ op: 'add', path: '/obj', value: { x: 1 } });
  });

  it('treats "__proto__" as an ordinary key', () => {
    const result = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('does not resolve inherited properties', () => {
    expect(patchErrorOf(() => applyJsonPatch({}, [{ op: 'remove', path: '/constructor' }])).status).toBe(422);
  });

  describe('400: malformed bodies', () => {
    const malformed: [string, unknown, RegExp][] = [
      ['an object body', { op: 'add', path: '/a', value: 1 }, /must be an array of operations/],
      ['null', null, /must be an array of operations/],
      ['a non-object op', ['add'], /operation 0 must be an object/],
      ['a missing op', [{ path: '/a' }], /operation 0 is missing a string "op"/],
      ['an unknown op', [{ op: 'test', path: '/a', value: 1 }, { op: 'merge', path: '/a' }], /operation 1 has unsupported op "merge"/],
      ['a missing path', [{ op: 'remove' }], /operation 0 \(remove\) is missing a string "path"/],
      ['a pointer without a leading slash', [{ op: 'remove', path: 'a' }], /invalid JSON pointer "a"/],
      ['a bad ~ escape', [{ op: 'remove', path: '/a~2' }], /invalid JSON pointer "\/a~2"/],
      ['add without value', [{ op: 'add', path: '/a' }], /operation 0 \(add\) is missing "value"/],
      ['test without value', [{ op: 'test', path: '/a' }], /\(test\) is missing "value"/],
      ['move without from', [{ op: 'move', path: '/a' }], /\(move\) is missing a string "from"/],
      ['copy with a bad from', [{ op: 'copy', from: 'x', path: '/a' }], /invalid JSON pointer "x" in "from"/],
    ];
    it.each(malformed)('rejects %s', (_name, operations, message) => {
      const error = patchErrorOf(() => applyJsonPatch({ a: 1 }, operations));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(message);
    });

    it('checks every op before applying any, so a later malformed op wins over an earlier failing one', () => {
      const error = patchErrorOf(() => applyJsonPatch({}, [{ op: 'remove', path: '/missing' }, { op: 'bogus', path: '/a' }]));
      expect(error.status).toBe(400);
    });
  });

  describe('413: too many operations', () => {
    it(`accepts ${maxJsonPatchOperations} operations and rejects one more`, () => {
      const ops = Array.from({ length: maxJsonPatchOperations }, () => ({ op: 'test', path: '/a', value: 1 }));
      expect(applyJsonPatch({ a: 1 }, ops)).toStrictEqual({ a: 1 });
      const error = patchErrorOf(() => applyJsonPatch({ a: 1 }, [...ops, { op: 'test', path: '/a', value: 1 }]));
      expect(error.status).toBe(413);
      expect(error.message).toBe('The allowed maximum operations in a JSON patch is 10000, got 10001');
    });
  });

  describe('422: operations that cannot be applied', () => {
    const failing: [string, unknown, unknown[], RegExp][] = [
      ['a failing test', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], /operation 0 \(test\) failed at path "\/baz": test failed/],
      ['a test comparing a string with a number', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], /operation 0 \(test\) failed at path "\/~01"/],
      ['add to a missing parent', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], /operation 0 \(add\) failed at path "\/baz\/bat": path not found/],
      ['remove of a missing member', { a: 1 }, [{ op: 'test', path: '/a', value: 1 }, { op: 'remove', path: '/b' }], /operation 1 \(remove\) failed at path "\/b"/],
      ['replace of a missing member', { a: 1 }, [{ op: 'replace', path: '/b', value: 2 }], /operation 0 \(replace\) failed at path "\/b"/],
      ['add past the end of an array', { a: [1] }, [{ op: 'add', path: '/a/2', value: 2 }], /index 2 is out of range/],
      ['remove past the end of an array', { a: [1] }, [{ op: 'remove', path: '/a/1' }], /index 1 is out of range/],
      ['replace with - as an index', { a: [1] }, [{ op: 'replace', path: '/a/-', value: 2 }], /"-" is not a valid array index/],
      ['an index with a leading zero', { a: [1, 2] }, [{ op: 'remove', path: '/a/01' }], /"01" is not a valid array index/],
      ['a negative index', { a: [1, 2] }, [{ op: 'remove', path: '/a/-1' }], /"-1" is not a valid array index/],
      ['a path through a primitive', { a: 1 }, [{ op: 'add', path: '/a/b', value: 2 }], /failed at path "\/a\/b"/],
      ['move from a missing path', { a: 1 }, [{ op: 'move', from: '/x', path: '/y' }], /operation 0 \(move\) failed at path "\/y" from "\/x"/],
      ['copy from a missing path', { a: 1 }, [{ op: 'copy', from: '/x', path: '/y' }], /\(copy\) failed at path "\/y" from "\/x"/],
      ['move into its own child', { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], /cannot be moved into one of its own children/],
      ['remove of the root', { a: 1 }, [{ op: 'remove', path: '' }], /whole document/],
    ];
    it.each(failing)('rejects %s', (_name, target, operations, message) => {
      const frozen = deepFreeze(target);
      const before = JSON.stringify(frozen);
      const error = patchErrorOf(() => applyJsonPatch(frozen, operations));
      expect(error.status).toBe(422);
      expect(error.message).toMatch(message);
      expect(JSON.stringify(frozen)).toBe(before);
    });
  });
});
