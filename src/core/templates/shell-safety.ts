/**
 * What an alert-derived value may look like when a template substitutes it raw, and how to quote one explicitly.
 *
 * A raw substitution (`kubectl cordon {{.node}}`) puts the value into text that, in an ops template, usually ends
 * up in a shell (`bash -c "…"`). Rather than guessing which YAML fields reach a shell, every raw substitution must
 * match a conservative allow-list: ASCII letters and digits and `. _ : / = @ % + , -`. That excludes whitespace,
 * every shell metacharacter (`; | & $ \` ' " \ < > ( ) { } [ ] * ? ! ~ #`), control characters and all non-ASCII
 * (fullwidth `；`, zero-width and bidirectional-override characters look harmless on screen but are not).
 * Further, a raw value may not be empty (`rm -rf /data/{{.dir}}` with an empty dir), may not start with `-` (it
 * would be read as a command-line option: `kubectl cordon --kubeconfig=/x`), may not start with `/` or contain a
 * `..` path segment (`kubectl cordon ../../etc`, `cat /data/{{.file}}` with `../../etc/shadow`: a value names
 * something, it does not walk the file system) and may not be longer than {@link maxRawValueLength} characters.
 *
 * No alert-derived value may contain `{{`, quoted or not (see {@link argoExpressionProblem}): Argo evaluates
 * `{{…}}` (and `{{=…}}` expressions) in the Workflow it runs, after the shell quoting is done, so a quoted
 * `'{{=sprig.squote("; curl x | sh; #")}}'` would close its own quote at run time.
 *
 * `{{shellquote .x}}` is the explicit way to use any other value: it yields exactly one POSIX shell word. Quoting
 * makes it one word, not an operand: a quoted value that starts with `-` is still an option to the command that
 * receives it, so templates that shellquote free text should put `--` before it (`kubectl cordon -- {{shellquote
 * .node}}`). shellquote refuses only what no quoting can make safe: NUL (argv strings end at NUL, so the rest of
 * the script would silently vanish) and bidirectional-override characters (they make the script that approvers
 * read differ from the one that runs).
 */

const rawSafePattern = /^[A-Za-z0-9._:/=@%+,-]*$/;
const rawUnsafeCharacter = /[^A-Za-z0-9._:/=@%+,-]/u;

/** Longest value accepted in a raw substitution (Kubernetes names are at most 253 characters). */
export const maxRawValueLength = 1024;

/** Why a value may not be substituted raw; undefined when it may. */
export type RawValueProblem =
  | { kind: 'character'; character: string; index: number }
  | { kind: 'empty' }
  | { kind: 'argo-expression' }
  | { kind: 'leading-dash' }
  | { kind: 'leading-slash' }
  | { kind: 'parent-segment' }
  | { kind: 'too-long'; length: number };

/** Checks a value for a raw substitution (see the file comment for the rules). */
export function rawValueProblem(value: string): RawValueProblem | undefined {
  if (value === '') return { kind: 'empty' };
  if (value.length > maxRawValueLength) return { kind: 'too-long', length: value.length };
  if (value.includes('{{')) return { kind: 'argo-expression' };
  if (!rawSafePattern.test(value)) {
    const match = rawUnsafeCharacter.exec(value);
    const character = match?.[0] ?? value.charAt(0);
    return { kind: 'character', character, index: match?.index ?? 0 };
  }
  if (value.startsWith('-')) return { kind: 'leading-dash' };
  if (value.startsWith('/')) return { kind: 'leading-slash' };
  if (value.split('/').includes('..')) return { kind: 'parent-segment' };
  return undefined;
}

/**
 * Why an alert-derived value may not reach an Argo Workflow at all, quoted or not; undefined when it may. Argo
 * treats `{{` as the start of a template tag (`{{inputs.parameters.x}}`, `{{workflow.name}}`) or, with `{{=`, of
 * an expression it evaluates, so a value containing it would be run by Argo rather than passed as data.
 */
export function argoExpressionProblem(value: string): string | undefined {
  const index = value.indexOf('{{');
  if (index < 0) return undefined;
  const tag = /^\{\{\s*=/.test(value.slice(index, index + 40)) ? 'an Argo expression "{{="' : '"{{"';
  return `contains ${tag} at index ${index}, which Argo would evaluate when the Workflow runs; alert values are data, never Argo templates or expressions`;
}

/** True when `value` may be substituted raw. */
export function isRawSafe(value: string): boolean {
  return rawValueProblem(value) === undefined;
}

const bidiControls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Why a value cannot be shell-quoted; undefined when it can. */
export function shellQuoteProblem(value: string): string | undefined {
  const expression = argoExpressionProblem(value);
  if (expression !== undefined) return expression;
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `contains ${describeCharacter('\u0000')}, which cannot be passed to a command`;
  const bidi = bidiControls.exec(value);
  if (bidi)
    return `contains ${describeCharacter(bidi[0])}, which makes the script shown differ from the one run`;
  return undefined;
}

/**
 * One POSIX shell word whose value is exactly `value`: single quotes keep every character literally, and a
 * single quote itself is written as `'\''` (close, escaped quote, reopen).
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A character as a person should read it in an error message: `";"`, `" " (space)`, `U+FF1B (non-ASCII)`. */
export function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  if (character === ' ') return '" " (space)';
  if (codePoint < 0x20 || codePoint === 0x7f)
    return `${JSON.stringify(character)} (${hex}, a control character)`;
  if (codePoint < 0x7f) return JSON.stringify(character);
  if (bidiControls.test(character)) return `${hex} (a bidirectional-text control character)`;
  if (/[\u200b-\u200d\u2060\ufeff]/u.test(character)) return `${hex} (an invisible zero-width character)`;
  if (/\s/u.test(character)) return `${hex} (whitespace)`;
  return `${hex} ${JSON.stringify(character)} (non-ASCII)`;
}

/** A value for an error message: JSON-escaped, shortened when long. */
export function showValue(value: string, limit = 80): string {
  if (value.length <= limit) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, limit))}… (${value.length} characters)`;
}

/** The sentence that explains a refused raw substitution, naming the variable and how to fix the template. */
export function describeRawValueProblem(
  variable: string,
  goExpression: string,
  value: string,
  problem: RawValueProblem,
): string {
  const subject = `variable "${variable}" (${showValue(value)})`;
  const fix = `pass it through {{shellquote ${goExpression}}} to use it as one quoted shell word`;
  switch (problem.kind) {
    case 'character':
      return `${subject} contains ${describeCharacter(problem.character)} (not allowed in a raw substitution); ${fix}`;
    case 'empty':
      return `variable "${variable}" is empty (an empty raw substitution silently changes a command); test it with {{if ${goExpression}}} or ${fix}`;
    case 'leading-dash':
      return `${subject} starts with "-" and would be read as a command-line option; refused in a raw substitution (if it must be used, ${fix} and put -- before it)`;
    case 'argo-expression':
      return `${subject} ${argoExpressionProblem(value) ?? 'contains "{{"'}`;
    case 'leading-slash':
      return `${subject} starts with "/" (an absolute path); refused in a raw substitution, where a value names something and does not choose a path (if it must be used, ${fix})`;
    case 'parent-segment':
      return `${subject} contains a ".." path segment; refused in a raw substitution, where a value names something and does not walk the file system (if it must be used, ${fix})`;
    case 'too-long':
      return `${subject} is ${problem.length} characters long (at most ${maxRawValueLength} allowed in a raw substitution); ${fix}`;
  }
}
