/**
 * `alertConditions[].type` as a matcher. Upstream (Go) ran `regexp.MatchString(type, alertType)`, unanchored, so
 * `NodeCriticalIssue` also matched `NodeCriticalIssueDisappeared`. We anchor every pattern (`^(?:…)$`, DESIGN §4);
 * a rule author who wants more writes an explicit pattern such as `Node.*Issue`.
 *
 * A type without regular-expression metacharacters is a literal: an anchored literal matches exactly itself, so
 * it is compared as a string (and indexed in a Map). Upstream-style `^NodeCriticalIssue` or `NodeCriticalIssue$`
 * is a literal too once the redundant anchors are dropped.
 */

export type TypeMatcher =
  | { readonly kind: 'literal'; readonly value: string }
  | {
      readonly kind: 'pattern';
      readonly source: string;
      readonly regex: RegExp;
      /** Text every matching type starts with ('' when unknown); lets the index skip most patterns. */
      readonly prefix: string;
    };

const metaCharacter = /[\\^$.|?*+()[\]{}]/;
/** RE2 flag groups at the start of a pattern (`(?i)`, `(?s)`, `(?is)`): JavaScript takes them as flags. */
const leadingFlags = /^\(\?([a-zA-Z]+)\)/;
const supportedFlags = new Set(['i', 's']);

export function isLiteralType(type: string): boolean {
  return !metaCharacter.test(type);
}

/** Drops a leading `^` and an unescaped trailing `$`; returns the rest if that is a literal. */
function literalInsideAnchors(type: string): string | undefined {
  let body = type.startsWith('^') ? type.slice(1) : type;
  if (body.endsWith('$')) body = body.slice(0, -1);
  return isLiteralType(body) ? body : undefined;
}

export function compileTypePattern(
  type: string,
): { ok: true; matcher: TypeMatcher } | { ok: false; message: string } {
  if (isLiteralType(type)) return { ok: true, matcher: { kind: 'literal', value: type } };
  const literal = literalInsideAnchors(type);
  if (literal !== undefined && literal !== '')
    return { ok: true, matcher: { kind: 'literal', value: literal } };
  let body = type;
  let flags = '';
  const flagGroup = leadingFlags.exec(body);
  if (flagGroup) {
    const letters = flagGroup[1] ?? '';
    const unsupported = [...letters].filter((letter) => !supportedFlags.has(letter));
    if (unsupported.length > 0) {
      return {
        ok: false,
        message: `flag (?${unsupported.join('')}) is not supported; only (?i) and (?s) are`,
      };
    }
    flags = [...new Set(letters)].join('');
    body = body.slice(flagGroup[0].length);
  }
  // RE2 spells named groups (?P<name>…); JavaScript (?<name>…).
  body = body.replaceAll('(?P<', '(?<');
  try {
    const regex = new RegExp(`^(?:${body})$`, flags);
    return {
      ok: true,
      matcher: {
        kind: 'pattern',
        source: type,
        regex,
        prefix: flags.includes('i') ? '' : requiredPrefix(body),
      },
    };
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')
        : String(error);
    return { ok: false, message: `is not a valid regular expression: ${reason}` };
  }
}

/**
 * The literal text at the start of an (anchored) pattern that every match must begin with: `Node.*Issue` →
 * `Node`, `GpuX?Lost` → `Gpu`. Conservative: '' for any pattern with an alternation (`|`), and the prefix stops
 * at the first metacharacter (dropping the character before an optional quantifier `?`, `*`, `{`).
 */
export function requiredPrefix(pattern: string): string {
  if (pattern.includes('|')) return '';
  const body = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  let end = 0;
  while (end < body.length && !metaCharacter.test(body.charAt(end))) end += 1;
  const next = body.charAt(end);
  if (next === '?' || next === '*' || next === '{') end -= 1;
  return body.slice(0, Math.max(0, end));
}

export function typeMatches(matcher: TypeMatcher, type: string): boolean {
  return matcher.kind === 'literal' ? matcher.value === type : matcher.regex.test(type);
}
