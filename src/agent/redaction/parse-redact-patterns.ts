import { AegisError } from '../../core/errors.js';

/**
 * The extra redaction patterns of AEGIS_REDACT_PATTERNS: one regular expression per line (blank lines and
 * lines starting with `#` ignored), or a JSON array of strings. Patterns are case-sensitive unless written
 * `/source/flags`. Throws `REDACT_PATTERN_INVALID` naming the pattern that does not compile.
 */
export function parseRedactPatterns(text: string | undefined): RegExp[] {
  if (text === undefined || text.trim() === '') return [];
  const trimmed = text.trim();
  let sources: string[];
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
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
      try {
        return new RegExp(literal?.[1] ?? source, flags.includes('g') ? flags : `${flags}g`);
      } catch (error) {
        throw new AegisError(
          'REDACT_PATTERN_INVALID',
          `AEGIS_REDACT_PATTERNS: ${JSON.stringify(source)} is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
}
