import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The sections of bench/results/<name>.json from an earlier run (without `benchmark`, `date`, `machine`),
 * so a benchmark that writes one part of a shared results file keeps the others; {} when there is none.
 */
export async function previousResults(name: string): Promise<Record<string, unknown>> {
  const file = fileURLToPath(new URL(`../results/${name}.json`, import.meta.url));
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const {
      benchmark: _benchmark,
      date: _date,
      machine: _machine,
      ...sections
    } = parsed as Record<string, unknown>;
    return sections;
  } catch {
    return {};
  }
}
