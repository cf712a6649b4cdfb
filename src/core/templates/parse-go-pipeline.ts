import { GoTemplateSyntaxError, type ActionToken } from './go-template-lexer.js';
import { templateFunctions } from './go-template-functions.js';

/** A parsed Go pipeline: a field path (`.a.b`, `$.a`), a string, another literal, or a function call. */
export type PipelineExpression =
  | { kind: 'path'; root: boolean; fields: string[] }
  | { kind: 'string'; value: string }
  | { kind: 'literal'; text: string }
  | { kind: 'call'; name: string; arguments: PipelineExpression[] };

/** Parses the tokens of one action as a Go pipeline; throws GoTemplateSyntaxError at the offending token. */
export function parseGoPipeline(tokens: ActionToken[], actionStart: number): PipelineExpression {
  return new PipelineParser(tokens, actionStart).parseAll();
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const number = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0[xX][0-9a-fA-F]+$/;

/** Parses a Go pipeline: `command (| command)*`, where a later command receives the earlier value as its last argument. */
class PipelineParser {
  private position = 0;

  constructor(
    private readonly tokens: ActionToken[],
    private readonly actionStart: number,
  ) {}

  parseAll(): PipelineExpression {
    const expression = this.pipeline();
    const extra = this.tokens[this.position];
    if (extra) throw new GoTemplateSyntaxError(`unexpected ${describeToken(extra)}`, extra.offset);
    return expression;
  }

  private pipeline(): PipelineExpression {
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

  private command(): PipelineExpression {
    const operands: Array<{ expression: PipelineExpression; isFunction: boolean; offset: number }> = [];
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

  private operand(): { expression: PipelineExpression; isFunction: boolean; offset: number } {
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
  ): { expression: PipelineExpression; isFunction: boolean; offset: number } {
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
