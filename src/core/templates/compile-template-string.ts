/**
 * One templated string (a YAML value): parsed once as a Go text/template (cached), executed with the ops
 * functions and checks of `ops-template-functions.ts`. A missing key is an error (Go's missingkey=error), except
 * in the pipeline of `if`/`with`/`range` and as the argument of `default`, where it reads as empty, as upstream
 * templates expect. Failures carry the offset of the action at fault, so the renderer can name the manifest line.
 */
import {
  executeGoTemplate,
  GoTemplateRunError,
  MissingKeyError,
  type ValueSite,
} from './execute-go-template.js';
import { GoTemplateSyntaxError } from './go-template-lexer.js';
import type { GoNode } from './go-template-tree.js';
import { GoExecutionError } from './go-template-values.js';
import { emitOpsValue, opsTemplateFunctions } from './ops-template-functions.js';
import { parseGoTemplate } from './parse-go-template.js';
import { TemplateProblem, type TemplateFailureReason } from './template-problem.js';

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
  /** Renders with the variables; `validate` reads every variable as a placeholder. Never throws. */
  render(
    variables: unknown,
    validate: boolean,
  ): { ok: true; text: string } | { ok: false; failure: StringTemplateFailure };
};

type Compiled =
  { ok: true; compiled: CompiledTemplateString } | { ok: false; failure: StringTemplateFailure };

/** The site of the action being run: the ops functions name it in their messages. */
let currentSite: ValueSite = { variable: 'value', go: '.' };
const functions = opsTemplateFunctions(() => currentSite);
const functionNames: ReadonlySet<string> = new Set(functions.keys());
const lenientFunctions: ReadonlySet<string> = new Set(['default']);

const cache = new Map<string, Compiled>();
const cacheLimit = 4096;
/** Longer strings are compiled on every render rather than kept. */
const cacheMaxLength = 64 * 1024;

/** Compiles (or returns from the cache) one templated string. Never throws. */
export function compileTemplateString(source: string): Compiled {
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

function compileUncached(source: string): Compiled {
  let nodes: GoNode[];
  try {
    nodes = parseGoTemplate(source, functionNames);
  } catch (error) {
    if (!(error instanceof GoTemplateSyntaxError)) throw error;
    return {
      ok: false,
      failure: { reason: 'TemplateInvalid', problem: error.problem, offset: error.offset },
    };
  }
  const compiled: CompiledTemplateString = {
    source,
    render(variables, validate) {
      try {
        const text = executeGoTemplate(nodes, validate ? {} : variables, {
          missingKey: 'lenient',
          functions,
          lenientFunctions,
          validate,
          emit: (value, site) => {
            currentSite = site;
            return emitOpsValue(value, site, validate);
          },
          enter: (site) => {
            currentSite = site;
          },
        });
        return { ok: true, text };
      } catch (error) {
        if (error instanceof GoTemplateRunError) return { ok: false, failure: describeRunError(error) };
        throw error;
      }
    },
  };
  return { ok: true, compiled };
}

function describeRunError(error: GoTemplateRunError): StringTemplateFailure {
  const cause = error.cause;
  if (cause instanceof MissingKeyError) {
    return {
      reason: 'TemplateInvalid',
      problem: `variable "${cause.path}" is not defined`,
      variable: cause.path,
      offset: error.offset,
    };
  }
  if (cause instanceof TemplateProblem) {
    const failure: StringTemplateFailure = {
      reason: cause.reason,
      problem: cause.problem,
      offset: error.offset,
    };
    const variable = cause.details.variable ?? error.site.variable;
    if (variable !== 'value') failure.variable = variable;
    return failure;
  }
  const problem = cause instanceof GoExecutionError ? cause.problem : error.message;
  return {
    reason: 'TemplateInvalid',
    problem: `${problem} (in ${error.site.go === '.' ? 'the expression' : error.site.go})`,
    offset: error.offset,
  };
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
