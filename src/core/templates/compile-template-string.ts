/**
 * One templated string (a YAML value): Go syntax translated, parsed by Handlebars, guarded, compiled, cached.
 * Failures carry the offset in the original string, so the renderer can name the manifest line.
 */
import { guardTemplateAst } from './guard-template-ast.js';
import { compileOptions, createTemplateEnvironment } from './template-helpers.js';
import { TemplateProblem, type TemplateFailureReason } from './template-problem.js';
import { translateGoTemplate, type TranslatedAction } from './translate-go-template.js';

export type StringTemplateFailure = {
  reason: TemplateFailureReason;
  /** The sentence, without a line. */
  problem: string;
  variable?: string;
  /** Offset in the original string of the action at fault, when known. */
  offset?: number;
};

export type CompiledTemplateString = {
  readonly source: string;
  readonly handlebars: string;
  readonly actions: readonly TranslatedAction[];
  /** Renders with the variables; `validate` reads every variable as a placeholder. Never throws. */
  render(
    variables: unknown,
    validate: boolean,
  ): { ok: true; text: string } | { ok: false; failure: StringTemplateFailure };
};

const environment = createTemplateEnvironment();
const cache = new Map<
  string,
  { ok: true; compiled: CompiledTemplateString } | { ok: false; failure: StringTemplateFailure }
>();
const cacheLimit = 4096;
/** Longer strings are compiled on every render rather than kept. */
const cacheMaxLength = 64 * 1024;

/** Compiles (or returns from the cache) one templated string. Never throws. */
export function compileTemplateString(
  source: string,
): { ok: true; compiled: CompiledTemplateString } | { ok: false; failure: StringTemplateFailure } {
  const cached = cache.get(source);
  if (cached) return cached;
  const result = compileUncached(source);
  if (source.length > cacheMaxLength) return result;
  if (cache.size >= cacheLimit) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(source, result);
  return result;
}

function compileUncached(
  source: string,
): { ok: true; compiled: CompiledTemplateString } | { ok: false; failure: StringTemplateFailure } {
  const translated = translateGoTemplate(source);
  if (!translated.ok) {
    return {
      ok: false,
      failure: { reason: 'TemplateInvalid', problem: translated.problem, offset: translated.offset },
    };
  }
  const { handlebars, actions } = translated;
  const locate = (error: unknown): StringTemplateFailure => describeFailure(error, handlebars, actions);
  let template: (context: unknown, options: { data: Record<string, unknown> }) => string;
  try {
    const guarded = guardTemplateAst(environment.parse(handlebars));
    template = environment.compile(guarded, compileOptions);
  } catch (error) {
    return { ok: false, failure: locate(error) };
  }
  const compiled: CompiledTemplateString = {
    source,
    handlebars,
    actions,
    render(variables, validate) {
      try {
        return { ok: true, text: template(variables, { data: { aegisValidate: validate } }) };
      } catch (error) {
        return { ok: false, failure: locate(error) };
      }
    },
  };
  return { ok: true, compiled };
}

function describeFailure(
  error: unknown,
  handlebars: string,
  actions: readonly TranslatedAction[],
): StringTemplateFailure {
  if (error instanceof TemplateProblem) {
    const failure: StringTemplateFailure = { reason: error.reason, problem: error.problem };
    if (error.details.variable !== undefined) failure.variable = error.details.variable;
    const line = error.details.handlebarsLine;
    if (line !== undefined) {
      failure.offset = sourceOffset(
        actions,
        handlebarsOffset(handlebars, line, error.details.handlebarsColumn ?? 0),
      );
    }
    return failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  const failure: StringTemplateFailure = { reason: 'TemplateInvalid', problem: handlebarsProblem(message) };
  const position = handlebarsPosition(error, message);
  if (position)
    failure.offset = sourceOffset(actions, handlebarsOffset(handlebars, position.line, position.column));
  const missing = /^"([^"]+)" not defined/.exec(message);
  if (missing?.[1] !== undefined) {
    failure.variable = missing[1];
    failure.problem = `variable "${missing[1]}" is not defined`;
  }
  return failure;
}

/** Handlebars' own messages, shortened to their useful part. */
function handlebarsProblem(message: string): string {
  const parse = /^Parse error on line \d+:[\s\S]*?\n(Expecting [^\n]*|Unexpected [^\n]*)$/m.exec(message);
  if (parse?.[1] !== undefined) return `template syntax error: ${parse[1].replace(/'(\w+)'/g, '$1')}`;
  const firstLine = message.split('\n')[0] ?? message;
  return firstLine.replace(/ - \d+:\d+$/, '');
}

function handlebarsPosition(error: unknown, message: string): { line: number; column: number } | undefined {
  if (error !== null && typeof error === 'object') {
    const { lineNumber, column } = error as { lineNumber?: unknown; column?: unknown };
    if (typeof lineNumber === 'number')
      return { line: lineNumber, column: typeof column === 'number' ? column : 0 };
    const hash = (error as { hash?: { loc?: { first_line?: unknown; first_column?: unknown } } }).hash;
    if (typeof hash?.loc?.first_line === 'number') {
      return {
        line: hash.loc.first_line,
        column: typeof hash.loc.first_column === 'number' ? hash.loc.first_column : 0,
      };
    }
  }
  const parse = /on line (\d+)/.exec(message);
  return parse?.[1] === undefined ? undefined : { line: Number(parse[1]), column: 0 };
}

function handlebarsOffset(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column);
}

/** Maps an offset in the Handlebars text back to the original string, through the translated actions. */
function sourceOffset(actions: readonly TranslatedAction[], offset: number): number {
  let previous: TranslatedAction | undefined;
  for (const action of actions) {
    if (offset >= action.handlebarsStart && offset < action.handlebarsEnd) return action.goStart;
    if (action.handlebarsEnd <= offset) previous = action;
  }
  return previous ? previous.goEnd + (offset - previous.handlebarsEnd) : offset;
}

/**
 * The action starting at `offset` of a templated string (`{{.pod}}`), and how many identical actions come before
 * it, so that it can be found again in the manifest text. Undefined when no action starts there.
 */
export function actionAt(source: string, offset: number): { text: string; occurrence: number } | undefined {
  if (!source.startsWith('{{', offset)) return undefined;
  const close = source.indexOf('}}', offset + 2);
  if (close < 0) return undefined;
  const text = source.slice(offset, close + 2);
  let occurrence = 0;
  for (
    let index = source.indexOf(text);
    index >= 0 && index < offset;
    index = source.indexOf(text, index + 1)
  ) {
    occurrence += 1;
  }
  return { text, occurrence };
}
