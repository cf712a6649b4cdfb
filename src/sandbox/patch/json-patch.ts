import { parseArrayIndex, parsePointer } from './json-pointer.js';
import { cloneJson, getOwn, isPlainObject, jsonEqual, setOwn } from './json-value.js';
import { PatchError } from './patch-error.js';

/** The API server's limit (apiserver `endpoints/handlers/patch.go`). */
export const maxJsonPatchOperations = 10_000;

type OpName = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

interface Operation {
  readonly op: OpName;
  readonly path: string;
  readonly tokens: readonly string[];
  readonly value?: unknown;
  readonly from?: string;
  readonly fromTokens?: readonly string[];
}

const opNames: readonly OpName[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/** Why one operation could not be applied; reported as a 422 naming the operation. */
class OperationFailure extends Error {}

/**
 * RFC 6902 JSON patch. The operations apply in order to a copy of `target`; the inputs are never changed.
 * A malformed body or operation is a 400, more than 10000 operations a 413, and an operation that cannot
 * be applied (failing `test`, missing path, index out of range) a 422.
 */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError(400, 'json patch must be an array of operations');
  if (operations.length > maxJsonPatchOperations) {
    throw new PatchError(
      413,
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${operations.length}`,
    );
  }
  const parsed = operations.map((raw, index) => parseOperation(raw, index));
  let document = cloneJson(target);
  parsed.forEach((operation, index) => {
    try {
      document = applyOperation(document, operation);
    } catch (error) {
      if (!(error instanceof OperationFailure)) throw error;
      const from = operation.from === undefined ? '' : ` from "${operation.from}"`;
      throw new PatchError(
        422,
        `json patch operation ${index} (${operation.op}) failed at path "${operation.path}"${from}: ${error.message}`,
      );
    }
  });
  return document;
}

function parseOperation(raw: unknown, index: number): Operation {
  const bad = (why: string): PatchError => new PatchError(400, `json patch operation ${index} ${why}`);
  if (!isPlainObject(raw)) throw bad('must be an object');
  const op = getOwn(raw, 'op');
  if (typeof op !== 'string') throw bad('is missing a string "op"');
  const name = opNames.find((candidate) => candidate === op);
  if (name === undefined) throw bad(`has unsupported op "${op}" (expected one of ${opNames.join(', ')})`);
  const path = getOwn(raw, 'path');
  if (typeof path !== 'string') throw bad(`(${name}) is missing a string "path"`);
  const tokens = parsePointer(path);
  if (tokens === undefined) throw bad(`(${name}) has an invalid JSON pointer "${path}"`);
  const operation: Operation = { op: name, path, tokens };
  if (name === 'add' || name === 'replace' || name === 'test') {
    if (!Object.hasOwn(raw, 'value')) throw bad(`(${name}) is missing "value"`);
    return { ...operation, value: raw['value'] };
  }
  if (name === 'move' || name === 'copy') {
    const from = getOwn(raw, 'from');
    if (typeof from !== 'string') throw bad(`(${name}) is missing a string "from"`);
    const fromTokens = parsePointer(from);
    if (fromTokens === undefined) throw bad(`(${name}) has an invalid JSON pointer "${from}" in "from"`);
    return { ...operation, from, fromTokens };
  }
  return operation;
}

function applyOperation(document: unknown, operation: Operation): unknown {
  const { tokens } = operation;
  switch (operation.op) {
    case 'add':
      return add(document, tokens, cloneJson(operation.value));
    case 'remove':
      remove(document, tokens);
      return document;
    case 'replace':
      return replace(document, tokens, cloneJson(operation.value));
    case 'test':
      if (!jsonEqual(get(document, tokens), operation.value)) throw new OperationFailure('test failed: value does not match');
      return document;
    case 'copy':
      return add(document, tokens, cloneJson(get(document, operation.fromTokens ?? [])));
    case 'move': {
      const fromTokens = operation.fromTokens ?? [];
      if (isPrefix(fromTokens, tokens)) {
        if (fromTokens.length === tokens.length) {
          get(document, fromTokens);
          return document;
        }
        throw new OperationFailure('a value cannot be moved into one of its own children');
      }
      return add(document, tokens, remove(document, fromTokens));
    }
  }
}

function isPrefix(prefix: readonly string[], tokens: readonly string[]): boolean {
  return prefix.length <= tokens.length && prefix.every((token, i) => tokens[i] === token);
}

/** The value at `tokens`; fails when any step is missing. */
function get(document: unknown, tokens: readonly string[]): unknown {
  let current = document;
  for (const token of tokens) current = child(current, token);
  return current;
}

function child(container: unknown, token: string): unknown {
  if (Array.isArray(container)) {
    const index = parseArrayIndex(token);
    if (index === undefined) throw new OperationFailure(`"${token}" is not a valid array index`);
    if (index >= container.length) throw new OperationFailure(`array index ${index} is out of range (length ${container.length})`);
    return container[index];
  }
  if (isPlainObject(container)) {
    if (!Object.hasOwn(container, token)) throw new OperationFailure(`path not found: no key "${token}"`);
    return container[token];
  }
  throw new OperationFailure(`cannot look up "${token}" in a ${container === null ? 'null' : typeof container}`);
}

/** The container holding the last token, and that token. Only called with a non-empty path. */
function parentOf(document: unknown, tokens: readonly string[]): { parent: unknown; last: string } {
  const last = tokens[tokens.length - 1] ?? '';
  return { parent: get(document, tokens.slice(0, -1)), last };
}

function add(document: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(document, tokens);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : parseArrayIndex(last);
    if (index === undefined) throw new OperationFailure(`"${last}" is not a valid array index`);
    if (index > parent.length) throw new OperationFailure(`array index ${index} is out of range (length ${parent.length})`);
    parent.splice(index, 0, value);
  } else if (isPlainObject(parent)) {
    setOwn(parent, last, value);
  } else {
    throw new OperationFailure('the parent of the path is not an object or an array');
  }
  return document;
}

/** Removes and returns the value at `tokens`. */
function remove(document: unknown, tokens: readonly string[]): unknown {
  if (tokens.length === 0) throw new OperationFailure('the whole document cannot be removed');
  const { parent, last } = parentOf(document, tokens);
  const removed = child(parent, last);
  if (Array.isArray(parent)) parent.splice(parseArrayIndex(last) ?? parent.length, 1);
  else if (isPlainObject(parent)) delete parent[last];
  return removed;
}

function replace(document: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(document, tokens);
  child(parent, last);
  if (Array.isArray(parent)) parent[parseArrayIndex(last) ?? parent.length] = value;
  else if (isPlainObject(parent)) setOwn(parent, last, value);
  return document;
}
