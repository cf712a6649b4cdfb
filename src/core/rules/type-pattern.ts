/**
 * `alertConditions[].type` as a matcher. Upstream (Go) ran `regexp.MatchString(type, alertType)`, unanchored, so
 * `NodeCriticalIssue` also matched `NodeCriticalIssueDisappeared`. We anchor every pattern (`^(?:…)$`, DESIGN §4);
 * a rule author who wants more writes an explicit pattern such as `Node.*Issue`.
 *
 * A type without regular-expression metacharacters is a literal: an anchored literal matches exactly itself, so
 * it is compared as a string (and indexed in a Map). Upstream-style `^NodeCriticalIssue` or `NodeCriticalIssue$`
 * is a literal too once the redundant anchors are dropped.
 */
import { compileLinearPattern, type LinearPattern } from '../linear-patterns/index.js';

export type TypeMatcher =
  | { readonly kind: 'literal'; readonly value: string }
  | {
      readonly kind: 'pattern';
      readonly source: string;
      /** The anchored pattern, matched in linear time (RE2 semantics). */
      readonly regex: LinearPattern;
      /** Text every matching type starts with ('' when unknown); lets the index skip most patterns. */
      readonly prefix: string;
    };

const metaCharacter = /[\\^$.|?*+()[\]{}]/;

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
  // RE2 semantics (as upstream's Go regexp): flag groups such as (?i), named groups (?P<name>…), and matching
  // time linear in the alert type whatever the pattern, so a rule like (x+x+)+y cannot stall the process.
  const compiled = compileLinearPattern(type, { anchored: true });
  if (!compiled.ok) return { ok: false, message: compiled.message };
  return {
    ok: true,
    matcher: { kind: 'pattern', source: type, regex: compiled.pattern, prefix: requiredPrefix(type) },
  };
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
