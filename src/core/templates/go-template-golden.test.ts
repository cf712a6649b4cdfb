import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGoTemplate } from './run-go-template.js';

/**
 * The golden table: Go's own text/template output for each case, recorded by scripts/record-go-template-golden.sh
 * (go run scripts/go-template-oracle/main.go). Our engine must print exactly the same text, and fail where Go
 * fails (parse errors at parse time, run-time errors at run time).
 */
type GoldenCase = {
  name: string;
  template: string;
  data?: unknown;
  missingkey?: 'error' | 'default';
  aegisRefuses?: string;
};
type Recorded = { name: string; output?: string; error?: string };

const folder = new URL('./golden/', import.meta.url);
const table = JSON.parse(readFileSync(new URL('go-template-cases.json', folder), 'utf8')) as {
  data: unknown;
  cases: GoldenCase[];
};
const recorded = JSON.parse(readFileSync(new URL('go-template-expected.json', folder), 'utf8')) as Recorded[];
const expectedByName = new Map(recorded.map((entry) => [entry.name, entry]));

describe('Go text/template golden table', () => {
  it('has at least 150 cases, each recorded from Go', () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(table.cases.map((entry) => entry.name)).size).toBe(table.cases.length);
    for (const entry of table.cases) expect(expectedByName.has(entry.name), entry.name).toBe(true);
  });

  it.each(table.cases.map((entry) => [entry.name, entry] as const))('%s', (_, entry) => {
    const expected = expectedByName.get(entry.name);
    const data: unknown = structuredClone(entry.data === undefined ? table.data : entry.data);
    const result = runGoTemplate(entry.template, data, entry.missingkey ?? 'error');
    if (entry.aegisRefuses !== undefined) {
      expect(result, entry.aegisRefuses).toMatchObject({ ok: false, stage: 'parse' });
    } else if (expected?.error !== undefined) {
      const stage = expected.error.startsWith('parse:') ? 'parse' : 'exec';
      expect(result, `Go: ${expected.error}`).toMatchObject({ ok: false, stage });
    } else {
      expect(result, entry.template).toEqual({ ok: true, text: expected?.output });
    }
  });
});
