/**
 * Redaction and pattern-matching time on hostile text (not a test; issue 10, item 4). For texts from 1 KiB to
 * 1 MiB (doubling), it measures the redactor (built-in patterns plus an AEGIS_REDACT_PATTERNS pattern), a
 * user-given RE2 pattern `(a+)+$` and a rule type `(x+x+)+y`, and prints each one's time per size and the ratio
 * per doubling: about 2 means linear, 4 quadratic. Baselines measured in the same run: one pass of a trivial
 * regular expression over the same text (the floor any scan pays), and the old, backtracking key pattern of
 * the redactor on small sizes only (its ratio per doubling is about 4, which is why 80 KB froze the process).
 * Writes bench/results/redaction.json.
 */
import os from 'node:os';
import { createRedactor, parseRedactPatterns } from '../src/agent/redaction/index.js';
import { compileLinearPattern } from '../src/core/linear-patterns/index.js';
import { compileTypePattern, typeMatches } from '../src/core/rules/index.js';
import { median, writeResults } from './support/stats.js';

const sizes = Array.from({ length: 11 }, (_, power) => 1024 * 2 ** power); // 1 KiB … 1 MiB
const oldKeyPattern = /(?<![\w.$])(["']?)([A-Za-z_][\w.-]*)\1([ \t]*[:=][ \t]*)/g;

function text(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Median milliseconds of `work`, repeated until about 200 ms were spent (at least 3, at most 50 runs). */
function measure(work: () => unknown): number {
  const times: number[] = [];
  let spent = 0;
  while (times.length < 3 || (spent < 200 && times.length < 50)) {
    const start = performance.now();
    work();
    const elapsed = performance.now() - start;
    times.push(elapsed);
    spent += elapsed;
  }
  return median(times);
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

interface Series {
  name: string;
  input: string;
  points: { bytes: number; ms: number }[];
  /** time(2n) / time(n), from 64 KiB up (small sizes are dominated by fixed costs). */
  ratioPerDoubling: number;
}

function series(name: string, input: string, run: (size: number) => () => unknown, upTo = 1_048_576): Series {
  const points: { bytes: number; ms: number }[] = [];
  for (const bytes of sizes.filter((size) => size <= upTo))
    points.push({ bytes, ms: round(measure(run(bytes))) });
  const ratios: number[] = [];
  for (let index = 1; index < points.length; index += 1) {
    const previous = points[index - 1];
    const current = points[index];
    if (previous !== undefined && current !== undefined && previous.bytes >= 64 * 1024 && previous.ms > 0)
      ratios.push(current.ms / previous.ms);
  }
  if (ratios.length === 0) {
    // series that stop early (the old pattern): the ratios from 4 KiB up
    for (let index = 3; index < points.length; index += 1)
      ratios.push((points[index]?.ms ?? 0) / (points[index - 1]?.ms ?? 1));
  }
  const ratio = round(median(ratios), 2);
  const shown = points.map((point) => `${point.bytes / 1024} KiB ${point.ms} ms`).join(', ');
  console.log(`${name.padEnd(44)} ratio per doubling ${ratio}\n    ${shown}`);
  return { name, input, points, ratioPerDoubling: ratio };
}

const redactor = createRedactor({ extraPatterns: parseRedactPatterns('internal-[0-9a-f]{8}') });
const nested = compileLinearPattern('(a+)+$');
if (!nested.ok) throw new Error(nested.message);
// The rule index memoises results per type, so the type pattern itself is measured.
const ruleType = compileTypePattern('(x+x+)+y');
if (!ruleType.ok) throw new Error(ruleType.message);
const ruleMatcher = ruleType.matcher;
const ordinary =
  '2026-03-05T10:02:11Z INFO pod gpu-worker-7 on node dev1 started (image registry/train:1.4, gpus=8) password=hunter2 ok\n';

console.log('time per text size; a ratio per doubling near 2 is linear\n');
const results: Series[] = [
  series('baseline: one pass of /[\\r\\n]/g', 'ordinary log', (size) => {
    const input = text(ordinary, size);
    return () => input.match(/[\r\n]/g)?.length;
  }),
  series('redact: ordinary log text', 'ordinary log', (size) => {
    const input = text(ordinary, size);
    return () => redactor.redact(input);
  }),
  ...['a-', 'a:', 'a=', 'eyJ', 'x://b:', '"name":"x","value":"\\"'].map((unit) =>
    series(`redact: hostile ${JSON.stringify(unit)}…`, unit, (size) => {
      const input = text(unit, size);
      return () => redactor.redact(input);
    }),
  ),
  series('RE2 pattern (a+)+$ on "aaa…!"', 'a…!', (size) => {
    const input = `${text('a', size - 1)}!`;
    return () => nested.pattern.test(input);
  }),
  series('rule type (x+x+)+y on "xxx…"', 'x…', (size) => {
    const input = text('x', size);
    return () => typeMatches(ruleMatcher, input);
  }),
  series(
    'baseline: OLD backtracking key pattern, "a-"…',
    'a-',
    (size) => {
      const input = text('a-', size);
      return () => input.match(oldKeyPattern)?.length;
    },
    32 * 1024,
  ),
];
const file = await writeResults('redaction', {
  loadAverage: os.loadavg().map((value) => round(value, 2)),
  note: 'medians; the machine is shared, so compare the ratios per doubling, not the absolute times',
  series: results,
});
console.log(`results: ${file}`);
