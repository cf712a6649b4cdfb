/**
 * Rewrites a parsed Handlebars template so that every variable read and every substitution goes through the
 * checking helpers of `template-helpers.ts`. Working on the AST, before compiling, is what makes the checks
 * complete: whatever syntax the author used (translated Go, native `{{node}}`, `{{{node}}}`, sub-expressions),
 * the compiled template has no path to a value or to the output that bypasses them.
 *
 *   {{node}}                → {{aegisEmit (aegisGet "node" variable="node") check=true}}   raw substitution: checked
 *   {{quote node}}          → {{aegisEmit (quote (aegisCheck (aegisGet "node")))}}          its input is checked
 *   {{shellquote node}}     → {{aegisEmit (shellquote (aegisGet "node"))}}                  quoted: trusted
 *   {{#if node}} / eq / not → arguments read, nothing substituted: not checked
 *
 * A variable that is missing is an error wherever it is read, except in a block condition (`{{if .x}}`,
 * `{{range .x}}`, `{{with .x}}`) and as the argument of `default`, where it reads as empty, as in Go.
 * Partials, decorators, block parameters, parent paths (`../x`) and helpers other than ours are refused.
 * Hash arguments carry the variable's name, its Go spelling and its position, for the error messages.
 */
import { helperRoles } from './template-helpers.js';
import { TemplateProblem } from './template-problem.js';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;
type SubExpression = hbs.AST.SubExpression;
type Location = hbs.AST.SourceLocation;
type Scope = { display: string | undefined };
/** How a value is used: may it be missing, and does it reach the output? */
type Use = { lenient: boolean; substituted: boolean };

const blockHelpers = new Set(['if', 'unless', 'each', 'with']);
const dataVariables = new Set(['index', 'key', 'first', 'last']);

export function guardTemplateAst(program: hbs.AST.Program): hbs.AST.Program {
  return guardProgram(program, { display: undefined });
}

function fail(problem: string, node: Node): never {
  throw new TemplateProblem('TemplateInvalid', problem, {
    handlebarsLine: node.loc.start.line,
    handlebarsColumn: node.loc.start.column,
  });
}

function guardProgram(program: hbs.AST.Program, scope: Scope): hbs.AST.Program {
  if (program.blockParams !== undefined && program.blockParams.length > 0) {
    fail('block parameters (as |x|) are not supported', program);
  }
  return { ...program, body: program.body.map((statement) => guardStatement(statement, scope)) };
}

function guardStatement(statement: hbs.AST.Statement, scope: Scope): hbs.AST.Statement {
  switch (statement.type) {
    case 'ContentStatement':
    case 'CommentStatement':
      return statement;
    case 'MustacheStatement':
      return guardMustache(statement as hbs.AST.MustacheStatement, scope);
    case 'BlockStatement':
      return guardBlock(statement as hbs.AST.BlockStatement, scope);
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return fail('partials ({{> name}}) are not supported', statement);
    default:
      return fail(`${statement.type} is not supported (decorators, raw blocks)`, statement);
  }
}

function isPath(expression: Expression | hbs.AST.Literal): expression is PathExpression {
  return expression.type === 'PathExpression';
}

/** `{{name …}}` calls a helper when name is a bare identifier with arguments, or one of ours. */
function isHelperCall(
  path: PathExpression,
  parameters: Expression[],
  hash: hbs.AST.Hash | undefined,
): boolean {
  if (path.data || path.depth > 0 || path.parts.length !== 1 || /^\.|this\b/.test(path.original))
    return false;
  return parameters.length > 0 || hash !== undefined || helperRoles.has(path.parts[0] ?? '');
}

function guardMustache(mustache: hbs.AST.MustacheStatement, scope: Scope): hbs.AST.MustacheStatement {
  const path = mustache.path;
  if (!isPath(path)) return fail('a literal cannot be printed directly; write the text itself', mustache);
  const hash = mustache.hash as hbs.AST.Hash | undefined; // absent when the author wrote none
  if (isHelperCall(path, mustache.params, hash)) {
    const call = guardCall(
      path,
      mustache.params,
      hash,
      scope,
      { lenient: false, substituted: true },
      mustache,
    );
    return emit(mustache, call, { check: false, ...siteOf(call, scope) });
  }
  if (mustache.params.length > 0 || hash !== undefined)
    fail(`"${path.original}" is not a function`, mustache);
  const value = guardValue(path, scope, { lenient: false, substituted: true });
  return emit(mustache, value, { check: true, ...siteOf(path, scope) });
}

function emit(
  mustache: hbs.AST.MustacheStatement,
  value: Expression,
  hash: Record<string, string | number | boolean>,
): hbs.AST.MustacheStatement {
  return {
    ...mustache,
    path: pathNode('aegisEmit', mustache.loc),
    params: [value],
    hash: hashNode(hash, mustache.loc),
  };
}

function guardBlock(block: hbs.AST.BlockStatement, scope: Scope): hbs.AST.BlockStatement {
  const name = block.path.parts[0] ?? block.path.original;
  if (!blockHelpers.has(name) || block.path.parts.length !== 1) {
    return fail(
      `block {{#${block.path.original}}} is not supported (use if, unless, each/range or with)`,
      block,
    );
  }
  const [condition, ...extra] = block.params;
  if (!condition || extra.length > 0 || (block.hash as hbs.AST.Hash | undefined) !== undefined) {
    return fail(`{{#${name}}} takes exactly one value`, block);
  }
  const guarded = guardValue(condition, scope, { lenient: true, substituted: false });
  const conditionName = describe(condition, scope);
  const inner: Scope =
    name === 'each'
      ? { display: `${conditionName}[]` }
      : name === 'with'
        ? { display: conditionName }
        : scope;
  const result: hbs.AST.BlockStatement = {
    ...block,
    params: [guarded],
    program: guardProgram(block.program, inner),
  };
  // The inverse ({{else}}, {{else if}}) runs in the outer context.
  if ((block.inverse as hbs.AST.Program | undefined) !== undefined)
    result.inverse = guardProgram(block.inverse, scope);
  return result;
}

/** A value used as an argument: variables become aegisGet, calls are guarded, literals stay. */
function guardValue(expression: Expression, scope: Scope, use: Use): Expression {
  if (isPath(expression)) {
    if (expression.data && dataVariables.has(expression.parts[0] ?? '') && expression.parts.length === 1) {
      return expression;
    }
    return variableRead(expression, scope, use.lenient);
  }
  if (expression.type === 'SubExpression') {
    const call = expression as SubExpression;
    const hash = call.hash as hbs.AST.Hash | undefined;
    if (!isPath(call.path) || !isHelperCall(call.path, call.params, hash)) {
      return fail(`"${call.path.original}" is not a function`, call);
    }
    return guardCall(call.path, call.params, hash, scope, use, call);
  }
  return expression;
}

function guardCall(
  path: PathExpression,
  parameters: Expression[],
  hash: hbs.AST.Hash | undefined,
  scope: Scope,
  use: Use,
  node: Node,
): SubExpression {
  const name = path.parts[0] ?? '';
  const helper = helperRoles.get(name);
  if (!helper) return fail(`function "${name}" is not supported`, node);
  if (hash !== undefined) return fail(`named arguments (key=value) are not supported by ${name}`, node);
  if (parameters.length < helper.minimum || parameters.length > helper.maximum) {
    const expected = helper.minimum === helper.maximum ? `${helper.minimum}` : `at least ${helper.minimum}`;
    return fail(`${name} takes ${expected} argument(s), got ${parameters.length}`, node);
  }
  const lenient = use.lenient || name === 'default';
  let guarded: Expression[];
  switch (helper.role) {
    case 'literal':
      for (const parameter of parameters) {
        if (!/Literal$/.test(parameter.type))
          fail(`${name} takes a literal ("…"), not a variable`, parameter);
      }
      guarded = parameters;
      break;
    case 'sanitizer':
    case 'predicate':
    case 'lookup':
      guarded = parameters.map((parameter) => guardValue(parameter, scope, { lenient, substituted: false }));
      break;
    case 'wrapper':
      guarded = parameters.map((parameter) => {
        const value = guardValue(parameter, scope, { lenient, substituted: use.substituted });
        // Literals are author text; in a condition nothing is substituted.
        if (!use.substituted || (value === parameter && !isPath(parameter))) return value;
        return subExpression('aegisCheck', [value], siteOf(parameter, scope), parameter.loc);
      });
      break;
  }
  const callHash: Record<string, string | number | boolean> = siteOf(parameters[0] ?? path, scope);
  if (helper.role === 'lookup' && use.lenient) callHash['optional'] = true;
  const withSite = helper.role === 'sanitizer' || helper.role === 'lookup';
  const call = subExpression(name, guarded, withSite ? callHash : undefined, node.loc);
  if (helper.role !== 'lookup' || !use.substituted) return call;
  return subExpression('aegisCheck', [call], callHash, node.loc);
}

function variableRead(path: PathExpression, scope: Scope, lenient: boolean): SubExpression {
  if (path.depth > 0) return fail('parent paths (../x) are not supported; use @root.x (Go: $.x)', path);
  const root = path.data;
  if (root && path.parts[0] !== 'root') return fail(`@${path.parts.join('.')} is not supported`, path);
  const parts = root ? path.parts.slice(1) : path.parts;
  const hash: Record<string, string | number | boolean> = { ...siteOf(path, scope), root };
  if (lenient) hash['optional'] = true;
  return subExpression(
    'aegisGet',
    parts.map((part) => stringNode(part, path.loc)),
    hash,
    path.loc,
  );
}

/** The variable's name for messages (`node`, `items[].name`), its Go spelling and its position. */
function siteOf(expression: Expression, scope: Scope): Record<string, string | number> {
  const go = goSpelling(expression);
  return {
    variable: describe(expression, scope),
    go,
    line: expression.loc.start.line,
    column: expression.loc.start.column,
  };
}

function describe(expression: Expression, scope: Scope): string {
  if (isPath(expression)) {
    if (expression.data) {
      return expression.parts[0] === 'root'
        ? expression.parts.slice(1).join('.') || '$'
        : `@${expression.parts.join('.')}`;
    }
    const relative = expression.parts.join('.');
    if (scope.display === undefined) return relative || '.';
    return relative ? `${scope.display}.${relative}` : scope.display;
  }
  if (expression.type === 'SubExpression') {
    const call = expression as SubExpression;
    const variable = call.params.find((parameter) => isPath(parameter) || parameter.type === 'SubExpression');
    return variable ? describe(variable, scope) : `(${call.path.original})`;
  }
  return 'value';
}

function goSpelling(expression: Expression): string {
  if (isPath(expression)) {
    if (expression.data) {
      return expression.parts[0] === 'root'
        ? ['$', ...expression.parts.slice(1)].join('.')
        : `@${expression.parts.join('.')}`;
    }
    return `.${expression.parts.join('.')}`;
  }
  if (expression.type === 'SubExpression') {
    const call = expression as SubExpression;
    const variable = call.params.find((parameter) => isPath(parameter) || parameter.type === 'SubExpression');
    if (variable) return goSpelling(variable);
  }
  return '.';
}

function pathNode(name: string, loc: Location): PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

function stringNode(value: string, loc: Location): hbs.AST.StringLiteral {
  return { type: 'StringLiteral', value, original: value, loc };
}

function literalNode(value: string | number | boolean, loc: Location): Expression {
  if (typeof value === 'string') return stringNode(value, loc);
  if (typeof value === 'number')
    return { type: 'NumberLiteral', value, original: value, loc } as hbs.AST.NumberLiteral;
  return { type: 'BooleanLiteral', value, original: value, loc } as hbs.AST.BooleanLiteral;
}

function hashNode(values: Record<string, string | number | boolean>, loc: Location): hbs.AST.Hash {
  return {
    type: 'Hash',
    pairs: Object.entries(values).map(([key, value]) => ({
      type: 'HashPair',
      key,
      value: literalNode(value, loc),
      loc,
    })),
    loc,
  };
}

function subExpression(
  name: string,
  parameters: Expression[],
  hash: Record<string, string | number | boolean> | undefined,
  loc: Location,
): SubExpression {
  const node = { type: 'SubExpression', path: pathNode(name, loc), params: parameters, loc } as SubExpression;
  if (hash !== undefined) node.hash = hashNode(hash, loc);
  return node;
}
