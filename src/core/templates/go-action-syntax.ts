import type { ActionToken } from './go-template-lexer.js';

/** The words that open Go's control actions (`{{if …}}`, `{{end}}`, `{{template …}}`, …). */
export const goKeywords: ReadonlySet<string> = new Set([
  'if',
  'range',
  'with',
  'end',
  'else',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

/** True when an action uses Go syntax: fields, `$`, pipes, Go keywords, Go strings or character literals. */
export function isGoAction(tokens: ActionToken[]): boolean {
  const first = tokens[0];
  // `else` alone is the same in both languages; `else if x` without Go syntax is native Handlebars.
  if (first?.kind === 'word' && goKeywords.has(first.text) && first.text !== 'else') return true;
  // A literal printed as it is ({{"{{workflow.name}}"}}); Handlebars would read it as a variable name.
  if (first?.kind === 'string' && tokens.length === 1) return true;
  return tokens.some((token) => {
    if (
      token.kind === 'pipe' ||
      token.kind === 'declare' ||
      token.kind === 'assign' ||
      token.kind === 'char'
    ) {
      return true;
    }
    if (token.kind === 'string') return token.raw.startsWith('`');
    if (token.kind !== 'word') return false;
    return (
      (token.text.startsWith('.') && !token.text.startsWith('./') && !token.text.startsWith('../')) ||
      token.text.startsWith('$')
    );
  });
}
