/**
 * Reads what a checker pod printed. As upstream (pkg/controller/nodecheck), the results are the text from the
 * LAST line that starts with `results:` to the end of the log, as YAML `{results: {<module>: [{item, condition,
 * level, status, message}]}}`; anything printed before it (klog lines, progress) is ignored. Unlike upstream, a
 * problem says where it is: the log line of the YAML error, or the path of the field that has the wrong type.
 */
import { parseDocument } from 'yaml';
import { checkResultsByModuleSchema, type CheckResultsByModule } from '../resources/index.js';

export type ParsedCheckResults =
  | { readonly ok: true; readonly results: CheckResultsByModule }
  | { readonly ok: false; readonly message: string };

/** Checker logs are cut to this before parsing (the block is small; a runaway log must not stall us). */
export const checkLogLimitBytes = 1024 * 1024;

export function parseCheckResults(log: string): ParsedCheckResults {
  const lines = log.split('\n');
  let start = -1;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    if (lines[index]?.startsWith('results:') === true) {
      start = index;
      break;
    }
  }
  if (start < 0) {
    return { ok: false, message: `the log (${lines.length} lines) has no line starting with "results:"` };
  }
  const block = lines.slice(start).join('\n');
  const document = parseDocument(block, { uniqueKeys: true, prettyErrors: true });
  const error = document.errors[0];
  if (error !== undefined) {
    const line = (error.linePos?.[0]?.line ?? 1) + start;
    return {
      ok: false,
      message: `log line ${line}: the results block is not valid YAML: ${firstLine(error.message)}`,
    };
  }
  const value: unknown = document.toJS();
  const results = (value as { results?: unknown } | null)?.results;
  if (results === null || results === undefined) return { ok: true, results: {} };
  // A module printed with no items (`disk:`) is null in YAML; Go's decoder reads it as an empty list.
  const modules =
    typeof results === 'object' && !Array.isArray(results)
      ? Object.fromEntries(Object.entries(results).map(([module, items]) => [module, items ?? []]))
      : results;
  const parsed = checkResultsByModuleSchema.safeParse(modules);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['results', ...(issue?.path ?? []).map(String)].join('.');
    return { ok: false, message: `log line ${start + 1}: ${path}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, results: parsed.data };
}

/** The YAML library's first message line, without its own position (relative to the block, not the log). */
function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/ at line \d+, column \d+:?$/, '');
}

/** The items whose `status` is true (the problem is present), by module; modules with none are left out. */
export function failingItems(results: CheckResultsByModule | undefined): CheckResultsByModule {
  const failing: CheckResultsByModule = {};
  for (const [module, items] of Object.entries(results ?? {})) {
    const bad = items.filter((item) => item.status === true);
    if (bad.length > 0) failing[module] = bad;
  }
  return failing;
}
