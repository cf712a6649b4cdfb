/**
 * Go's fmt.Sprintf for the values templates have (strings, ints, float64s, bools, nil, lists, maps): the verbs
 * v s q d b o x X c U e E f F g G t and %%, flags `+ - # 0 space`, width and precision, and fmt's own error
 * forms (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`).
 */
import {
  exponentSign,
  formatFloat,
  formatValue,
  GoFloat,
  isMap,
  compareKeys,
  plain,
  typeName,
  Placeholder,
} from './go-template-values.js';

type Spec = {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width?: number | undefined;
  precision?: number | undefined;
  verb: string;
};

export function goSprintf(format: string, values: unknown[]): string {
  let output = '';
  let argument = 0;
  let index = 0;
  while (index < format.length) {
    const percent = format.indexOf('%', index);
    if (percent < 0) {
      output += format.slice(index);
      break;
    }
    output += format.slice(index, percent);
    index = percent + 1;
    const spec: Spec = { plus: false, minus: false, sharp: false, zero: false, space: false, verb: '' };
    for (; index < format.length; index += 1) {
      const flag = format[index];
      if (flag === '+') spec.plus = true;
      else if (flag === '-') spec.minus = true;
      else if (flag === '#') spec.sharp = true;
      else if (flag === '0') spec.zero = true;
      else if (flag === ' ') spec.space = true;
      else break;
    }
    const width = /^\d+/.exec(format.slice(index));
    if (width) {
      spec.width = Number(width[0]);
      index += width[0].length;
    }
    if (format[index] === '.') {
      index += 1;
      const precision = /^\d*/.exec(format.slice(index))?.[0] ?? '';
      spec.precision = precision === '' ? 0 : Number(precision);
      index += precision.length;
    }
    const verb = String.fromCodePoint(format.codePointAt(index) ?? 0);
    if (index >= format.length) {
      output += '%!(NOVERB)';
      break;
    }
    index += verb.length;
    spec.verb = verb;
    if (verb === '%') {
      output += '%';
      continue;
    }
    if (argument >= values.length) {
      output += `%!${verb}(MISSING)`;
      continue;
    }
    output += formatOne(spec, values[argument]);
    argument += 1;
  }
  if (argument < values.length) {
    const extra = values.slice(argument).map((value) => {
      const unwrapped = plain(value);
      return unwrapped === null || unwrapped === undefined
        ? '<nil>'
        : `${typeName(value)}=${formatValue(value)}`;
    });
    output += `%!(EXTRA ${extra.join(', ')})`;
  }
  return output;
}

function bad(spec: Spec, value: unknown): string {
  const unwrapped = plain(value);
  if (unwrapped === null || unwrapped === undefined) return `%!${spec.verb}(<nil>)`;
  return `%!${spec.verb}(${typeName(value)}=${formatValue(value)})`;
}

function pad(spec: Spec, text: string, numeric: boolean): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  if (spec.minus) return text + ' '.repeat(width - length);
  if (spec.zero && numeric) {
    const sign = /^[-+ ]/.test(text) ? (text[0] ?? '') : '';
    return sign + '0'.repeat(width - length) + text.slice(sign.length);
  }
  return ' '.repeat(width - length) + text;
}

function formatOne(spec: Spec, value: unknown): string {
  const unwrapped = plain(value);
  if (unwrapped instanceof Placeholder) return pad(spec, unwrapped.text, false);
  if (unwrapped === null || unwrapped === undefined)
    return spec.verb === 'v' ? pad(spec, '<nil>', false) : bad(spec, value);
  if (Array.isArray(unwrapped)) {
    if (
      spec.verb === 'q' ||
      spec.verb === 'x' ||
      spec.verb === 'X' ||
      spec.verb === 's' ||
      spec.verb === 'v' ||
      /[dboeEfFgGtcU]/.test(spec.verb)
    ) {
      return `[${unwrapped.map((item) => formatOne({ ...spec, width: undefined }, item)).join(' ')}]`;
    }
    return bad(spec, value);
  }
  if (isMap(unwrapped)) {
    const keys = Object.keys(unwrapped).sort(compareKeys);
    const inner = { ...spec, width: undefined };
    return `map[${keys.map((key) => `${formatOne(inner, key)}:${formatOne(inner, unwrapped[key])}`).join(' ')}]`;
  }
  if (typeof unwrapped === 'string') return formatString(spec, unwrapped, value);
  if (typeof unwrapped === 'boolean')
    return spec.verb === 'v' || spec.verb === 't' ? pad(spec, String(unwrapped), false) : bad(spec, value);
  if (typeof unwrapped === 'number') return formatInteger(spec, unwrapped, value);
  if (unwrapped instanceof GoFloat) return formatFloatVerb(spec, unwrapped.value, value);
  return bad(spec, value);
}

function formatString(spec: Spec, text: string, value: unknown): string {
  const cut = spec.precision === undefined ? text : [...text].slice(0, spec.precision).join('');
  switch (spec.verb) {
    case 'v':
    case 's':
      return pad(spec, cut, false);
    case 'q':
      return pad(spec, spec.sharp && !cut.includes('`') ? `\`${cut}\`` : goQuote(cut), false);
    case 'x':
    case 'X': {
      const hex = Buffer.from(cut).toString('hex');
      return pad(spec, spec.verb === 'X' ? hex.toUpperCase() : hex, false);
    }
    default:
      return bad(spec, value);
  }
}

function sign(spec: Spec, negative: boolean): string {
  return negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
}

function formatInteger(spec: Spec, number: number, value: unknown): string {
  const magnitude = Math.abs(number);
  let digits: string;
  let prefix = '';
  switch (spec.verb) {
    case 'v':
    case 'd':
      digits = String(magnitude);
      break;
    case 'b':
      digits = magnitude.toString(2);
      break;
    case 'o':
      digits = magnitude.toString(8);
      if (spec.sharp) prefix = '0';
      break;
    case 'O':
      digits = magnitude.toString(8);
      prefix = '0o';
      break;
    case 'x':
      digits = magnitude.toString(16);
      if (spec.sharp) prefix = '0x';
      break;
    case 'X':
      digits = magnitude.toString(16).toUpperCase();
      if (spec.sharp) prefix = '0X';
      break;
    case 'c':
      return pad(spec, String.fromCodePoint(number), false);
    case 'q':
      return pad(spec, `'${String.fromCodePoint(number)}'`, false);
    case 'U':
      return pad(spec, `U+${magnitude.toString(16).toUpperCase().padStart(4, '0')}`, false);
    default:
      return bad(spec, value);
  }
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
  return pad(spec, sign(spec, number < 0) + prefix + digits, spec.precision === undefined);
}

function formatFloatVerb(spec: Spec, number: number, value: unknown): string {
  const negative = number < 0 || Object.is(number, -0);
  const magnitude = Math.abs(number);
  let text: string;
  switch (spec.verb) {
    case 'v':
    case 'g':
    case 'G':
      text =
        spec.precision === undefined
          ? formatFloat(magnitude)
          : precisionG(magnitude, spec.precision, spec.sharp);
      if (spec.verb === 'G') text = text.toUpperCase();
      break;
    case 'e':
    case 'E':
      text = exponential(magnitude, spec.precision ?? 6);
      if (spec.verb === 'E') text = text.toUpperCase();
      break;
    case 'f':
    case 'F':
      text = magnitude.toFixed(spec.precision ?? 6);
      break;
    default:
      return bad(spec, value);
  }
  return pad(spec, sign(spec, negative) + text, true);
}

function exponential(magnitude: number, precision: number): string {
  const [mantissa = '0', exponent = '0'] = magnitude.toExponential(precision).split('e');
  return `${mantissa}e${exponentSign(Number(exponent))}`;
}

function precisionG(magnitude: number, precision: number, sharp: boolean): string {
  const digits = precision === 0 ? 1 : precision;
  if (magnitude === 0) return '0';
  const exponent = Number(magnitude.toExponential(digits - 1).split('e')[1]);
  let text =
    exponent < -4 || exponent >= digits
      ? exponential(magnitude, digits - 1)
      : magnitude.toFixed(Math.max(0, digits - 1 - exponent));
  if (!sharp && text.includes('.')) text = text.replace(/\.?0+(?=e|$)/, '');
  return text;
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(text: string): string {
  let output = '"';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    switch (character) {
      case '"':
        output += '\\"';
        continue;
      case '\\':
        output += '\\\\';
        continue;
      case '\n':
        output += '\\n';
        continue;
      case '\t':
        output += '\\t';
        continue;
      case '\r':
        output += '\\r';
        continue;
      case '\u0007':
        output += '\\a';
        continue;
      case '\b':
        output += '\\b';
        continue;
      case '\f':
        output += '\\f';
        continue;
      case '\v':
        output += '\\v';
        continue;
    }
    if (code < 0x20 || code === 0x7f) output += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) output += `\\u${code.toString(16).padStart(4, '0')}`;
    else output += character;
  }
  return `${output}"`;
}
