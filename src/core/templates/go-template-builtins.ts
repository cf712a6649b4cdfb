/**
 * Go text/template's predefined functions (`and or not eq ne lt le gt ge len index slice print printf println
 * urlquery js html call`), with Go's argument counts and errors. `and`/`or` are evaluated lazily by the
 * interpreter; here they only pick their result.
 */
import { goSprintf } from './go-printf.js';
import {
  GoExecutionError,
  goEqual,
  goLess,
  isMap,
  plain,
  sprint,
  sprintln,
  truth,
  typeName,
} from './go-template-values.js';

export type GoFunction = {
  minimum: number;
  maximum: number;
  call(values: unknown[]): unknown;
};

function fixed(count: number, call: (values: unknown[]) => unknown): GoFunction {
  return { minimum: count, maximum: count, call };
}

function variadic(minimum: number, call: (values: unknown[]) => unknown): GoFunction {
  return { minimum, maximum: Infinity, call };
}

function length(value: unknown): number {
  const unwrapped = plain(value);
  if (typeof unwrapped === 'string') return Buffer.byteLength(unwrapped);
  if (Array.isArray(unwrapped)) return unwrapped.length;
  if (isMap(unwrapped)) return Object.keys(unwrapped).length;
  if (unwrapped === null || unwrapped === undefined)
    throw new GoExecutionError('error calling len: len of nil pointer');
  throw new GoExecutionError(`error calling len: len of type ${typeName(unwrapped)}`);
}

function indexArgument(value: unknown, capacity: number): number {
  const unwrapped = plain(value);
  if (unwrapped === null || unwrapped === undefined)
    throw new GoExecutionError('cannot index slice/array with nil');
  if (typeof unwrapped !== 'number')
    throw new GoExecutionError(`cannot index slice/array with type ${typeName(unwrapped)}`);
  if (unwrapped < 0 || unwrapped > capacity) throw new GoExecutionError(`index out of range: ${unwrapped}`);
  return unwrapped;
}

function index(values: unknown[]): unknown {
  const [collection, ...keys] = values;
  let item = plain(collection);
  if (item === null || item === undefined)
    throw new GoExecutionError('error calling index: index of untyped nil');
  for (const key of keys) {
    if (item === null || item === undefined)
      throw new GoExecutionError('error calling index: index of nil pointer');
    if (typeof item === 'string') {
      const bytes = Buffer.from(item);
      const position = indexArgument(key, bytes.length);
      if (position >= bytes.length)
        throw new GoExecutionError(`error calling index: index out of range: ${position}`);
      item = bytes[position];
    } else if (Array.isArray(item)) {
      const position = indexArgument(key, item.length);
      if (position >= item.length)
        throw new GoExecutionError(`error calling index: index out of range: ${position}`);
      item = plain(item[position]);
    } else if (isMap(item)) {
      const name = plain(key);
      if (typeof name !== 'string')
        throw new GoExecutionError(`error calling index: value has type ${typeName(name)}; should be string`);
      item = Object.prototype.hasOwnProperty.call(item, name) ? plain(item[name]) : null;
    } else {
      throw new GoExecutionError(`error calling index: can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(values: unknown[]): unknown {
  const [collection, ...indexes] = values;
  const item = plain(collection);
  if (item === null || item === undefined)
    throw new GoExecutionError('error calling slice: slice of untyped nil');
  if (indexes.length > 3)
    throw new GoExecutionError(`error calling slice: too many slice indexes: ${indexes.length}`);
  let size: number;
  if (typeof item === 'string') {
    if (indexes.length === 3)
      throw new GoExecutionError('error calling slice: cannot 3-index slice a string');
    size = Buffer.byteLength(item);
  } else if (Array.isArray(item)) size = item.length;
  else throw new GoExecutionError(`error calling slice: can't slice item of type ${typeName(item)}`);
  const bounds = [0, size, size];
  indexes.forEach((value, position) => {
    bounds[position] = indexArgument(value, size);
  });
  const [low = 0, high = size, max = size] = bounds;
  if (low > high) throw new GoExecutionError(`error calling slice: invalid slice index: ${low} > ${high}`);
  if (indexes.length === 3 && high > max)
    throw new GoExecutionError(`error calling slice: invalid slice index: ${high} > ${max}`);
  if (typeof item === 'string') return Buffer.from(item).subarray(low, high).toString();
  return item.slice(low, high);
}

/** text/template's evalArgs: one string argument as it is, anything else through fmt.Sprint. */
function evalArgs(values: unknown[]): string {
  const [first] = values;
  if (values.length === 1 && typeof plain(first) === 'string') return plain(first) as string;
  return sprint(values);
}

function htmlEscape(text: string): string {
  return text.replace(/[\0"'&<>]/g, (character) =>
    character === '\0'
      ? '\uFFFD'
      : character === '"'
        ? '&#34;'
        : character === "'"
          ? '&#39;'
          : character === '&'
            ? '&amp;'
            : character === '<'
              ? '&lt;'
              : '&gt;',
  );
}

const jsEscapes: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

function jsEscape(text: string): string {
  let output = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    const escape = jsEscapes[character];
    if (escape !== undefined) output += escape;
    else if (code < 0x20) output += `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code >= 0x80 && !/[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(character))
      output += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else output += character;
  }
  return output;
}

/** url.QueryEscape. */
function queryEscape(text: string): string {
  let output = '';
  for (const byte of Buffer.from(text)) {
    const character = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(character)) output += character;
    else if (character === ' ') output += '+';
    else output += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return output;
}

function comparison(values: unknown[]): [unknown, unknown] {
  return [values[0], values[1]];
}

function lessOrEqual(values: unknown[]): boolean {
  const [left, right] = comparison(values);
  return goLess(left, right) || goEqual(left, [right]);
}

export const goBuiltins: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['and', variadic(1, (values) => values.find((value) => !truth(value)) ?? values.at(-1))],
  ['or', variadic(1, (values) => values.find((value) => truth(value)) ?? values.at(-1))],
  ['not', fixed(1, ([value]) => !truth(value))],
  ['eq', variadic(1, ([first, ...others]) => wrapComparison(() => goEqual(first, others)))],
  ['ne', fixed(2, ([left, right]) => wrapComparison(() => !goEqual(left, [right])))],
  ['lt', fixed(2, ([left, right]) => wrapComparison(() => goLess(left, right)))],
  ['le', fixed(2, (values) => wrapComparison(() => lessOrEqual(values)))],
  ['gt', fixed(2, (values) => wrapComparison(() => !lessOrEqual(values)))],
  ['ge', fixed(2, ([left, right]) => wrapComparison(() => !goLess(left, right)))],
  ['len', fixed(1, ([value]) => length(value))],
  ['index', variadic(1, index)],
  ['slice', variadic(1, slice)],
  ['print', variadic(0, sprint)],
  ['println', variadic(0, sprintln)],
  [
    'printf',
    variadic(1, ([format, ...rest]) => {
      const text = plain(format);
      if (typeof text !== 'string')
        throw new GoExecutionError(`wrong type for value; expected string; got ${typeName(text)}`);
      return goSprintf(text, rest);
    }),
  ],
  ['html', variadic(0, (values) => htmlEscape(evalArgs(values)))],
  ['js', variadic(0, (values) => jsEscape(evalArgs(values)))],
  ['urlquery', variadic(0, (values) => queryEscape(evalArgs(values)))],
  [
    'call',
    variadic(1, ([fn]) => {
      const unwrapped = plain(fn);
      if (unwrapped === null || unwrapped === undefined) throw new GoExecutionError('call of nil');
      throw new GoExecutionError(`non-function of type ${typeName(unwrapped)}`);
    }),
  ],
]);

function wrapComparison(compare: () => boolean): boolean {
  try {
    return compare();
  } catch (error) {
    if (error instanceof GoExecutionError)
      throw new GoExecutionError(`error calling comparison: ${error.problem}`);
    throw error;
  }
}
