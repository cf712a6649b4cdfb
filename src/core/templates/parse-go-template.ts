/**
 * Parses a Go text/template into the tree of `go-template-tree.ts`, with the checks Go's parser makes before
 * anything runs: every `{{if}}`/`{{with}}`/`{{range}}` closed by `{{end}}`, `{{else}}` and `{{break}}` only where
 * they belong, functions known, variables declared before use, literals not used as pipeline stages.
 * `{{define}}`, `{{template}}` and `{{block}}` are refused: an ops template is one document.
 * Whitespace trimming (`{{- ` and ` -}}`) is applied here, as Go's lexer does.
 */
import { GoTemplateSyntaxError, lexAction, type ActionToken } from './go-template-lexer.js';
import type { GoCommand, GoNode, GoOperand, GoPipeline } from './go-template-tree.js';

const identifier = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;
const spaceCharacters = ' \t\r\n';

/** Parses `source`; throws GoTemplateSyntaxError at the offending offset. */
export function parseGoTemplate(source: string, functions: ReadonlySet<string>): GoNode[] {
  return new TemplateParser(source, functions).parse();
}

type Item =
  | { kind: 'node'; node: GoNode }
  | { kind: 'else'; tokens: ActionToken[]; offset: number }
  | { kind: 'end'; offset: number }
  | { kind: 'eof' };

class TemplateParser {
  private index = 0;
  private trimNext = false;
  private readonly variables: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private readonly source: string,
    private readonly functions: ReadonlySet<string>,
  ) {}

  parse(): GoNode[] {
    const { nodes, stop } = this.list();
    if (stop.kind === 'else') throw new GoTemplateSyntaxError('unexpected {{else}}', stop.offset);
    if (stop.kind === 'end') throw new GoTemplateSyntaxError('unexpected {{end}}', stop.offset);
    return nodes;
  }

  /** Nodes up to the next `{{else}}`, `{{end}}` or the end of the source. */
  private list(): { nodes: GoNode[]; stop: Exclude<Item, { kind: 'node' }> } {
    const nodes: GoNode[] = [];
    for (;;) {
      const item = this.next();
      if (item.kind !== 'node') return { nodes, stop: item };
      nodes.push(item.node);
    }
  }

  private next(): Item {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      return pending;
    }
    for (;;) {
      const source = this.source;
      if (this.index >= source.length) return { kind: 'eof' };
      const start = source.indexOf('{{', this.index);
      const textEnd = start < 0 ? source.length : start;
      const leftTrim = start >= 0 && source[start + 2] === '-' && isSpace(source[start + 3]);
      let text = source.slice(this.index, textEnd);
      if (this.trimNext) text = trimLeft(text);
      if (leftTrim) text = trimRight(text);
      this.trimNext = false;
      if (start < 0) {
        this.index = source.length;
        if (text !== '') return { kind: 'node', node: { kind: 'text', text } };
        return { kind: 'eof' };
      }
      const item = this.action(start, leftTrim);
      if (text !== '') {
        // The text comes first; the action's item is returned by the next call.
        this.pending = item;
        return { kind: 'node', node: { kind: 'text', text } };
      }
      if (item) return item;
    }
  }

  private pending: Item | undefined;

  private action(start: number, leftTrim: boolean): Item | undefined {
    const source = this.source;
    let bodyStart = start + 2;
    if (leftTrim) bodyStart += 2;
    const afterSpace = bodyStart + (source.slice(bodyStart).search(/\S/) >>> 0);
    if (source.startsWith('/*', leftTrim ? afterSpace : bodyStart)) {
      const commentStart = leftTrim ? afterSpace : bodyStart;
      const close = source.indexOf('*/', commentStart + 2);
      if (close < 0) throw new GoTemplateSyntaxError('unclosed comment', start);
      const rest = /^( -)?\}\}/.exec(source.slice(close + 2));
      if (!rest) throw new GoTemplateSyntaxError('comment ends before closing delimiter', start);
      this.index = close + 2 + rest[0].length;
      this.trimNext = rest[1] !== undefined;
      return undefined;
    }
    const lexed = lexAction(source, bodyStart);
    if (lexed.handlebarsTrimRight) throw new GoTemplateSyntaxError('unexpected "~" in action', start);
    this.index = lexed.end;
    this.trimNext = lexed.goTrimRight;
    return this.classify(lexed.tokens, start);
  }

  private classify(tokens: ActionToken[], offset: number): Item {
    const first = tokens[0];
    const keyword = first?.kind === 'word' ? first.text : undefined;
    switch (keyword) {
      case 'if':
      case 'with':
      case 'range':
        return { kind: 'node', node: this.control(keyword, tokens.slice(1), offset) };
      case 'else':
        return { kind: 'else', tokens: tokens.slice(1), offset };
      case 'end':
        if (tokens.length > 1) throw new GoTemplateSyntaxError('unexpected token in end', offset);
        return { kind: 'end', offset };
      case 'break':
      case 'continue':
        if (tokens.length > 1) throw new GoTemplateSyntaxError(`unexpected token in {{${keyword}}}`, offset);
        if (this.rangeDepth === 0)
          throw new GoTemplateSyntaxError(`{{${keyword}}} outside {{range}}`, offset);
        return { kind: 'node', node: { kind: keyword, offset } };
      case 'define':
      case 'template':
      case 'block':
        throw new GoTemplateSyntaxError(
          `{{${keyword}}} is not supported: an ops template is one document without named sub-templates`,
          offset,
        );
      default: {
        if (tokens.length === 0) throw new GoTemplateSyntaxError('missing value for command', offset);
        const pipeline = this.pipeline(tokens, offset, 'command');
        return { kind: 'node', node: { kind: 'action', pipeline, offset } };
      }
    }
  }

  private control(keyword: 'if' | 'with' | 'range', tokens: ActionToken[], offset: number): GoNode {
    const mark = this.variables.length;
    const pipeline = this.pipeline(tokens, offset, keyword);
    if (keyword === 'range') this.rangeDepth += 1;
    const body = this.list();
    if (keyword === 'range') this.rangeDepth -= 1;
    let elseList: GoNode[] | undefined;
    let stop = body.stop;
    if (stop.kind === 'else') {
      const next = stop.tokens[0];
      if (next?.kind === 'word' && next.text === 'if' && keyword === 'if') {
        // {{else if …}} is {{else}}{{if …}} … {{end}}{{end}} with a shared {{end}}.
        const nested = this.control('if', stop.tokens.slice(1), stop.offset);
        elseList = [nested];
        this.variables.length = mark;
        return { kind: keyword, pipeline, list: body.nodes, elseList, offset };
      }
      if (stop.tokens.length > 0)
        throw new GoTemplateSyntaxError(
          'unexpected token in else (only {{else if …}} is allowed)',
          stop.offset,
        );
      const otherwise = this.list();
      elseList = otherwise.nodes;
      stop = otherwise.stop;
      if (stop.kind === 'else') throw new GoTemplateSyntaxError('expected end; found {{else}}', stop.offset);
    }
    if (stop.kind === 'eof')
      throw new GoTemplateSyntaxError(`{{${keyword}}} is never closed (add {{end}})`, offset);
    this.variables.length = mark;
    return { kind: keyword, pipeline, list: body.nodes, elseList, offset };
  }

  private pipeline(tokens: ActionToken[], offset: number, context: string): GoPipeline {
    let position = 0;
    const declarations: string[] = [];
    let assign = false;
    // Declarations: $x := …, $i, $v := …, $x = …
    const declarationEnd = tokens.findIndex((token) => token.kind === 'declare' || token.kind === 'assign');
    if (declarationEnd > 0 && tokens.slice(0, declarationEnd).every(isVariableOrComma)) {
      const names = tokens
        .slice(0, declarationEnd)
        .filter((token): token is Extract<ActionToken, { kind: 'word' }> => token.kind === 'word')
        .map((token) => token.text);
      const declaration = tokens[declarationEnd];
      assign = declaration?.kind === 'assign';
      const limit = context === 'range' ? 2 : 1;
      if (names.length > limit || names.length === 0)
        throw new GoTemplateSyntaxError(`too many declarations in ${context}`, offset);
      for (const name of names) {
        if (!/^\$[\p{L}\p{Nd}_]*$/u.test(name))
          throw new GoTemplateSyntaxError(`invalid variable name ${name}`, offset);
      }
      declarations.push(...names);
      position = declarationEnd + 1;
    }
    const rest = tokens.slice(position);
    if (rest.length === 0) throw new GoTemplateSyntaxError(`missing value for ${context}`, offset);
    const parser = new PipelineParser(rest, offset, this);
    const commands = parser.commands();
    if (!assign) this.variables.push(...declarations);
    return { declarations, assign, commands, offset };
  }

  hasFunction(name: string): boolean {
    return this.functions.has(name);
  }

  hasVariable(name: string): boolean {
    return this.variables.includes(name);
  }
}

function isVariableOrComma(token: ActionToken): boolean {
  return token.kind === 'comma' || (token.kind === 'word' && token.text.startsWith('$'));
}

function isSpace(character: string | undefined): boolean {
  return character !== undefined && spaceCharacters.includes(character);
}

function trimLeft(text: string): string {
  let start = 0;
  while (start < text.length && isSpace(text[start])) start += 1;
  return text.slice(start);
}

function trimRight(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end -= 1;
  return text.slice(0, end);
}

const numberPattern =
  /^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?)$/;

/** Parses the commands of one pipeline: `command (| command)*`. */
class PipelineParser {
  private position = 0;

  constructor(
    private readonly tokens: ActionToken[],
    private readonly offset: number,
    private readonly scope: { hasFunction(name: string): boolean; hasVariable(name: string): boolean },
  ) {}

  commands(): GoCommand[] {
    const commands = this.pipelineCommands();
    const extra = this.tokens[this.position];
    if (extra) throw new GoTemplateSyntaxError(`unexpected ${describeToken(extra)} in operand`, this.offset);
    return commands;
  }

  private pipelineCommands(): GoCommand[] {
    const commands: GoCommand[] = [this.command()];
    while (this.tokens[this.position]?.kind === 'pipe') {
      this.position += 1;
      const command = this.command();
      const first = command.operands[0];
      if (first && ['string', 'number', 'bool', 'nil'].includes(first.kind))
        throw new GoTemplateSyntaxError(
          `non executable command in pipeline stage ${commands.length + 1}`,
          this.offset,
        );
      if (first?.kind === 'field' && first.names.length === 0)
        throw new GoTemplateSyntaxError(
          `non executable command in pipeline stage ${commands.length + 1}`,
          this.offset,
        );
      commands.push(command);
    }
    return commands;
  }

  private command(): GoCommand {
    const operands: GoOperand[] = [];
    for (;;) {
      const token = this.tokens[this.position];
      if (token === undefined || token.kind === 'pipe' || token.kind === 'rparen') break;
      operands.push(this.operand());
    }
    if (operands.length === 0) throw new GoTemplateSyntaxError('missing value for command', this.offset);
    return { operands, offset: this.offset };
  }

  private operand(): GoOperand {
    const token = this.tokens[this.position];
    const offset = this.offset;
    if (token === undefined) throw new GoTemplateSyntaxError('missing value', offset);
    this.position += 1;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, offset };
      case 'char':
        return this.character(token.raw);
      case 'lparen': {
        const pipeline: GoPipeline = {
          declarations: [],
          assign: false,
          commands: this.pipelineCommands(),
          offset,
        };
        if (this.tokens[this.position]?.kind !== 'rparen')
          throw new GoTemplateSyntaxError('unclosed left paren', offset);
        this.position += 1;
        const after = this.tokens[this.position];
        let names: string[] = [];
        if (after?.kind === 'word' && !after.spaceBefore && after.text.startsWith('.')) {
          this.position += 1;
          names = fieldNames(after.text, offset);
        }
        return { kind: 'pipeline', pipeline, names, offset };
      }
      case 'word':
        return this.word(token.text);
      default:
        throw new GoTemplateSyntaxError(`unexpected ${describeToken(token)} in operand`, offset);
    }
  }

  private character(raw: string): GoOperand {
    const body = raw.slice(1, -1);
    let value: number | undefined;
    if (!body.startsWith('\\')) value = [...body].length === 1 ? body.codePointAt(0) : undefined;
    else {
      const escapes: Record<string, number> = {
        n: 10,
        t: 9,
        r: 13,
        '\\': 92,
        "'": 39,
        '"': 34,
        a: 7,
        b: 8,
        f: 12,
        v: 11,
      };
      value = body.length === 2 ? escapes[body[1] ?? ''] : undefined;
      if (/^\\x[0-9a-fA-F]{2}$|^\\u[0-9a-fA-F]{4}$/.test(body)) value = Number.parseInt(body.slice(2), 16);
    }
    if (value === undefined)
      throw new GoTemplateSyntaxError(`malformed character constant: ${raw}`, this.offset);
    return { kind: 'number', value, float: false, text: raw, offset: this.offset };
  }

  private word(text: string): GoOperand {
    const offset = this.offset;
    if (numberPattern.test(text)) return numberOperand(text, offset);
    if (text.startsWith('.'))
      return { kind: 'field', names: text === '.' ? [] : fieldNames(text, offset), offset };
    if (text.startsWith('$')) {
      const dot = text.indexOf('.');
      const name = dot < 0 ? text : text.slice(0, dot);
      if (!this.scope.hasVariable(name))
        throw new GoTemplateSyntaxError(`undefined variable "${name}"`, offset);
      return { kind: 'variable', name, names: dot < 0 ? [] : fieldNames(text.slice(dot), offset), offset };
    }
    if (text === 'true' || text === 'false') return { kind: 'bool', value: text === 'true', offset };
    if (text === 'nil') return { kind: 'nil', offset };
    if (identifier.test(text)) {
      if (!this.scope.hasFunction(text))
        throw new GoTemplateSyntaxError(`function "${text}" not defined`, offset);
      return { kind: 'function', name: text, offset };
    }
    throw new GoTemplateSyntaxError(`bad character in "${text}"`, offset);
  }
}

function numberOperand(text: string, offset: number): GoOperand {
  const clean = text.replaceAll('_', '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const unsigned = clean.replace(/^[-+]/, '');
  const radix = /^0[xX]/.test(unsigned) ? 16 : /^0[oO]/.test(unsigned) ? 8 : /^0[bB]/.test(unsigned) ? 2 : 10;
  if (radix !== 10) {
    const value = sign * Number.parseInt(unsigned.slice(2), radix);
    return { kind: 'number', value, float: false, text, offset };
  }
  const float = /[.eE]/.test(unsigned);
  const value = sign * Number(unsigned);
  if (!Number.isFinite(value)) throw new GoTemplateSyntaxError(`number ${text} is out of range`, offset);
  if (!float && /^0\d/.test(unsigned)) {
    // Go reads a leading 0 as octal.
    if (/[89]/.test(unsigned)) throw new GoTemplateSyntaxError(`illegal number syntax: "${text}"`, offset);
    return { kind: 'number', value: sign * Number.parseInt(unsigned, 8), float: false, text, offset };
  }
  return { kind: 'number', value, float, text, offset };
}

function fieldNames(text: string, offset: number): string[] {
  const names = text.slice(1).split('.');
  for (const name of names) {
    if (!identifier.test(name)) throw new GoTemplateSyntaxError(`bad field name in "${text}"`, offset);
  }
  return names;
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
