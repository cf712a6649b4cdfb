/**
 * Tokens inside one `{{ … }}` action of a Go text/template (or of native Handlebars, which the translator passes
 * through). Only the lexical level: strings are decoded, everything else is a word the parser classifies.
 */

export type ActionToken =
  | { kind: 'word'; text: string; offset: number; spaceBefore: boolean }
  | { kind: 'string'; value: string; raw: string; offset: number; spaceBefore: boolean }
  | { kind: 'char'; raw: string; offset: number; spaceBefore: boolean }
  | {
      kind: 'lparen' | 'rparen' | 'pipe' | 'comma' | 'declare' | 'assign';
      offset: number;
      spaceBefore: boolean;
    };

/** A lexical or syntax error at an offset of the template source. */
export class GoTemplateSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly offset: number,
  ) {
    super(problem);
    this.name = 'GoTemplateSyntaxError';
  }
}

export type LexedAction = {
  tokens: ActionToken[];
  /** Offset just after the closing `}}`. */
  end: number;
  /** Go ` -}}` (trim whitespace after the action). */
  goTrimRight: boolean;
  /** Handlebars `~}}`. */
  handlebarsTrimRight: boolean;
};

const wordStop = /[\s()|"`',]/;

/**
 * Lexes an action body starting at `start` (just after `{{` and any left trim marker) up to and including `}}`.
 * Throws GoTemplateSyntaxError when the action is not closed or a string is not terminated.
 */
export function lexAction(source: string, start: number): LexedAction {
  const tokens: ActionToken[] = [];
  let index = start;
  let spaceBefore = false;
  for (;;) {
    const character = source[index];
    if (character === undefined)
      throw new GoTemplateSyntaxError('unclosed action: "}}" is missing', start - 2);
    if (/\s/.test(character)) {
      if (source.startsWith('-}}', index + 1)) {
        return { tokens, end: index + 4, goTrimRight: true, handlebarsTrimRight: false };
      }
      index += 1;
      spaceBefore = true;
      continue;
    }
    if (source.startsWith('}}', index))
      return { tokens, end: index + 2, goTrimRight: false, handlebarsTrimRight: false };
    if (source.startsWith('~}}', index)) {
      return { tokens, end: index + 3, goTrimRight: false, handlebarsTrimRight: true };
    }
    const offset = index;
    if (character === '"') {
      const { value, end } = lexQuotedString(source, index);
      tokens.push({ kind: 'string', value, raw: source.slice(index, end), offset, spaceBefore });
      index = end;
    } else if (character === '`') {
      const close = source.indexOf('`', index + 1);
      if (close < 0) throw new GoTemplateSyntaxError('unterminated raw string', index);
      tokens.push({
        kind: 'string',
        value: source.slice(index + 1, close),
        raw: source.slice(index, close + 1),
        offset,
        spaceBefore,
      });
      index = close + 1;
    } else if (character === "'") {
      const close = findClosingSingleQuote(source, index);
      tokens.push({ kind: 'char', raw: source.slice(index, close + 1), offset, spaceBefore });
      index = close + 1;
    } else if (character === '(' || character === ')' || character === '|' || character === ',') {
      const kind =
        character === '(' ? 'lparen' : character === ')' ? 'rparen' : character === '|' ? 'pipe' : 'comma';
      tokens.push({ kind, offset, spaceBefore });
      index += 1;
    } else if (source.startsWith(':=', index)) {
      tokens.push({ kind: 'declare', offset, spaceBefore });
      index += 2;
    } else {
      let end = index;
      while (end < source.length) {
        const next = source[end] ?? '';
        if (wordStop.test(next) || source.startsWith('}}', end) || source.startsWith('~}}', end)) break;
        end += 1;
      }
      const text = source.slice(index, end);
      tokens.push(
        text === '=' ? { kind: 'assign', offset, spaceBefore } : { kind: 'word', text, offset, spaceBefore },
      );
      index = end;
    }
    spaceBefore = false;
  }
}

function findClosingSingleQuote(source: string, start: number): number {
  for (let index = start + 1; index < source.length; index += 1) {
    const character = source[index];
    if (character === '\\') index += 1;
    else if (character === "'") return index;
    else if (character === '\n') break;
  }
  throw new GoTemplateSyntaxError('unterminated quoted string', start);
}

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Decodes a Go interpreted string literal starting at the opening quote. */
function lexQuotedString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  for (;;) {
    const character = source[index];
    if (character === undefined || character === '\n')
      throw new GoTemplateSyntaxError('unterminated quoted string', start);
    if (character === '"') return { value, end: index + 1 };
    if (character !== '\\') {
      value += character;
      index += 1;
      continue;
    }
    const escape = source[index + 1] ?? '';
    const simple = simpleEscapes[escape];
    if (simple !== undefined) {
      value += simple;
      index += 2;
      continue;
    }
    const hexLength = escape === 'x' ? 2 : escape === 'u' ? 4 : escape === 'U' ? 8 : 0;
    const digits =
      hexLength > 0 ? source.slice(index + 2, index + 2 + hexLength) : source.slice(index + 1, index + 4);
    const valid =
      hexLength > 0 ? new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits) : /^[0-7]{3}$/.test(digits);
    if (!valid) throw new GoTemplateSyntaxError(`invalid escape sequence "\\${escape}" in a string`, index);
    value += String.fromCodePoint(Number.parseInt(digits, hexLength > 0 ? 16 : 8));
    index += hexLength > 0 ? 2 + hexLength : 4;
  }
}
