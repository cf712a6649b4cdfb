/**
 * Before the manifest is parsed as YAML, quotes the plain scalars that start with a template action.
 *
 * Upstream renders the manifest as text and parses the result, so `name: {{.node}}` works there. Aegis parses
 * first (so that values can never change the structure), and YAML reads an unquoted `{{.node}}` as a flow
 * mapping. This pass rewrites, line by line, a block-context value that starts with `{{` into a single-quoted
 * scalar: `name: {{.node}}` → `name: '{{.node}}'`, `- {{.node}}-x # note` → `- '{{.node}}-x' # note`. It never
 * touches block scalars (`|`, `>`), quoted values, or text after a `key:` that does not start with `{{`; it only
 * inserts characters within a line, so line numbers stay the same. The offsets of the scalars it quoted are
 * returned: after rendering, such a value is read back as a plain YAML scalar (a number, a boolean, a quoted
 * string), as upstream would read it, but never as a mapping or a list.
 *
 * Anything this pass does not handle (a template inside a flow collection `[a, {{.x}}]`, or a line that is only
 * a template) is left alone; the renderer then finds the flow mapping YAML made of it and explains the fix.
 */

export type QuotedManifest = {
  text: string;
  /** Offsets in `text` of the opening quote of every scalar this pass quoted. */
  quotedOffsets: ReadonlySet<number>;
};

const linePattern =
  /^(?<indent> *)(?<dashes>(?:- +)*)(?<key>(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s#'"{[\]&*!|>%@`-][^#\n]*?|-[^\s#\n][^#\n]*?) *:(?: +|$))?(?<rest>.*)$/;
const blockIndicator = /^[|>][-+0-9]*\s*(?:#.*)?$/;

export function quoteTemplateScalars(manifest: string): QuotedManifest {
  const lines = manifest.split('\n');
  const quotedOffsets = new Set<number>();
  let blockParentIndent: number | undefined;
  let offset = 0;
  const output: string[] = [];
  for (const rawLine of lines) {
    const carriageReturn = rawLine.endsWith('\r');
    const line = carriageReturn ? rawLine.slice(0, -1) : rawLine;
    let result = line;
    const indent = line.length - line.trimStart().length;
    const inBlock = blockParentIndent !== undefined && (line.trim() === '' || indent > blockParentIndent);
    if (!inBlock) {
      blockParentIndent = undefined;
      const match = linePattern.exec(line);
      const groups = match?.groups;
      if (groups) {
        const prefix = `${groups['indent'] ?? ''}${groups['dashes'] ?? ''}${groups['key'] ?? ''}`;
        const rest = groups['rest'] ?? '';
        const hasOwner = (groups['dashes'] ?? '') !== '' || groups['key'] !== undefined;
        if (blockIndicator.test(rest)) {
          blockParentIndent =
            groups['key'] !== undefined
              ? (groups['indent'] ?? '').length + (groups['dashes'] ?? '').length
              : prefix.length - 2;
        } else if (hasOwner && rest.startsWith('{{')) {
          const { value, comment } = splitComment(rest);
          result = `${prefix}'${value.replaceAll("'", "''")}'${comment}`;
          quotedOffsets.add(offset + prefix.length);
        }
      }
    }
    output.push(carriageReturn ? `${result}\r` : result);
    offset += result.length + (carriageReturn ? 1 : 0) + 1;
  }
  return { text: output.join('\n'), quotedOffsets };
}

/** Splits a trailing ` # comment` that follows the last `}}`, and trailing spaces. */
function splitComment(rest: string): { value: string; comment: string } {
  const lastClose = rest.lastIndexOf('}}');
  const hash = rest.indexOf(' #', Math.max(0, lastClose));
  const value = hash >= 0 ? rest.slice(0, hash) : rest;
  const trimmed = value.trimEnd();
  return { value: trimmed, comment: rest.slice(trimmed.length) };
}
