/** Writes a parsed Go pipeline as Handlebars: fields as `this.`/`@root.` paths, pipes as nested calls. */
import { GoTemplateSyntaxError } from './go-template-lexer.js';
import type { PipelineExpression } from './parse-go-pipeline.js';

const handlebarsKeywords = new Set(['true', 'false', 'null', 'undefined', 'else', 'as', 'this']);

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
export function argumentExpression(expression: PipelineExpression): string {
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

function callText(call: { name: string; arguments: PipelineExpression[] }): string {
  return [call.name, ...call.arguments.map(argumentExpression)].join(' ');
}

/** The expression as the body of an output action. Literals go through aegisLiteral, which prints them as written. */
export function outputExpression(expression: PipelineExpression): string {
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
