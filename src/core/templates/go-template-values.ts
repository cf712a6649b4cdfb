/**
 * Values as a Go template sees them, with Go's rules for truth, comparison and printing (fmt's `%v`).
 *
 * Data is JSON-like: a JS number that is an integer is a Go `int`, any other number a `float64` ({@link GoFloat});
 * template literals keep their own kind (`1` is an int, `1.0` a float), so `eq 1 1.0` is refused as in Go.
 * `undefined` is Go's invalid value (a missing map entry: prints `<no value>`), `null` is nil.
 * {@link TrustedText} is text the template author wrote or a sanitiser produced (it is not checked as an alert
 * value when printed); {@link Placeholder} is what every variable reads as when a template is validated.
 */

export class GoFloat {
  constructor(readonly value: number) {}
}

export class TrustedText {
  /** `literal`: written in the template itself (`"…"`), not produced by a function. */
  constructor(
    readonly text: string,
    readonly literal = false,
  ) {}
}

export class Placeholder {
  static readonly instance = new Placeholder();
  readonly text = 'placeholder';
}

/** A template value failed a Go rule (message as Go words it, without position). */
export class GoExecutionError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'GoExecutionError';
  }
}

/** The value without the trust wrapper; data numbers typed (integer → int, else float64). */
export function plain(value: unknown): unknown {
  if (value instanceof TrustedText) return value.text;
  if (typeof value === 'number' && !Number.isInteger(value)) return new GoFloat(value);
  return value;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof GoFloat) &&
    !(value instanceof TrustedText) &&
    !(value instanceof Placeholder)
  );
}

/** Go's truth: false, 0, nil, and empty strings, lists and maps are false. */
export function truth(value: unknown): boolean {
  const unwrapped = plain(value);
  if (unwrapped === undefined || unwrapped === null || unwrapped === false) return false;
  if (unwrapped instanceof Placeholder) return true;
  if (typeof unwrapped === 'string') return unwrapped.length > 0;
  if (typeof unwrapped === 'number') return unwrapped !== 0;
  if (unwrapped instanceof GoFloat) return unwrapped.value !== 0;
  if (Array.isArray(unwrapped)) return unwrapped.length > 0;
  if (isMap(unwrapped)) return Object.keys(unwrapped).length > 0;
  return true;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(value: unknown): Kind {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'int';
  if (value instanceof GoFloat) return 'float';
  if (typeof value === 'string') return 'string';
  return 'invalid';
}

function scalar(value: unknown): number | string | boolean {
  if (value instanceof GoFloat) return value.value;
  return value as number | string | boolean;
}

/** Go's `eq arg1 arg2…`: true when arg1 equals any of the others. */
export function goEqual(first: unknown, others: unknown[]): boolean {
  if (others.length === 0) throw new GoExecutionError('missing argument for comparison');
  const left = plain(first);
  const leftKind = basicKind(left);
  for (const other of others) {
    const right = plain(other);
    const rightKind = basicKind(right);
    if (leftKind !== rightKind) {
      if (left !== undefined && left !== null && right !== undefined && right !== null)
        throw new GoExecutionError('incompatible types for comparison');
      continue;
    }
    if (leftKind === 'invalid') {
      if ((left === null || left === undefined) && (right === null || right === undefined)) return true;
      if (left === null || left === undefined || right === null || right === undefined) continue;
      throw new GoExecutionError(`non-comparable type ${typeName(right)}`);
    }
    if (scalar(left) === scalar(right)) return true;
  }
  return false;
}

/** Go's `lt`: ints, floats and strings of the same kind only. */
export function goLess(first: unknown, second: unknown): boolean {
  const left = plain(first);
  const right = plain(second);
  const leftKind = basicKind(left);
  const rightKind = basicKind(right);
  if (leftKind === 'invalid' || rightKind === 'invalid')
    throw new GoExecutionError('invalid type for comparison');
  if (leftKind !== rightKind) throw new GoExecutionError('incompatible types for comparison');
  if (leftKind === 'bool') throw new GoExecutionError('invalid type for comparison');
  return scalar(left) < scalar(right);
}

/** Go's type name of a value, for messages and printf's `%!v(type=value)`. */
export function typeName(value: unknown): string {
  const unwrapped = plain(value);
  if (unwrapped === undefined || unwrapped === null) return '<nil>';
  if (typeof unwrapped === 'string' || unwrapped instanceof Placeholder) return 'string';
  if (typeof unwrapped === 'number') return 'int';
  if (unwrapped instanceof GoFloat) return 'float64';
  if (typeof unwrapped === 'boolean') return 'bool';
  if (Array.isArray(unwrapped)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** A float64 as Go's `%v` (strconv 'g', shortest) prints it. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  // strconv's shortest 'g': exponent form below 1e-4 and from 1e6 (the precision-6 rule), as fmt's %v prints.
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponentSign(exponent)}`;
  return value.toString();
}

/** Go writes at least two exponent digits: 1e+06, 1e-07. */
export function exponentSign(exponent: number): string {
  const sign = exponent < 0 ? '-' : '+';
  return sign + String(Math.abs(exponent)).padStart(2, '0');
}

/** fmt's `%v` of one value. */
export function formatValue(value: unknown): string {
  const unwrapped = plain(value);
  if (unwrapped === undefined || unwrapped === null) return '<nil>';
  if (unwrapped instanceof Placeholder) return unwrapped.text;
  if (typeof unwrapped === 'string') return unwrapped;
  if (typeof unwrapped === 'number') return String(unwrapped);
  if (unwrapped instanceof GoFloat) return formatFloat(unwrapped.value);
  if (typeof unwrapped === 'boolean') return String(unwrapped);
  if (Array.isArray(unwrapped)) return `[${unwrapped.map(formatValue).join(' ')}]`;
  if (isMap(unwrapped)) {
    const keys = Object.keys(unwrapped).sort(compareKeys);
    return `map[${keys.map((key) => `${key}:${formatValue(unwrapped[key])}`).join(' ')}]`;
  }
  return typeof unwrapped === 'bigint' ? unwrapped.toString() : typeName(unwrapped);
}

/** Go sorts string map keys by bytes. */
export function compareKeys(left: string, right: string): number {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return Buffer.compare(a, b);
}

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(values: unknown[]): string {
  let text = '';
  values.forEach((value, index) => {
    const previous = index > 0 ? plain(values[index - 1]) : undefined;
    if (index > 0 && typeof plain(value) !== 'string' && typeof previous !== 'string') text += ' ';
    text += formatValue(value);
  });
  return text;
}

/** fmt.Sprintln: spaces between all operands and a newline. */
export function sprintln(values: unknown[]): string {
  return `${values.map(formatValue).join(' ')}\n`;
}
