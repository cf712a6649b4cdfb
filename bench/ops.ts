/**
 * Ops benchmark (matching and rendering; not a test). Prints per-alert matching cost with 10, 1,000 and 10,000
 * rules and its ratio to the 10-rule baseline measured in the same run, and render time per template.
 * Targets (issue 4): 10,000 rules ≤ 3× the cost of 10, and ≤ 20 µs per alert, for literal types.
 * Writes bench/results/ops.json.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { RuleIndex } from '../src/core/rules/index.js';
import type { AlertToMatch, RuleSource } from '../src/core/rules/index.js';
import { buildTemplateVariables, renderOpsTemplate } from '../src/core/templates/index.js';
import { previousResults } from './support/previous-results.js';
import { median, percentile, writeResults } from './support/stats.js';

const ruleCounts = [10, 1_000, 10_000] as const;
const alertsPerBatch = 20_000;
const batches = 15;

/** A deterministic pseudo-random sequence (mulberry32), so every run measures the same work. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function rule(index: number, type: string): RuleSource {
  // Every fourth rule has a selector, as rules for one alert type split by node pool would.
  const selector = index % 4 === 0 ? { matchLabels: { pool: index % 8 === 0 ? 'gpu' : 'cpu' } } : undefined;
  return {
    metadata: { name: `rule-${index}`, namespace: `team-${index % 7}` },
    spec: {
      alertConditions: [{ type, status: index % 5 === 0 ? 'Resolved' : 'Firing' }],
      opsTemplate: { kind: 'AegisOpsTemplate', name: `template-${index}` },
      ...(selector === undefined ? {} : { selector }),
    },
  };
}

function buildIndex(count: number, patternShare: number): RuleIndex {
  const index = new RuleIndex();
  const patterns = Math.round(count * patternShare);
  for (let position = 0; position < count; position += 1) {
    const type = position < patterns ? `Pattern${position}Issue.*` : `AlertType${position}`;
    const result = index.upsert(rule(position, type));
    if (!result.ok) throw new Error(`rule ${position} is invalid`);
  }
  return index;
}

function alerts(count: number, seed: number, unique: boolean): AlertToMatch[] {
  const next = random(seed);
  const list: AlertToMatch[] = [];
  for (let position = 0; position < alertsPerBatch; position += 1) {
    const target = Math.floor(next() * count * 1.1); // ~10 % of alerts match no rule
    const type = unique ? `Unseen${position}` : `AlertType${target}`;
    list.push({
      type,
      status: next() < 0.8 ? 'Firing' : 'Resolved',
      labels: { pool: next() < 0.5 ? 'gpu' : 'cpu', node: `node-${position % 100}` },
    });
  }
  return list;
}

/** Median and p95 of the per-alert cost over batches, in microseconds. */
function measure(index: RuleIndex, list: readonly AlertToMatch[]): { medianUs: number; p95Us: number } {
  let sink = 0;
  for (const alert of list) sink += index.match(alert).kind.length; // warm-up
  const perAlert: number[] = [];
  for (let batch = 0; batch < batches; batch += 1) {
    const start = process.hrtime.bigint();
    for (const alert of list) sink += index.match(alert).kind.length;
    perAlert.push(Number(process.hrtime.bigint() - start) / 1_000 / list.length);
  }
  if (sink === 0) throw new Error('unreachable');
  return { medianUs: round(median(perAlert)), p95Us: round(percentile(perAlert, 95)) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function matchingScenario(name: string, patternShare: number, unique: boolean) {
  const rows = ruleCounts.map((count) => {
    const index = buildIndex(count, patternShare);
    return { rules: count, ...measure(index, alerts(count, count, unique)) };
  });
  const baseline = rows[0]?.medianUs ?? Number.NaN;
  return {
    scenario: name,
    rows: rows.map((row) => ({ ...row, ratioToTenRules: round(row.medianUs / baseline) })),
  };
}

function renderScenario(
  name: string,
  manifest: string,
  variables: ReturnType<typeof buildTemplateVariables>,
) {
  const first = renderOpsTemplate(manifest, variables);
  if (!first.ok) throw new Error(`${name} does not render: ${first.message}`);
  const samples: number[] = [];
  const rounds = 2_000;
  for (let position = 0; position < rounds; position += 1) {
    const start = process.hrtime.bigint();
    renderOpsTemplate(manifest, variables);
    samples.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  return { template: name, medianUs: round(median(samples)), p95Us: round(percentile(samples, 95)) };
}

const literal = matchingScenario('literal types', 0, false);
const mixedWarm = matchingScenario('10 % pattern rules, repeated alert types', 0.1, false);
const mixedCold = matchingScenario('10 % pattern rules, every alert type new (memo misses)', 0.1, true);

const root = fileURLToPath(new URL('../', import.meta.url));
const example = parse(readFileSync(`${root}examples/cordon-on-emergency/template.yaml`, 'utf8')) as {
  spec: { manifest: string };
};
const variables = buildTemplateVariables({
  metadata: {
    name: 'default-nodehasemergencyevent-abcde',
    namespace: 'monitoring',
    annotations: { cluster: 'gpu-prod' },
  },
  spec: {
    type: 'NodeHasEmergencyEvent',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'dev1', node: 'dev1' },
    details: { node: 'dev1', severity: 'critical', reason: 'KernelPanic' },
  },
});
const steps = Array.from(
  { length: 20 },
  (_, step) =>
    `  - name: step${step}\n    container:\n      image: busybox\n      command: [/bin/sh, -c, "echo {{.AlertName}} step ${step} on {{.node}} in {{.cluster}}"]`,
).join('\n');
const bigManifest = `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  labels: {alert: "{{.AlertName}}"}\nspec:\n  entrypoint: step0\n  templates:\n${steps}\n`;
const render = [
  renderScenario('cordon-on-emergency (1 container)', example.spec.manifest, variables),
  renderScenario('20 containers, 61 substitutions', bigManifest, variables),
];

const tenThousand = literal.rows.find((row) => row.rules === 10_000);
const targets = {
  tenThousandRulesRatio: {
    value: tenThousand?.ratioToTenRules,
    target: '≤ 3',
    met: (tenThousand?.ratioToTenRules ?? Infinity) <= 3,
  },
  tenThousandRulesMicroseconds: {
    value: tenThousand?.medianUs,
    target: '≤ 20',
    met: (tenThousand?.medianUs ?? Infinity) <= 20,
  },
};

for (const scenario of [literal, mixedWarm, mixedCold]) {
  console.log(`\nmatching, ${scenario.scenario} (${alertsPerBatch} alerts × ${batches} batches)`);
  console.log('  rules     median µs/alert   p95 µs/alert   × 10-rule baseline');
  for (const row of scenario.rows) {
    console.log(
      `  ${String(row.rules).padEnd(9)} ${row.medianUs.toFixed(3).padStart(15)}   ${row.p95Us.toFixed(3).padStart(12)}   ${row.ratioToTenRules.toFixed(2).padStart(18)}`,
    );
  }
}
console.log('\nrendering (2,000 renders each)');
for (const row of render)
  console.log(`  ${row.template.padEnd(36)} median ${row.medianUs} µs, p95 ${row.p95Us} µs`);
console.log(
  `\ntargets (literal types, 10,000 rules): ratio ${targets.tenThousandRulesRatio.value} (≤ 3: ${targets.tenThousandRulesRatio.met ? 'met' : 'MISSED'}), ` +
    `${targets.tenThousandRulesMicroseconds.value} µs (≤ 20: ${targets.tenThousandRulesMicroseconds.met ? 'met' : 'MISSED'})`,
);
const os = await import('node:os');
const file = await writeResults('ops', {
  ...(await previousResults('ops')), // keeps `endToEnd` from bench/ops-e2e.ts
  loadAverage: os.loadavg().map(round),
  matching: [literal, mixedWarm, mixedCold],
  render,
  targets,
});
console.log(`results: ${file}`);
