/**
 * The Handlebars environment templates run in: an isolated instance (nothing registered globally) with exactly
 * the helpers below. Helpers whose name starts with `aegis` are inserted by the AST guard
 * (`guard-template-ast.ts`), never written by authors:
 *
 * - `aegisGet "a" "b" root=… optional=…` reads a variable by own properties only (no prototype walk). A missing
 *   variable is an error, except where `optional` (conditions and `default`) reads it as empty, as Go does.
 * - `aegisCheck value` and `aegisEmit value check=true` apply the raw-substitution rules of `shell-safety.ts` to an
 *   alert-derived value; a `SafeString` (from `shellquote`, `keep`, literals) is trusted and passes.
 *
 * In validation mode (`data.aegisValidate`), every variable reads as a harmless placeholder, so a template can
 * be checked without an alert.
 */
import Handlebars from 'handlebars';
import {
  argoExpressionProblem,
  describeRawValueProblem,
  rawValueProblem,
  shellQuote,
  shellQuoteProblem,
} from './shell-safety.js';
import { TemplateProblem } from './template-problem.js';

/** What the guard knows about a helper: its arity and how its arguments and result are checked. */
export type HelperRole =
  /** Output is trusted; arguments must be literals (`keep "x"`, `aegisLiteral "x"`). */
  | 'literal'
  /** Output is a quoted, trusted value (`shellquote`). */
  | 'sanitizer'
  /** Output is a boolean or a number: nothing from the alert is substituted (`eq`, `not`, `len`). */
  | 'predicate'
  /** Output contains its arguments: each alert-derived argument is checked (`quote`, `default`, `and`). */
  | 'wrapper'
  /** Output is a part of its first argument: the output is checked (`index`). */
  | 'lookup';

export const helperRoles: ReadonlyMap<string, { role: HelperRole; minimum: number; maximum: number }> =
  new Map([
    ['keep', { role: 'literal', minimum: 1, maximum: 1 }],
    ['aegisLiteral', { role: 'literal', minimum: 1, maximum: 1 }],
    ['shellquote', { role: 'sanitizer', minimum: 1, maximum: 1 }],
    ['eq', { role: 'predicate', minimum: 2, maximum: Infinity }],
    ['ne', { role: 'predicate', minimum: 2, maximum: 2 }],
    ['lt', { role: 'predicate', minimum: 2, maximum: 2 }],
    ['le', { role: 'predicate', minimum: 2, maximum: 2 }],
    ['gt', { role: 'predicate', minimum: 2, maximum: 2 }],
    ['ge', { role: 'predicate', minimum: 2, maximum: 2 }],
    ['not', { role: 'predicate', minimum: 1, maximum: 1 }],
    ['len', { role: 'predicate', minimum: 1, maximum: 1 }],
    ['and', { role: 'wrapper', minimum: 1, maximum: Infinity }],
    ['or', { role: 'wrapper', minimum: 1, maximum: Infinity }],
    ['quote', { role: 'wrapper', minimum: 1, maximum: 1 }],
    ['default', { role: 'wrapper', minimum: 2, maximum: 2 }],
    ['index', { role: 'lookup', minimum: 2, maximum: Infinity }],
  ]);

/** The placeholder every variable reads as in validation mode. */
export const validationPlaceholder = 'placeholder';

type HelperOptions = {
  hash: Record<string, unknown>;
  data?: { root?: unknown; aegisValidate?: boolean } & Record<string, unknown>;
};
type Helper = (this: unknown, ...args: unknown[]) => unknown;

/** Splits helper arguments from the trailing Handlebars options object. */
function split(args: unknown[]): { values: unknown[]; options: HelperOptions } {
  const options = args.at(-1) as HelperOptions; // Handlebars always passes the options object last
  return { values: args.slice(0, -1), options };
}

function site(options: HelperOptions): {
  variable: string;
  go: string;
  details: ConstructorParameters<typeof TemplateProblem>[2];
} {
  const variable = typeof options.hash['variable'] === 'string' ? options.hash['variable'] : 'value';
  const go = typeof options.hash['go'] === 'string' ? options.hash['go'] : `.${variable}`;
  const line = options.hash['line'];
  const column = options.hash['column'];
  const details: ConstructorParameters<typeof TemplateProblem>[2] = { variable };
  if (typeof line === 'number') details.handlebarsLine = line;
  if (typeof column === 'number') details.handlebarsColumn = column;
  return { variable, go, details };
}

function validating(options: HelperOptions): boolean {
  return options.data?.aegisValidate === true;
}

/** A SafeString's text, anything else unchanged. */
export function plain(value: unknown): unknown {
  return value instanceof Handlebars.SafeString ? value.toString() : value;
}

/** Go's truthiness: false, 0, nil, and empty strings, lists and maps are false. */
function truthy(value: unknown): boolean {
  const unwrapped = plain(value);
  if (
    unwrapped === undefined ||
    unwrapped === null ||
    unwrapped === false ||
    unwrapped === 0 ||
    unwrapped === ''
  ) {
    return false;
  }
  if (Array.isArray(unwrapped)) return unwrapped.length > 0;
  if (typeof unwrapped === 'object') return Object.keys(unwrapped).length > 0;
  return true;
}

function scalarText(
  value: unknown,
  variable: string,
  details: ConstructorParameters<typeof TemplateProblem>[2],
): string {
  const unwrapped = plain(value);
  if (unwrapped === undefined || unwrapped === null) {
    throw new TemplateProblem('TemplateInvalid', `variable "${variable}" is not defined`, details);
  }
  if (typeof unwrapped === 'object') {
    const what = Array.isArray(unwrapped) ? 'a list' : 'a map';
    throw new TemplateProblem(
      'TemplateInvalid',
      `variable "${variable}" is ${what}, not a text value; select a field or use {{range}}`,
      details,
    );
  }
  if (typeof unwrapped === 'string') return unwrapped;
  if (typeof unwrapped === 'number' || typeof unwrapped === 'boolean' || typeof unwrapped === 'bigint') {
    return String(unwrapped);
  }
  throw new TemplateProblem('TemplateInvalid', `variable "${variable}" is not a text value`, details);
}

function ownProperty(container: unknown, key: string): { found: boolean; value?: unknown } {
  if (container === null || typeof container !== 'object') return { found: false };
  if (!Object.prototype.hasOwnProperty.call(container, key)) return { found: false };
  return { found: true, value: (container as Record<string, unknown>)[key] };
}

const aegisGet: Helper = function (this: unknown, ...args) {
  const { values, options } = split(args);
  if (validating(options)) return validationPlaceholder;
  let current: unknown = options.hash['root'] === true ? options.data?.root : this;
  for (const part of values) {
    const next = ownProperty(current, String(part));
    current = next.found ? next.value : undefined;
    if (current === undefined || current === null) break;
  }
  if (current !== undefined && current !== null) return current;
  if (options.hash['optional'] === true) return undefined;
  const { variable, details } = site(options);
  throw new TemplateProblem('TemplateInvalid', `variable "${variable}" is not defined`, details);
};

function checkRaw(value: unknown, options: HelperOptions, allowEmpty: boolean): void {
  if (validating(options) || value instanceof Handlebars.SafeString) return;
  const { variable, go, details } = site(options);
  const text = scalarText(value, variable, details);
  const problem = rawValueProblem(text);
  if (problem && !(allowEmpty && problem.kind === 'empty')) {
    throw new TemplateProblem(
      'TemplateUnsafe',
      describeRawValueProblem(variable, go, text, problem),
      details,
    );
  }
}

const aegisCheck: Helper = (...args) => {
  const { values, options } = split(args);
  const value = values[0];
  if (value !== undefined && value !== null) checkRaw(value, options, true);
  return value;
};

const aegisEmit: Helper = (...args) => {
  const { values, options } = split(args);
  const value = values[0];
  if (options.hash['check'] === true) checkRaw(value, options, false);
  const { variable, details } = site(options);
  if (value === undefined || value === null) {
    throw new TemplateProblem(
      'TemplateInvalid',
      `the expression using "${variable}" produced no value`,
      details,
    );
  }
  const text = scalarText(value, variable, details);
  // Whatever helper produced it, an alert-derived text never carries "{{" into the Workflow (Argo would
  // evaluate it); trusted SafeStrings (literals, keep, shellquote, which checks its own input) pass.
  const expression =
    validating(options) || value instanceof Handlebars.SafeString ? undefined : argoExpressionProblem(text);
  if (expression !== undefined)
    throw new TemplateProblem('TemplateUnsafe', `variable "${variable}" ${expression}`, details);
  return text;
};

const shellquote: Helper = (...args) => {
  const { values, options } = split(args);
  const { variable, details } = site(options);
  const text = scalarText(values[0], variable, details);
  const problem = shellQuoteProblem(text);
  if (problem) throw new TemplateProblem('TemplateUnsafe', `variable "${variable}" ${problem}`, details);
  return new Handlebars.SafeString(shellQuote(text));
};

function compare(
  values: unknown[],
  test: (left: number | string, right: number | string) => boolean,
): boolean {
  const [left, right] = values.map(plain);
  if (typeof left === 'number' && typeof right === 'number') return test(left, right);
  return test(String(left), String(right));
}

function index(this: unknown, ...args: unknown[]): unknown {
  const { values, options } = split(args);
  if (validating(options)) return validationPlaceholder;
  const [collection, ...keys] = values.map(plain);
  let current = collection;
  for (const key of keys) {
    const next = ownProperty(current, String(key));
    if (!next.found || next.value === undefined || next.value === null) {
      if (options.hash['optional'] === true) return undefined;
      const { variable, details } = site(options);
      throw new TemplateProblem(
        'TemplateInvalid',
        `index: "${String(key)}" is not defined in "${variable}"`,
        details,
      );
    }
    current = next.value;
  }
  return current;
}

const helpers: Record<string, Helper> = {
  aegisGet,
  aegisCheck,
  aegisEmit,
  aegisLiteral: (value) => new Handlebars.SafeString(String(value)),
  keep: (name) => new Handlebars.SafeString(`{{.${String(name)}}}`),
  shellquote,
  quote: (value) => JSON.stringify(String(plain(value))),
  default: (fallback, value) => (truthy(value) ? value : fallback),
  index,
  eq: (...args) => {
    const [first, ...others] = split(args).values.map(plain);
    return others.some((other) => other === first);
  },
  ne: (left, right) => plain(left) !== plain(right),
  lt: (...args) => compare(split(args).values, (left, right) => left < right),
  le: (...args) => compare(split(args).values, (left, right) => left <= right),
  gt: (...args) => compare(split(args).values, (left, right) => left > right),
  ge: (...args) => compare(split(args).values, (left, right) => left >= right),
  not: (value) => !truthy(value),
  and: (...args) => {
    const { values } = split(args);
    return values.find((value) => !truthy(value)) ?? values.at(-1);
  },
  or: (...args) => {
    const { values } = split(args);
    return values.find((value) => truthy(value)) ?? values.at(-1);
  },
  len: (value) => {
    const unwrapped = plain(value);
    if (typeof unwrapped === 'string' || Array.isArray(unwrapped)) return unwrapped.length;
    if (unwrapped !== null && typeof unwrapped === 'object') return Object.keys(unwrapped).length;
    return 0;
  },
};

/** Compile options: strict lookups as a backstop, no HTML escaping, and no helper other than ours. */
export const compileOptions: NonNullable<Parameters<typeof Handlebars.compile>[1]> = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])),
};

/** A fresh, isolated Handlebars environment with the template helpers registered. */
export function createTemplateEnvironment(): typeof Handlebars {
  const environment = Handlebars.create();
  for (const name of ['log', 'lookup']) environment.unregisterHelper(name);
  for (const [name, helper] of Object.entries(helpers)) environment.registerHelper(name, helper);
  return environment;
}
