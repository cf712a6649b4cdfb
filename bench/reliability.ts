/**
 * The fault drill measured (not a test; the asserted version is test/fault-suite.test.ts): larger streams
 * through two `aegis serve` processes while each phase breaks one part, run once with Redis' `appendfsync
 * always` and once with `everysec` (baseline and Redis crash). Per phase: deliveries acknowledged and retried,
 * acknowledged deliveries per second (ratio against the clean baseline of the same run), how long after the
 * stream everything converged, and what was lost or done twice (all zero is the promise).
 *
 *   npm run bench -- reliability            (AEGIS_BENCH_ALERTS=40, AEGIS_BENCH_REPEATS=12 by default)
 */
import { drillPhases } from '../test/support/fault-drill-phases.js';
import { isClean, sendStream, settle, startDrill, type StreamOutcome } from '../test/support/fault-drill.js';
import { writeResults } from './support/stats.js';

const alerts = Number(process.env['AEGIS_BENCH_ALERTS'] ?? 40);
const firingPerAlert = Number(process.env['AEGIS_BENCH_REPEATS'] ?? 12);
const convergeLimitMs = 180_000;

interface PhaseResult {
  appendfsync: 'always' | 'everysec';
  phase: string;
  title: string;
  deliveries: number;
  acknowledged: number;
  retried: number;
  refusedThenResent: number;
  answers: Record<string, number>;
  acknowledgedPerSecond: number;
  ratioToBaseline: number;
  convergedAfterStreamMs: number;
  clean: boolean;
  lost: { missingAlerts: number; wrongCounts: number; unresolved: number; slackMissing: number };
  doubled: { alerts: number; workflows: number; slackRoots: number };
  untriggeredBecauseResolvedFirst: number;
}

function summarise(outcome: StreamOutcome): Pick<PhaseResult, 'lost' | 'doubled' | 'untriggeredBecauseResolvedFirst'> {
  return {
    lost: {
      missingAlerts: outcome.missing.length,
      wrongCounts: outcome.wrongCounts.length,
      unresolved: outcome.unresolved.length,
      slackMissing: outcome.slackMissing.length,
    },
    doubled: {
      alerts: outcome.duplicated.length,
      workflows: outcome.workflowsTwice.length,
      slackRoots: outcome.slackDuplicates,
    },
    untriggeredBecauseResolvedFirst: outcome.untriggered.length,
  };
}

async function run(appendfsync: 'always' | 'everysec', phases: readonly string[]): Promise<PhaseResult[]> {
  const env = await startDrill({ appendfsync });
  const results: PhaseResult[] = [];
  let baselineRate = Number.NaN;
  try {
    for (const phase of drillPhases.filter((candidate) => phases.includes(candidate.name))) {
      const before = structuredClone(env.sender.figures);
      const deliveries = alerts * (firingPerAlert + 1);
      const started = Date.now();
      try {
        const expectation = await sendStream(
          env.sender,
          {
            alerts,
            firingPerAlert,
            resolve: true,
            prefix: `${appendfsync}-${phase.name}`,
            ...(phase.route === undefined ? {} : { route: phase.route }),
          },
          phase.fault === undefined
            ? {}
            : { afterAcknowledged: Math.floor(deliveries * phase.at), during: () => phase.fault!(env) },
        );
        const streamEnded = Date.now();
        const outcome = await settle(env, expectation, convergeLimitMs);
        const after = env.sender.figures;
        const rate = (after.acknowledged - before.acknowledged) / ((streamEnded - started) / 1000);
        if (phase.name === 'baseline') baselineRate = rate;
        const answers: Record<string, number> = {};
        for (const [status, count] of Object.entries(after.answers))
          if (count - (before.answers[status] ?? 0) > 0) answers[status] = count - (before.answers[status] ?? 0);
        const result: PhaseResult = {
          appendfsync,
          phase: phase.name,
          title: phase.title,
          deliveries,
          acknowledged: after.acknowledged - before.acknowledged,
          retried: after.retried - before.retried,
          refusedThenResent: after.refusedThenResent - before.refusedThenResent,
          answers,
          acknowledgedPerSecond: Math.round(rate * 10) / 10,
          ratioToBaseline: Math.round((rate / baselineRate) * 100) / 100,
          convergedAfterStreamMs: Date.now() - streamEnded,
          clean: isClean(outcome),
          ...summarise(outcome),
        };
        results.push(result);
        console.log(
          `${appendfsync.padEnd(8)} ${phase.name.padEnd(8)} ack ${result.acknowledged}/${deliveries}, ${result.acknowledgedPerSecond}/s (×${result.ratioToBaseline}), retried ${result.retried}, converged ${result.convergedAfterStreamMs} ms after the stream, ${result.clean ? 'nothing lost or doubled' : `NOT CLEAN ${JSON.stringify({ lost: result.lost, doubled: result.doubled })}`}`,
        );
      } finally {
        await phase.cleanUp?.(env);
      }
    }
  } finally {
    await env.close();
  }
  return results;
}

const results = [
  ...(await run('always', drillPhases.map((phase) => phase.name))),
  ...(await run('everysec', ['baseline', 'redis'])),
];
const file = await writeResults('reliability', {
  alerts,
  firingPerAlert,
  note:
    'Two aegis serve processes, the sandbox, redis-server (AOF) and the load on one 2-CPU machine. A SIGKILL of redis-server loses nothing with either appendfsync: the AOF is written before replies are sent, and the page cache survives a process kill; only a machine crash can cost everysec up to about one second of writes, which cannot be shown here.',
  results,
});
console.log(`results: ${file}`);
process.exit(results.every((result) => result.clean) ? 0 : 1);
