/**
 * Regular expressions written by people (rule alert types, AEGIS_REDACT_PATTERNS, AEGIS_SLACK_ROUTES) and applied
 * to text from senders, chat or the cluster. JavaScript's own engine backtracks: `(x+x+)+y` against 31 `x` takes
 * minutes, and the whole process (webhooks, /healthz) waits. These patterns are compiled with RE2 semantics
 * instead (re2js, a pure-JavaScript port of RE2): matching time grows linearly with the text, whatever the
 * pattern. RE2 syntax is Go's (upstream's rules were Go regexps): `(?i)`, `(?s)`, `(?P<name>…)`, classes,
 * repetitions; the features that need backtracking, back-references (`\1`) and look-arounds (`(?=`, `(?!`,
 * `(?<=`, `(?<!`), are refused with a message that says so.
 */
import { RE2JS, RE2JSException } from 're2js';

/** A compiled pattern that runs in time linear in the text. */
export interface LinearPattern {
  /** The pattern as the person wrote it. */
  readonly source: string;
  /** True when the pattern matches somewhere in `text`. */
  test(text: string): boolean;
  /**
   * `text` with every non-empty, non-overlapping match (leftmost first) replaced by what `replace` returns for
   * it; `groups[i]` is capture group i+1, undefined when it did not take part.
   */
  replaceAll(
    text: string,
    replace: (match: string, groups: readonly (string | undefined)[]) => string,
  ): string;
}

export type LinearPatternResult = { ok: true; pattern: LinearPattern } | { ok: false; message: string };

export interface LinearPatternOptions {
  /** The whole text must match (`^(?:…)$`), as rule alert types do. */
  anchored?: boolean;
  caseInsensitive?: boolean;
  /** Longest pattern accepted (default 4096 characters). */
  maxLength?: number;
}

/** Longest pattern accepted by default: patterns are configuration, not data. */
export const maxPatternLength = 4096;

const backtrackingOnly: ReadonlyArray<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'look-arounds ((?=, (?!, (?<=, (?<!)'],
  [/\\[1-9]/, 'back-references (\\1 … \\9)'],
  [/\\k</, 'named back-references (\\k<name>)'],
  [/[*+?}]\+/, 'possessive quantifiers (*+, ++, ?+)'],
  [/\(\?>/, 'atomic groups ((?>…))'],
];

/** Why RE2 refused a pattern, in words; names the features that only a backtracking engine offers. */
function refusal(source: string, error: unknown): string {
  const unsupported = backtrackingOnly.find(([probe]) => probe.test(source));
  const detail =
    error instanceof RE2JSException ? error.message.replace(/^error parsing regexp: /, '') : String(error);
  if (unsupported !== undefined) {
    return `uses ${unsupported[1]}, which only a backtracking engine offers; Aegis matches patterns in linear time (RE2 syntax) so that no input can stall it (${detail})`;
  }
  return `is not a valid regular expression (RE2 syntax): ${detail}`;
}

/** Compiles `source` with RE2 semantics, or says why it cannot be (the caller names the setting or rule). */
export function compileLinearPattern(
  source: string,
  options: LinearPatternOptions = {},
): LinearPatternResult {
  const limit = options.maxLength ?? maxPatternLength;
  if (source.length > limit)
    return { ok: false, message: `is ${source.length} characters long (at most ${limit})` };
  let compiled: RE2JS;
  try {
    // (?P<name>…) is RE2's spelling and re2js's; (?<name>…) is accepted too (JavaScript's).
    const body = options.anchored === true ? `^(?:${source})$` : source;
    compiled = RE2JS.compile(body, options.caseInsensitive === true ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    let reported = error;
    try {
      RE2JS.compile(source); // the error without the anchoring wrapper reads better
    } catch (plainError) {
      reported = plainError;
    }
    return { ok: false, message: refusal(source, reported) };
  }
  return { ok: true, pattern: wrap(source, compiled) };
}

function wrap(source: string, compiled: RE2JS): LinearPattern {
  const groupCount = compiled.groupCount();
  return {
    source,
    test: (text) => compiled.test(text),
    replaceAll(text, replace) {
      const matcher = compiled.matcher(text);
      let output = '';
      let copied = 0;
      while (matcher.find()) {
        const start = matcher.start();
        const end = matcher.end();
        if (end === start) continue;
        const groups: (string | undefined)[] = [];
        for (let index = 1; index <= groupCount; index += 1) groups.push(matcher.group(index) ?? undefined);
        output += text.slice(copied, start) + replace(text.slice(start, end), groups);
        copied = end;
      }
      return copied === 0 ? text : output + text.slice(copied);
    },
  };
}
