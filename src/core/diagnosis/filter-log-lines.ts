/**
 * Cut a container's log to its budget the way an operator wants to read it: the lines that mention a keyword
 * (case-insensitive substring, e.g. NCCL, CUDA, error) first, the budget then filled with the latest other
 * lines, and the original order kept. Without keywords it is a plain tail. Linear in the input: substring
 * search only, no patterns built from configuration.
 */
export interface LogFilterOptions {
  readonly keywords: readonly string[];
  /** At most this many lines are kept. */
  readonly maxLines: number;
  /** Each kept line is cut to this many characters (default 500). */
  readonly maxLineLength?: number;
}

export function filterLogLines(lines: readonly string[], options: LogFilterOptions): string[] {
  const maxLines = Math.max(0, Math.floor(options.maxLines));
  const maxLineLength = options.maxLineLength ?? 500;
  const cut = (line: string): string =>
    line.length > maxLineLength ? `${line.slice(0, maxLineLength)}…` : line;
  const keywords = options.keywords
    .map((keyword) => keyword.toLowerCase())
    .filter((keyword) => keyword !== '');
  if (keywords.length === 0 || maxLines === 0)
    return lines.slice(Math.max(0, lines.length - maxLines)).map(cut);

  const matching: number[] = [];
  lines.forEach((line, index) => {
    const lower = line.toLowerCase();
    if (keywords.some((keyword) => lower.includes(keyword))) matching.push(index);
  });
  // The latest keyword lines win when there are more than the budget.
  const kept = new Set(matching.slice(Math.max(0, matching.length - maxLines)));
  for (let index = lines.length - 1; index >= 0 && kept.size < maxLines; index -= 1) kept.add(index);
  return [...kept].sort((a, b) => a - b).map((index) => cut(lines[index] ?? ''));
}

/** Split a log text into lines (no trailing empty line). */
export function splitLogLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
