/**
 * Start-up time of each `aegis` command, run as a user runs it: `node bin/aegis.js ...` (compiled dist/, built
 * first when stale). Wall time from spawn to exit, median of BENCH_ROUNDS runs. Baseline, measured in the same
 * run: `node -e 0` (the cost of starting Node itself on this machine at this moment). Targets (issue 14):
 * `aegis version`, `aegis --version` and `aegis alert send --help` ≤ 0.5 s, every other command ≤ 1 s.
 * Commands that need a cluster get a kubeconfig whose server refuses connections, so they measure start-up
 * and fail fast instead of waiting on a network. Results: bench/results/cli.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, writeResults } from './support/stats.js';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? '7');
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'aegis-cli-bench-'));
const kubeconfig = join(scratch, 'kubeconfig');
writeFileSync(
  kubeconfig,
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: down, cluster: {server: "http://127.0.0.1:1"}}]',
    'users: [{name: me, user: {token: x}}]',
    'contexts: [{name: down, context: {cluster: down, user: me}}]',
    'current-context: down',
  ].join('\n'),
);

const environment: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: kubeconfig, AEGIS_STATE_DIR: scratch };
// Straight to the (unreachable) cluster, and no LLM: start-up and a prompt failure, no network waits.
delete environment['AEGIS_URL'];
delete environment['OPENAI_BASE_URL'];

interface Case {
  readonly args: readonly string[];
  readonly targetSeconds: number;
}
const cases: Case[] = [
  { args: ['--version'], targetSeconds: 0.5 },
  { args: ['version'], targetSeconds: 0.5 },
  { args: ['alert', 'send', '--help'], targetSeconds: 0.5 },
  { args: ['alert', 'send'], targetSeconds: 1 },
  { args: ['rule', 'lint', 'examples/cordon-on-emergency/rule.yaml'], targetSeconds: 1 },
  { args: ['rule', 'get'], targetSeconds: 1 },
  { args: ['approve', 'some-alert', '--as', 'U0BENCH'], targetSeconds: 1 },
  {
    args: [
      'template',
      'render',
      '--template',
      'examples/cordon-on-emergency/template.yaml',
      '--alert',
      'examples/alerts/custom-node-firing.json',
    ],
    targetSeconds: 1,
  },
  { args: ['chat'], targetSeconds: 1 },
  { args: ['serve', '--help'], targetSeconds: 0.5 },
];

function seconds(command: string, args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, env: environment, stdio: 'ignore' });
  if (result.error !== undefined) throw result.error;
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const build = spawnSync(process.execPath, ['scripts/ensure-build.js'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error('building dist/ failed');

const baselineRuns: number[] = [];
const runs = new Map<string, number[]>(cases.map((c) => [c.args.join(' '), []]));
// Interleaved rounds, so load from other processes on the machine spreads over every command alike.
for (let round = 0; round < rounds; round += 1) {
  baselineRuns.push(seconds(process.execPath, ['-e', '0']));
  for (const c of cases)
    runs.get(c.args.join(' '))?.push(seconds(process.execPath, ['bin/aegis.js', ...c.args]));
}
const baseline = median(baselineRuns);
const commands = cases.map((c) => {
  const medianSeconds = median(runs.get(c.args.join(' ')) ?? []);
  return {
    command: `aegis ${c.args.join(' ')}`,
    medianSeconds,
    overBaselineSeconds: medianSeconds - baseline,
    ratioVsBaseline: medianSeconds / baseline,
    targetSeconds: c.targetSeconds,
    met: medianSeconds <= c.targetSeconds,
  };
});
console.log(`baseline node -e 0: ${baseline.toFixed(3)} s (median of ${rounds})`);
for (const c of commands) {
  console.log(
    `${c.command.padEnd(40)} ${c.medianSeconds.toFixed(3)} s  (${c.ratioVsBaseline.toFixed(1)}x baseline, target ≤ ${c.targetSeconds} s: ${c.met ? 'met' : 'NOT met'})`,
  );
}
const file = await writeResults('cli', {
  method: `node bin/aegis.js <command>, wall time spawn → exit, ${rounds} interleaved rounds; medians`,
  baseline: { name: 'node -e 0', medianSeconds: baseline },
  commands,
  allMet: commands.every((c) => c.met),
});
console.log(`results: ${file}`);
