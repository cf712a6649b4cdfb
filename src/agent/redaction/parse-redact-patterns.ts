import { AegisError } from '../../core/errors.js';
import { compileLinearPattern, type LinearPattern } from '../../core/linear-patterns/index.js';

/**
 * The extra redaction patterns of AEGIS_REDACT_PATTERNS: one regular expression per line (blank lines and
 * lines starting with `#` ignored), or a JSON array of strings. Patterns are case-sensitive unless written
 * `/source/i` (or with `(?i)`). They run with RE2 semantics, in time linear in the text, because they are
 * applied to everything the agent reads (logs, alert payloads, chat): `(a+)+$` is fine, back-references and
 * look-arounds are refused. Throws `REDACT_PATTERN_INVALID` naming the pattern and why.
 */
export function parseRedactPatterns(text: string | undefined): LinearPattern[] {
  if (text === undefined || text.trim() === '') return [];
  const trimmed = text.trim();
  let sources: string[];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      throw new AegisError('REDACT_PATTERN_INVALID', 'AEGIS_REDACT_PATTERNS must be a JSON array of strings');
    }
    sources = parsed;
  } else {
    sources = trimmed.split(/\r?\n/).map((line) => line.trim());
  }
  return sources
    .filter((source) => source !== '' && !source.startsWith('#'))
    .map((source) => {
      const literal = /^\/(.+)\/([a-z]*)$/s.exec(source);
      const flags = literal?.[2] ?? '';
      const unknownFlag = [...flags].find((flag) => flag !== 'i' && flag !== 'g');
      if (unknownFlag !== undefined) {
        throw new AegisError(
          'REDACT_PATTERN_INVALID',
          `AEGIS_REDACT_PATTERNS: ${JSON.stringify(source)} has the flag "${unknownFlag}"; only i (and g, implied) are supported`,
        );
      }
      const compiled = compileLinearPattern(literal?.[1] ?? source, { caseInsensitive: flags.includes('i') });
      if (!compiled.ok) {
        throw new AegisError(
          'REDACT_PATTERN_INVALID',
          `AEGIS_REDACT_PATTERNS: ${JSON.stringify(source)} ${compiled.message}`,
        );
      }
      return compiled.pattern;
    });
}
