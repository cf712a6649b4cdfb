/**
 * Translates the Go text/template subset that upstream Aegis templates use into Handlebars.
 *
 *   {{.x}} {{.x.y}} {{.}} {{$.x}}            → {{this.x}} {{this.x.y}} {{this}} {{@root.x}}
 *   {{if P}} {{else if P}} {{else}} {{end}}  → {{#if P}} {{else if P}} {{else}} {{/if}}   (likewise range → #each, with)
 *   {{- x -}}                                → {{~x~}}
 *   {{.x | quote}}  {{ .x | default "y" }}   → {{quote this.x}}  {{default "y" this.x}}   (pipe value goes last, as Go)
 *   {{eq .a "b"}} (nested: {{if eq .a "b"}}) → {{eq this.a "b"}}  {{#if (eq this.a "b")}}
 *   {{"text"}}                               → {{aegisLiteral "text"}}
 *   {{/* comment *\/}}                       → {{!-- comment --}}
 *
 * Fields become `this.`-paths so that a variable can never be mistaken for a helper of the same name. Actions that
 * contain no Go syntax (`{{node}}`, `{{#if x}}`, `{{shellquote node}}`, `{{!-- --}}`) are native Handlebars and
 * pass through unchanged. Go variables (`$x :=`, `range $i, $v :=`), `template`/`define`/`block`, `break` and
 * `continue` are refused with the construct and its line. Every action is recorded with its offsets in both texts
 * so that errors found later in the Handlebars text can be reported at the line of the original.
 */
import { GoTemplateSyntaxError, lexAction, type ActionToken } from './go-template-lexer.js';

/** The functions templates may call (Go name = Handlebars helper name). */
export const templateFunctions: ReadonlySet<string> = new Set([
  'and',
  'default',
  'eq',
  'ge',
  'gt',
  'index',
  'keep',
  'le',
  'len',
  'lt',
  'ne',
  'not',
  'or',
  'quote',
  'shellquote',
]);

/** Where one action sits in the Go source and in the Handlebars output (offsets, end exclusive). */
export type TranslatedAction = {
  goStart: number;
  goEnd: number;
  handlebarsStart: number;
  handlebarsEnd: number;
};

export type TranslateResult =
  | { ok: true; handlebars: string; actions: TranslatedAction[] }
  | {
      ok: false;
      /** `problem (line N)`, line counted in the translated source. */
      message: string;
      problem: string;
      line: number;
      offset: number;
    };

type Expression =
  | { kind: 'path'; root: boolean; fields: string[] }
  | { kind: 'string'; value: string }
  | { kind: 'literal'; text: string }
  | { kind: 'call'; name: string; arguments: Expression[] };

type OpenBlock = { helper: string; offset: number; display: string; close: string };

const goKeywords = new Set([
  'if',
  'range',
  'with',
  'end',
  'else',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);
const blockHelpers: Record<string, string> = { if: 'if', range: 'each', with: 'with' };

/** Line (1-based) of an offset in a text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1))
    line += 1;
  return line;
}

export function translateGoTemplate(source: string): TranslateResult {
  try {
    return { ok: true, ...new Translator(source).run() };
  } catch (error) {
    if (!(error instanceof GoTemplateSyntaxError)) throw error;
    const line = lineAt(source, error.offset);
    return {
      ok: false,
      message: `${error.problem} (line ${line})`,
      problem: error.problem,
      line,
      offset: error.offset,
    };
  }
}

class Translator {
  private output = '';
  private readonly actions: TranslatedAction[] = [];
  private readonly open: OpenBlock[] = [];

  constructor(private readonly source: string) {}

  run(): { handlebars: string; actions: TranslatedAction[] } {
    let index = 0;
    for (;;) {
      const start = this.source.indexOf('{{', index);
      if (start < 0) break;
      const content = this.source.slice(index, start);
      // Go prints a backslash before an action; Handlebars would read `\{{` as an escaped, literal `{{`.
      this.output += content.endsWith('\\') ? `${content}\\` : content;
      index = this.action(start);
    }
    this.output += this.source.slice(index);
    const unclosed = this.open.at(-1);
    if (unclosed) {
      throw new GoTemplateSyntaxError(
        `${unclosed.display} is never closed (add ${unclosed.close})`,
        unclosed.offset,
      );
    }
    return { handlebars: this.output, actions: this.actions };
  }

  /** Translates the action at `start` and returns the offset after it. */
  private action(start: number): number {
    const source = this.source;
    if (source.startsWith('{{{{', start)) {
      throw new GoTemplateSyntaxError('raw blocks ({{{{raw}}}}) are not supported', start);
    }
    if (source.startsWith('{{{', start)) return this.passThrough(start, this.findEnd(start, '}}}'));
    const goTrimLeft = /^\{\{-\s/.test(source.slice(start, start + 4));
    const handlebarsTrimLeft = source.startsWith('{{~', start);
    const bodyStart = start + (goTrimLeft ? 3 : handlebarsTrimLeft ? 3 : 2);
    const afterSpace = goTrimLeft ? source.slice(bodyStart).search(/\S/) + bodyStart : bodyStart;
    if (source.startsWith('!--', bodyStart)) return this.passThrough(start, this.findEnd(start, '--}}'));
    if (source.startsWith('!', bodyStart)) return this.passThrough(start, this.findEnd(start, '}}'));
    if (source.startsWith('/*', afterSpace)) return this.comment(start, afterSpace, goTrimLeft);
    const lexed = lexAction(source, bodyStart);
    const first = lexed.tokens[0];
    const firstWord = first?.kind === 'word' ? first.text : undefined;
    if (firstWord !== undefined && /^[#/^]/.test(firstWord)) {
      this.trackNativeBlock(firstWord, start);
      return this.passThrough(start, lexed.end);
    }
    if (!goTrimLeft && !lexed.goTrimRight && !isGoAction(lexed.tokens))
      return this.passThrough(start, lexed.end);
    if (lexed.tokens.length === 0) throw new GoTemplateSyntaxError('empty action {{ }}', start);
    const body = this.goAction(lexed.tokens, start);
    const open = goTrimLeft || handlebarsTrimLeft ? '{{~' : '{{';
    const close = lexed.goTrimRight || lexed.handlebarsTrimRight ? '~}}' : '}}';
    return this.emit(start, lexed.end, open + body, close);
  }

  private findEnd(start: number, terminator: string): number {
    const end = this.source.indexOf(terminator, start + 2);
    if (end < 0) throw new GoTemplateSyntaxError(`unclosed action: "${terminator}" is missing`, start);
    return end + terminator.length;
  }

  private passThrough(start: number, end: number): number {
    const text = this.source.slice(start, end);
    this.record(start, end, text);
    return end;
  }

  private comment(start: number, commentStart: number, goTrimLeft: boolean): number {
    const close = this.source.indexOf('*/', commentStart + 2);
    if (close < 0) throw new GoTemplateSyntaxError('unclosed comment: "*/" is missing', start);
    const rest = /^(\s-)?\}\}/.exec(this.source.slice(close + 2));
    if (!rest) throw new GoTemplateSyntaxError('a comment must end with "*/}}"', close);
    const text = this.source.slice(commentStart + 2, close).replaceAll('--', '- -');
    const open = goTrimLeft ? '{{~!--' : '{{!--';
    const end = close + 2 + rest[0].length;
    return this.emit(start, end, `${open}${text}`, rest[1] ? '--~}}' : '--}}');
  }

  /** Appends a translated action, padded with newlines so it spans at least as many lines as the original. */
  private emit(start: number, end: number, body: string, close: string): number {
    const missing = count(this.source.slice(start, end), '\n') - count(body + close, '\n');
    this.record(start, end, body + '\n'.repeat(Math.max(0, missing)) + close);
    return end;
  }

  private record(goStart: number, goEnd: number, text: string): void {
    const handlebarsStart = this.output.length;
    this.output += text;
    this.actions.push({ goStart, goEnd, handlebarsStart, handlebarsEnd: this.output.length });
  }

  private trackNativeBlock(word: string, offset: number): void {
    const name = word.slice(1);
    if (word.startsWith('#'))
      this.open.push({ helper: name, offset, display: `{{#${name}}}`, close: `{{/${name}}}` });
    else if (this.open.at(-1)?.helper === name) this.open.pop();
  }

  private goAction(tokens: ActionToken[], start: number): string {
    const declaration = tokens.find((token) => token.kind === 'declare' || token.kind === 'assign');
    const first = tokens[0];
    const keyword = first?.kind === 'word' && goKeywords.has(first.text) ? first.text : undefined;
    if (declaration) {
      const construct =
        keyword === 'range' ? 'range with variables ({{range $i, $v := …}})' : 'variables ($x := …)';
      throw new GoTemplateSyntaxError(
        `${construct} are not supported; use {{range .items}} and {{.}}`,
        start,
      );
    }
    switch (keyword) {
      case 'if':
      case 'range':
      case 'with': {
        const condition = this.condition(tokens.slice(1), keyword, start);
        const helper = blockHelpers[keyword] ?? keyword;
        this.open.push({ helper, offset: start, display: `{{${keyword}}}`, close: '{{end}}' });
        return `#${helper} ${condition}`;
      }
      case 'else':
        return this.elseAction(tokens.slice(1), start);
      case 'end': {
        if (tokens.length > 1) throw new GoTemplateSyntaxError('{{end}} takes no arguments', start);
        const block = this.open.pop();
        if (!block)
          throw new GoTemplateSyntaxError('{{end}} without a matching {{if}}, {{range}} or {{with}}', start);
        return `/${block.helper}`;
      }
      case 'define':
      case 'template':
      case 'block':
        throw new GoTemplateSyntaxError(
          `{{${keyword}}} is not supported: an ops template is one document without named sub-templates`,
          start,
        );
      case 'break':
      case 'continue':
        throw new GoTemplateSyntaxError(`{{${keyword}}} is not supported`, start);
      default:
        return outputExpression(new PipelineParser(tokens, start).parseAll());
    }
  }

  private elseAction(rest: ActionToken[], start: number): string {
    const block = this.open.at(-1);
    if (!block) throw new GoTemplateSyntaxError('{{else}} outside {{if}}, {{range}} or {{with}}', start);
    const next = rest[0];
    if (next === undefined) return 'else';
    if (next.kind === 'word' && (next.text === 'if' || next.text === 'with')) {
      const helper = next.text;
      if (block.helper !== helper) {
        throw new GoTemplateSyntaxError(`{{else ${helper}}} inside ${block.display} is not supported`, start);
      }
      return `else ${helper} ${this.condition(rest.slice(1), helper, start)}`;
    }
    throw new GoTemplateSyntaxError('{{else}} takes no arguments (did you mean {{else if …}}?)', start);
  }

  private condition(tokens: ActionToken[], keyword: string, start: number): string {
    if (tokens.length === 0) throw new GoTemplateSyntaxError(`missing value for {{${keyword}}}`, start);
    return argumentExpression(new PipelineParser(tokens, start).parseAll());
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** True when an action uses Go syntax: fields, `$`, pipes, Go keywords, Go strings or character literals. */
function isGoAction(tokens: ActionToken[]): boolean {
  const first = tokens[0];
  // `else` alone is the same in both languages; `else if x` without Go syntax is native Handlebars.
  if (first?.kind === 'word' && goKeywords.has(first.text) && first.text !== 'else') return true;
  // A literal printed as it is ({{"{{workflow.name}}"}}); Handlebars would read it as a variable name.
  if (first?.kind === 'string' && tokens.length === 1) return true;
  return tokens.some((token) => {
    if (
      token.kind === 'pipe' ||
      token.kind === 'declare' ||
      token.kind === 'assign' ||
      token.kind === 'char'
    ) {
      return true;
    }
    if (token.kind === 'string') return token.raw.startsWith('`');
    if (token.kind !== 'word') return false;
    return (
      (token.text.startsWith('.') && !token.text.startsWith('./') && !token.text.startsWith('../')) ||
      token.text.startsWith('$')
    );
  });
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const number = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0[xX][0-9a-fA-F]+$/;
const handlebarsKeywords = new Set(['true', 'false', 'null', 'undefined', 'else', 'as', 'this']);

/** Parses a Go pipeline: `command (| command)*`, where a later command receives the earlier value as its last argument. */
class PipelineParser {
  private position = 0;

  constructor(
    private readonly tokens: ActionToken[],
    private readonly actionStart: number,
  ) {}

  parseAll(): Expression {
    const expression = this.pipeline();
    const extra = this.tokens[this.position];
    if (extra) throw new GoTemplateSyntaxError(`unexpected ${describeToken(extra)}`, extra.offset);
    return expression;
  }

  private pipeline(): Expression {
    let value = this.command();
    while (this.tokens[this.position]?.kind === 'pipe') {
      const pipe = this.tokens[this.position];
      this.position += 1;
      const next = this.command();
      if (next.kind !== 'call') {
        throw new GoTemplateSyntaxError(
          'a pipeline stage must be a function (e.g. | quote)',
          pipe?.offset ?? 0,
        );
      }
      value = { kind: 'call', name: next.name, arguments: [...next.arguments, value] };
    }
    return value;
  }

  private command(): Expression {
    const operands: Array<{ expression: Expression; isFunction: boolean; offset: number }> = [];
    for (;;) {
      const token = this.tokens[this.position];
      if (token === undefined || token.kind === 'pipe' || token.kind === 'rparen') break;
      operands.push(this.operand());
    }
    const [first, ...rest] = operands;
    if (!first) {
      const token = this.tokens[this.position];
      throw new GoTemplateSyntaxError('missing value in pipeline', token?.offset ?? this.actionStart);
    }
    if (first.isFunction && first.expression.kind === 'call') {
      return { ...first.expression, arguments: rest.map((operand) => operand.expression) };
    }
    const extra = rest[0];
    if (extra) throw new GoTemplateSyntaxError("can't give an argument to a non-function", extra.offset);
    return first.expression;
  }

  private operand(): { expression: Expression; isFunction: boolean; offset: number } {
    const token = this.tokens[this.position];
    if (token === undefined) throw new GoTemplateSyntaxError('missing value', this.actionStart);
    this.position += 1;
    const offset = token.offset;
    switch (token.kind) {
      case 'string':
        return { expression: { kind: 'string', value: token.value }, isFunction: false, offset };
      case 'char':
        throw new GoTemplateSyntaxError(
          `character literals (${token.raw}) are not supported; use "…"`,
          offset,
        );
      case 'lparen': {
        const inner = this.pipeline();
        const close = this.tokens[this.position];
        if (close?.kind !== 'rparen') throw new GoTemplateSyntaxError('unclosed "(" in action', offset);
        this.position += 1;
        const after = this.tokens[this.position];
        if (after?.kind === 'word' && !after.spaceBefore && after.text.startsWith('.')) {
          throw new GoTemplateSyntaxError(
            'fields of a parenthesised value ((…).x) are not supported',
            after.offset,
          );
        }
        return { expression: inner, isFunction: false, offset };
      }
      case 'word':
        return this.word(token.text, offset);
      default:
        throw new GoTemplateSyntaxError(`unexpected ${describeToken(token)}`, offset);
    }
  }

  private word(
    text: string,
    offset: number,
  ): { expression: Expression; isFunction: boolean; offset: number } {
    if (text === '.' || text.startsWith('.')) {
      return {
        expression: { kind: 'path', root: false, fields: fields(text, offset) },
        isFunction: false,
        offset,
      };
    }
    if (text === '$' || text.startsWith('$.')) {
      return {
        expression: { kind: 'path', root: true, fields: fields(text.slice(1), offset) },
        isFunction: false,
        offset,
      };
    }
    if (text.startsWith('$')) {
      throw new GoTemplateSyntaxError(`variables (${text}) are not supported; use . or $.name`, offset);
    }
    if (text === 'true' || text === 'false')
      return { expression: { kind: 'literal', text }, isFunction: false, offset };
    if (text === 'nil') return { expression: { kind: 'literal', text: 'null' }, isFunction: false, offset };
    if (number.test(text)) {
      const value = Number(text);
      if (!Number.isFinite(value)) throw new GoTemplateSyntaxError(`number ${text} is out of range`, offset);
      return { expression: { kind: 'literal', text: String(value) }, isFunction: false, offset };
    }
    if (identifier.test(text)) {
      if (!templateFunctions.has(text))
        throw new GoTemplateSyntaxError(`function "${text}" is not supported`, offset);
      return { expression: { kind: 'call', name: text, arguments: [] }, isFunction: true, offset };
    }
    throw new GoTemplateSyntaxError(`unexpected "${text}" in action`, offset);
  }
}

function fields(text: string, offset: number): string[] {
  if (text === '' || text === '.') return [];
  const parts = text.slice(1).split('.');
  for (const part of parts) {
    if (!identifier.test(part)) throw new GoTemplateSyntaxError(`invalid field name in "${text}"`, offset);
  }
  return parts;
}

function describeToken(token: ActionToken): string {
  switch (token.kind) {
    case 'word':
      return `"${token.text}"`;
    case 'string':
    case 'char':
      return token.raw;
    case 'lparen':
      return '"("';
    case 'rparen':
      return '")"';
    case 'pipe':
      return '"|"';
    case 'comma':
      return '","';
    case 'declare':
      return '":="';
    case 'assign':
      return '"="';
  }
}

function pathText(expression: { root: boolean; fields: string[] }): string {
  const segments = expression.fields.map((field) => (handlebarsKeywords.has(field) ? `[${field}]` : field));
  const base = expression.root ? '@root' : 'this';
  return segments.length === 0 ? base : `${base}.${segments.join('.')}`;
}

function stringLiteral(value: string, offset = 0): string {
  // Handlebars strings know one escape, \" ; a value ending in a backslash cannot be written.
  if (value.endsWith('\\'))
    throw new GoTemplateSyntaxError('a string ending with a backslash is not supported', offset);
  return `"${value.replaceAll('"', '\\"')}"`;
}

/** The expression as a Handlebars argument: calls become sub-expressions. */
function argumentExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'path':
      return pathText(expression);
    case 'string':
      return stringLiteral(expression.value);
    case 'literal':
      return expression.text;
    case 'call':
      return `(${callText(expression)})`;
  }
}

function callText(call: { name: string; arguments: Expression[] }): string {
  return [call.name, ...call.arguments.map(argumentExpression)].join(' ');
}

/** The expression as the body of an output action. Literals go through aegisLiteral, which prints them as written. */
function outputExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'path':
      return pathText(expression);
    case 'call':
      return callText(expression);
    case 'string':
    case 'literal':
      return `aegisLiteral ${argumentExpression(expression)}`;
  }
}
