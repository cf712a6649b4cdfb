/**
 * Go's text/template, plain: parse and execute with Go's builtins and Go's printing. The ops renderer adds its
 * safety checks on top (`compile-template-string.ts`); the golden test compares this against Go itself.
 */
import { executeGoTemplate, GoTemplateRunError } from './execute-go-template.js';
import { goBuiltins } from './go-template-builtins.js';
import { GoTemplateSyntaxError } from './go-template-lexer.js';
import { formatValue, plain } from './go-template-values.js';
import { parseGoTemplate } from './parse-go-template.js';

const builtinNames: ReadonlySet<string> = new Set(goBuiltins.keys());

/** fmt.Fprint of an action's value, as text/template prints it (no value for nil or a missing key). */
export function printGoValue(value: unknown): string {
  const unwrapped = plain(value);
  return unwrapped === undefined || unwrapped === null ? '<no value>' : formatValue(unwrapped);
}

export function runGoTemplate(
  source: string,
  data: unknown,
  missingKey: 'error' | 'default' = 'error',
): { ok: true; text: string } | { ok: false; stage: 'parse' | 'exec'; problem: string } {
  let nodes;
  try {
    nodes = parseGoTemplate(source, builtinNames);
  } catch (error) {
    if (error instanceof GoTemplateSyntaxError) return { ok: false, stage: 'parse', problem: error.problem };
    throw error;
  }
  try {
    const text = executeGoTemplate(nodes, data, {
      missingKey,
      functions: goBuiltins,
      emit: printGoValue,
    });
    return { ok: true, text };
  } catch (error) {
    if (error instanceof GoTemplateRunError) return { ok: false, stage: 'exec', problem: error.message };
    throw error;
  }
}
