/**
 * `key=value`, `key: value`, `"key": "value"`, `--key=value` and `?key=value&` pairs whose key names a secret
 * (see secret-keys.ts): the value is replaced, the key kept (`DB_PASSWORD=[REDACTED:password]`), quotes kept
 * so JSON stays JSON. Values:
 * - quoted (`"..."` with escapes, `'...'`): the inside;
 * - after `=`: up to whitespace or one of `, ; " ' < > } ]` (and `&` in a query string: a key after `?`/`&`);
 * - after `:`: up to the end of the line or one of `, " } ]`; a YAML block scalar (`|`, `>`) takes the more
 *   indented lines below it;
 * - `{`, `[`, `true`, `false`, `null`, empty: left alone (nested fields are scanned on their own).
 * The scan matches keys without their values, so a value is never skipped because an ordinary key's value
 * swallowed it.
 */
import { secretKindOfName } from './secret-keys.js';
import { marker } from './token-patterns.js';

/**
 * A key and its separator. A key starts where no key character precedes it, or after one or two dashes that
 * follow a non-key character (`--password=x`, ` -p=x`): never inside `a-a-a-…`, where an unbounded key scanned
 * from every letter cost N² steps (80 KB froze the process for 75 s). So key runs are scanned from one start
 * each, and a key is at most {@link maxKeyLength} characters besides.
 */
const maxKeyLength = 256;
const keyPattern = new RegExp(
  `(?:(?<![\\w.$-])|(?<=(?:^|[^\\w.$-])-{1,2}))(["']?)([A-Za-z_][\\w.-]{0,${maxKeyLength - 1}})\\1([ \\t]*[:=][ \\t]*)`,
  'g',
);
const ignoredValues = new Set(['true', 'false', 'null', 'none', '~']);

interface ValueSpan {
  start: number;
  end: number;
}

function quotedEnd(text: string, start: number, quote: string): number {
  for (let index = start + 1; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\' && quote === '"') {
      index += 1;
      continue;
    }
    if (char === quote) return index;
    if (char === '\n') return index;
  }
  return text.length;
}

function lineIndent(text: string, position: number): number {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  let indent = 0;
  while (text[lineStart + indent] === ' ' || text[lineStart + indent] === '\t') indent += 1;
  return indent;
}

/** The span of a YAML block scalar's content: the following lines indented deeper than the key's line. */
function blockScalarSpan(text: string, keyPosition: number, valueEnd: number): ValueSpan | undefined {
  const keyIndent = lineIndent(text, keyPosition);
  const firstLine = text.indexOf('\n', valueEnd);
  if (firstLine === -1) return undefined;
  let end = firstLine + 1;
  let position = firstLine + 1;
  while (position < text.length) {
    const lineEnd = text.indexOf('\n', position);
    const stop = lineEnd === -1 ? text.length : lineEnd;
    const line = text.slice(position, stop);
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== '' && indent <= keyIndent) break;
    end = stop;
    position = stop + 1;
  }
  return end > firstLine + 1 ? { start: firstLine + 1, end } : undefined;
}

function valueSpan(text: string, start: number, separator: string, inQuery: boolean): ValueSpan | undefined {
  const first = text[start];
  if (first === undefined) return undefined;
  if (first === '"' || first === "'") {
    const end = quotedEnd(text, start, first);
    return end > start + 1 ? { start: start + 1, end } : undefined;
  }
  if (first === '{' || first === '[') return undefined;
  const stops = !separator.includes('=') ? /[\r\n,"}\]]/ : inQuery ? /[\s&,;"'<>}\]]/ : /[\s,;"'<>}\]]/;
  let end = start;
  while (end < text.length && !stops.test(text[end] ?? '')) end += 1;
  let value = text.slice(start, end);
  const trimmed = value.trimEnd();
  end -= value.length - trimmed.length;
  value = trimmed;
  if (value === '') return undefined;
  return { start, end };
}

/** Replace the values of secret-named pairs in `text`. */
export function redactSecretPairs(text: string): string {
  let output = '';
  let copied = 0;
  keyPattern.lastIndex = 0;
  for (let match = keyPattern.exec(text); match !== null; match = keyPattern.exec(text)) {
    const [whole, , key = '', separator = ''] = match;
    const kind = secretKindOfName(key);
    if (kind === undefined) continue;
    const valueStart = match.index + whole.length;
    if (valueStart < copied) continue;
    const before = text[match.index - 1];
    let span = valueSpan(text, valueStart, separator, before === '?' || before === '&');
    if (span === undefined) continue;
    const value = text.slice(span.start, span.end);
    if (value.includes('[REDACTED:') || ignoredValues.has(value.toLowerCase())) {
      keyPattern.lastIndex = span.end;
      continue;
    }
    if (/^[|>][-+]?\d*$/.test(value) && !separator.includes('=')) {
      span = blockScalarSpan(text, match.index, span.end);
      if (span === undefined) continue;
    }
    output += text.slice(copied, span.start) + marker(kind);
    copied = span.end;
    keyPattern.lastIndex = span.end;
  }
  return copied === 0 ? text : output + text.slice(copied);
}
