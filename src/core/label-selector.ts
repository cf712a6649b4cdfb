/**
 * Kubernetes label selectors: the `?labelSelector=` string syntax, `metav1.LabelSelector` objects, and matching.
 * Pure and dependency-free: used by the sandbox API server and by Aegis rule matching.
 */

export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals';

export type LabelRequirement = { key: string; operator: LabelOperator; values: string[] };

/** A selector that cannot be parsed or validated. The message says what is wrong and where. */
export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabelSelectorError';
  }
}

const namePattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const subdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nameHelp =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
const prefixHelp =
  "must be a lowercase RFC 1123 subdomain: lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'example.com')";

/** Why `key` is not a valid label key (`[prefix/]name`), or undefined when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `a label key may contain at most one '/' (prefix/name)`;
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') return 'prefix part must be non-empty';
    if (prefix.length > 253) return 'prefix part must be no more than 253 characters';
    if (!subdomainPattern.test(prefix)) return `prefix part ${prefixHelp}`;
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!namePattern.test(name)) return `name part ${nameHelp}`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is valid (the empty string is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!namePattern.test(value))
    return `a label value must be empty or ${nameHelp.replace('MyName', 'MyValue')}`;
  return undefined;
}

export function isValidLabelKey(key: string): boolean {
  return labelKeyProblem(key) === undefined;
}

export function isValidLabelValue(value: string): boolean {
  return labelValueProblem(value) === undefined;
}

// ---------------------------------------------------------------------------------------------------
// String syntax

type TokenKind = 'ident' | '!' | '=' | '==' | '!=' | '(' | ')' | ',' | 'other' | 'end';
type Token = { kind: TokenKind; text: string; pos: number };

/** Operators and punctuation, or an identifier (a run of anything else but whitespace). */
const tokenPattern = /==|!=|[!=(),<>]|[^\s!=(),<>]+/g;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(tokenPattern)) {
    const t = match[0];
    const kind = /^[!=(),]/.test(t) ? (t as TokenKind) : t === '<' || t === '>' ? 'other' : 'ident';
    tokens.push({ kind, text: t, pos: match.index });
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

class SelectorParser {
  private index = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const next = this.take();
      if (next.kind === 'end') return requirements;
      if (next.kind !== ',') this.fail(next, "',' or end of string");
    }
  }

  private requirement(): LabelRequirement {
    const first = this.take();
    if (first.kind === '!') {
      const key = this.key(this.take());
      return { key, operator: 'DoesNotExist', values: [] };
    }
    const key = this.key(first);
    const op = this.peek();
    if (op.kind === ',' || op.kind === 'end') return { key, operator: 'Exists', values: [] };
    this.take();
    if (op.kind === '=' || op.kind === '==' || op.kind === '!=') {
      const operator = op.kind === '!=' ? 'NotEquals' : 'Equals';
      const next = this.peek();
      if (next.kind === ',' || next.kind === 'end') return { key, operator, values: [''] };
      return { key, operator, values: [this.value(this.take(), key)] };
    }
    if (op.kind === 'ident' && (op.text === 'in' || op.text === 'notin')) {
      return { key, operator: op.text === 'in' ? 'In' : 'NotIn', values: this.valueList(key) };
    }
    return this.fail(op, "'=', '==', '!=', 'in', 'notin', ',' or end of string");
  }

  private valueList(key: string): string[] {
    const open = this.take();
    if (open.kind !== '(') this.fail(open, "'('");
    // As in the API server, `()` is the set holding only the empty value.
    const values: string[] = [];
    for (;;) {
      const next = this.peek();
      values.push(next.kind === ',' || next.kind === ')' ? '' : this.value(this.take(), key));
      const sep = this.take();
      if (sep.kind === ')') return [...new Set(values)];
      if (sep.kind !== ',') this.fail(sep, "',' or ')'");
    }
  }

  private key(token: Token): string {
    if (token.kind !== 'ident') this.fail(token, 'a label key');
    const problem = labelKeyProblem(token.text);
    if (problem !== undefined) {
      throw new LabelSelectorError(
        `unable to parse requirement: invalid label key "${token.text}" at position ${token.pos}: ${problem}`,
      );
    }
    return token.text;
  }

  private value(token: Token, key: string): string {
    if (token.kind !== 'ident') this.fail(token, 'a label value');
    const problem = labelValueProblem(token.text);
    if (problem !== undefined) {
      throw new LabelSelectorError(
        `unable to parse requirement: invalid label value "${token.text}" for key "${key}" at position ${token.pos}: ${problem}`,
      );
    }
    return token.text;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', text: '', pos: this.text.length };
  }

  private take(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length) this.index += 1;
    return token;
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === 'end' ? 'end of string' : `'${token.text}'`;
    throw new LabelSelectorError(
      `unable to parse label selector "${this.text}": found ${found} at position ${token.pos}, expected: ${expected}`,
    );
  }
}

/** Parses the `labelSelector=` string syntax. The empty (or blank) string selects everything. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  return new SelectorParser(text, tokenize(text)).parse();
}

/** Formats requirements back into the string syntax; `parseLabelSelector` reads it back. */
export function formatLabelSelector(requirements: readonly LabelRequirement[]): string {
  return requirements
    .map(({ key, operator, values }) => {
      switch (operator) {
        case 'Equals':
          return `${key}=${values[0] ?? ''}`;
        case 'NotEquals':
          return `${key}!=${values[0] ?? ''}`;
        case 'In':
          return `${key} in (${values.join(',')})`;
        case 'NotIn':
          return `${key} notin (${values.join(',')})`;
        case 'Exists':
          return key;
        case 'DoesNotExist':
          return `!${key}`;
      }
    })
    .join(',');
}

// ---------------------------------------------------------------------------------------------------
// metav1.LabelSelector objects

export type LabelSelectorObject = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

const objectOperators: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function invalid(field: string, value: unknown, why: string): LabelSelectorError {
  return new LabelSelectorError(`${field}: Invalid value: ${JSON.stringify(value)}: ${why}`);
}

/** Converts a `metav1.LabelSelector` into requirements. Undefined, null or `{}` selects everything. */
export function labelSelectorFromObject(
  selector: LabelSelectorObject | undefined | null,
): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  if (selector === undefined || selector === null) return requirements;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined) throw invalid('matchLabels', key, keyProblem);
    if (typeof value !== 'string') throw invalid(`matchLabels.${key}`, value, 'must be a string');
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) throw invalid(`matchLabels.${key}`, value, valueProblem);
    requirements.push({ key, operator: 'Equals', values: [value] });
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const path = `matchExpressions[${index}]`;
    const { key, operator, values } = expression;
    const keyProblem = typeof key === 'string' ? labelKeyProblem(key) : 'must be a string';
    if (keyProblem !== undefined) throw invalid(`${path}.key`, key, keyProblem);
    if (!objectOperators.includes(operator)) {
      throw new LabelSelectorError(
        `${path}.operator: Unsupported value: ${JSON.stringify(operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
      );
    }
    // Selectors come from user YAML, so the declared types are checked at run time too.
    const raw: unknown = values ?? [];
    if (!Array.isArray(raw)) throw invalid(`${path}.values`, raw, 'must be a list of strings');
    const list: unknown[] = raw;
    if ((operator === 'In' || operator === 'NotIn') && list.length === 0) {
      throw new LabelSelectorError(
        `${path}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      );
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && list.length > 0) {
      throw new LabelSelectorError(
        `${path}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      );
    }
    list.forEach((value, valueIndex) => {
      const problem = typeof value === 'string' ? labelValueProblem(value) : 'must be a string';
      if (problem !== undefined) throw invalid(`${path}.values[${valueIndex}]`, value, problem);
    });
    requirements.push({ key, operator: operator as LabelOperator, values: [...new Set(list as string[])] });
  });
  return requirements;
}

// ---------------------------------------------------------------------------------------------------
// Matching

/** True when every requirement holds. `!=` and `notin` also match labels WITHOUT the key. */
export function matchesLabelSelector(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const present = labels ?? {};
  return requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(present, key);
    const value = has ? present[key] : undefined;
    switch (operator) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Equals':
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotEquals':
      case 'NotIn':
        return value === undefined || !values.includes(value);
    }
  });
}
