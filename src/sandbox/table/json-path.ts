/**
 * The subset of Kubernetes JSONPath that printer columns use: `.a.b`, `['a.b']`, `[0]`, `[-1]`, `[1:3]`, `[-1:]`,
 * `[*]`, `.*` and filters `[?(@.type=="Ready")]` / `[?(@.x)]`. Missing keys give no result, as with
 * `AllowMissingKeys(true)` in the apiextensions table convertor.
 */

type Segment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'index'; readonly index: number }
  | {
      readonly kind: 'slice';
      readonly start: number | undefined;
      readonly end: number | undefined;
      readonly step: number;
    }
  | {
      readonly kind: 'filter';
      readonly path: readonly Segment[];
      readonly operator: '==' | '!=' | undefined;
      readonly value: unknown;
    };

export class JsonPathError extends Error {}

/** A parsed path, ready to evaluate against many objects. */
export interface JsonPath {
  readonly source: string;
  find(data: unknown): unknown[];
}

export function parseJsonPath(source: string): JsonPath {
  let text = source.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const segments = parseSegments(text, source);
  return { source, find: (data) => evaluate(segments, [data]) };
}

function parseSegments(text: string, source: string): Segment[] {
  const segments: Segment[] = [];
  let position = 0;
  while (position < text.length) {
    const char = text[position];
    if (char === '.') {
      position += 1;
      if (text[position] === '*') {
        segments.push({ kind: 'wildcard' });
        position += 1;
        continue;
      }
      let name = '';
      while (position < text.length && text[position] !== '.' && text[position] !== '[') {
        if (text[position] === '\\' && position + 1 < text.length) position += 1;
        name += text[position] ?? '';
        position += 1;
      }
      if (name !== '') segments.push({ kind: 'field', name });
    } else if (char === '[') {
      const close = closingBracket(text, position);
      if (close < 0) throw new JsonPathError(`unclosed bracket in ${source}`);
      segments.push(parseBracket(text.slice(position + 1, close).trim(), source));
      position = close + 1;
    } else if (position === 0) {
      // A relaxed path without the leading dot, e.g. `status.phase`.
      segments.push(...parseSegments(`.${text}`, source));
      return segments;
    } else {
      throw new JsonPathError(`unexpected ${char ?? ''} in ${source}`);
    }
  }
  return segments;
}

function closingBracket(text: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '[' || char === '(') {
      depth += 1;
    } else if (char === ']' || char === ')') {
      depth -= 1;
      if (depth === 0 && char === ']') return i;
    }
  }
  return -1;
}

function unquote(text: string): string | undefined {
  const first = text[0];
  if ((first === '"' || first === "'") && text.endsWith(first) && text.length >= 2) return text.slice(1, -1);
  return undefined;
}

function parseInteger(text: string, source: string): number {
  if (!/^-?\d+$/.test(text)) throw new JsonPathError(`invalid array index ${text} in ${source}`);
  return Number(text);
}

function parseBracket(inner: string, source: string): Segment {
  if (inner === '*') return { kind: 'wildcard' };
  const quoted = unquote(inner);
  if (quoted !== undefined) return { kind: 'field', name: quoted };
  if (inner.startsWith('?(') && inner.endsWith(')')) return parseFilter(inner.slice(2, -1).trim(), source);
  if (inner.includes(':')) {
    const [start = '', end = '', step = ''] = inner.split(':').map((part) => part.trim());
    return {
      kind: 'slice',
      start: start === '' ? undefined : parseInteger(start, source),
      end: end === '' ? undefined : parseInteger(end, source),
      step: step === '' ? 1 : parseInteger(step, source),
    };
  }
  return { kind: 'index', index: parseInteger(inner, source) };
}

function parseFilter(expression: string, source: string): Segment {
  const match = /^@((?:\.[^=!<>\s]+|\[[^\]]*\])*)\s*(?:(==|!=)\s*(.+))?$/.exec(expression);
  if (match === null) throw new JsonPathError(`unsupported filter ${expression} in ${source}`);
  const path = parseSegments(match[1] ?? '', source);
  const operator = match[2] as '==' | '!=' | undefined;
  if (operator === undefined) return { kind: 'filter', path, operator, value: undefined };
  const literal = (match[3] ?? '').trim();
  const quoted = unquote(literal);
  let value: unknown = quoted;
  if (quoted === undefined) {
    if (literal === 'true' || literal === 'false') value = literal === 'true';
    else if (literal !== '' && !Number.isNaN(Number(literal))) value = Number(literal);
    else throw new JsonPathError(`unsupported literal ${literal} in ${source}`);
  }
  return { kind: 'filter', path, operator, value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function evaluate(segments: readonly Segment[], start: unknown[]): unknown[] {
  let current = start;
  for (const segment of segments) current = current.flatMap((value) => step(segment, value));
  return current;
}

function step(segment: Segment, value: unknown): unknown[] {
  switch (segment.kind) {
    case 'field':
      return isRecord(value) && Object.hasOwn(value, segment.name) ? [value[segment.name]] : [];
    case 'wildcard':
      if (Array.isArray(value)) return value as unknown[];
      return isRecord(value)
        ? Object.keys(value)
            .sort()
            .map((key) => value[key])
        : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const index = segment.index < 0 ? value.length + segment.index : segment.index;
      return index >= 0 && index < value.length ? [value[index] as unknown] : [];
    }
    case 'slice':
      return Array.isArray(value) ? slice(value as unknown[], segment) : [];
    case 'filter': {
      const items: unknown[] = Array.isArray(value)
        ? (value as unknown[])
        : isRecord(value)
          ? Object.values(value)
          : [];
      return items.filter((item) => {
        const found = evaluate(segment.path, [item]);
        if (segment.operator === undefined) return found.length > 0;
        const equal = found.length > 0 && found[0] === segment.value;
        return segment.operator === '==' ? equal : found.length > 0 && !equal;
      });
    }
  }
}

function slice(
  items: unknown[],
  segment: { start: number | undefined; end: number | undefined; step: number },
): unknown[] {
  const length = items.length;
  const clamp = (n: number): number => Math.min(Math.max(n < 0 ? length + n : n, 0), length);
  const start = segment.start === undefined ? 0 : clamp(segment.start);
  const end = segment.end === undefined ? length : clamp(segment.end);
  const result: unknown[] = [];
  if (segment.step <= 0) return result;
  for (let i = start; i < end; i += segment.step) result.push(items[i]);
  return result;
}
