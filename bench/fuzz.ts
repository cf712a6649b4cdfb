/**
 * Fuzzing (issue 16, item 3): 10,000 random and malformed requests per webhook route, with the generators of
 * test/webhook-fuzz.test.ts (test/support/webhook-fuzz-inputs.ts), against the webhook routes on two servers
 * (one open, so the bodies reach the parsers; one with a bearer token and an HMAC secret). Counts every answer
 * by class, the answers that are not JSON or refuse without an `error` message, the process's unhandled
 * rejections and uncaught exceptions ("crashes"), and the slowest answer. Then 10,000 random AegisOpsTemplate
 * manifests through the template renderer (test/support/template-fuzz-inputs.ts): internal errors (the
 * catch-all "could not be rendered") and refusals without a line, and the slowest render.
 *
 * Then random and malformed Aegis custom resources through the real `kubectl apply` against the sandbox with
 * the CRDs installed (test/support/crd-fuzz-inputs.ts): valid ones must apply, invalid ones be refused with an
 * error naming the field, and no answer (kubectl -v=6 logs every status) may be a 5xx.
 *
 * Sizes: BENCH_FUZZ_CASES (10000 per route and for templates), BENCH_FUZZ_CRD_CASES (300 kubectl runs),
 * BENCH_FUZZ_SEED (fixed, 16), 8 requests in flight.
 * Results: bench/results/fuzz.json. The targets are 0 crashes, 0 5xx, 0 refusals without a message.
 */
import fc from 'fast-check';
import { silentLogger } from '../src/core/logger.js';
import { renderOpsTemplate, validateOpsTemplate } from '../src/core/templates/index.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { registerWebhookRoutes } from '../src/webhooks/index.js';
import { installCrds, readCrdManifests } from '../src/kube/index.js';
import { hasKubectl, kubectl, startFixture } from '../test/conformance/sandbox-fixture.js';
import { crdFuzzCase } from '../test/support/crd-fuzz-inputs.js';
import { kubectlStatuses } from '../test/support/kubectl-statuses.js';
import { templateFuzzCases, unexplainedTemplateRefusal } from '../test/support/template-fuzz-inputs.js';
import {
  authHeaders,
  contentTypes,
  rawPost,
  recordingIntake,
  webhookBodies,
  webhookPaths,
} from '../test/support/webhook-fuzz-inputs.js';
import { percentile, writeResults } from './support/stats.js';

const cases = Number(process.env['BENCH_FUZZ_CASES'] ?? '10000');
const seed = Number(process.env['BENCH_FUZZ_SEED'] ?? '16');
const crdCases = Number(process.env['BENCH_FUZZ_CRD_CASES'] ?? '300');
const inFlight = 8;

const crashes: string[] = [];
process.on('unhandledRejection', (reason) => crashes.push(`unhandledRejection: ${String(reason)}`));
process.on('uncaughtException', (error) =>
  crashes.push(`uncaughtException: ${error.stack ?? error.message}`),
);

const servers: HttpServer[] = [];
const urls: string[] = [];
for (const auth of [{}, { bearerTokens: ['token'], hmacSecrets: ['secret'] }]) {
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const server = createHttpServer({ logger: silentLogger, metrics });
  registerWebhookRoutes(server.app, { intake: recordingIntake(), metrics, bodyLimitBytes: 4_096, auth });
  servers.push(server);
  urls.push(await server.listen({ host: '127.0.0.1', port: 0 }));
}

interface RouteCounts {
  cases: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  other: number;
  notJson: number;
  refusalsWithoutMessage: number;
  transportErrors: number;
  statuses: Record<string, number>;
  maxLatencyMs: number;
  p99LatencyMs: number;
  examples: string[];
}

const routes: Record<string, RouteCounts> = {};
const started = Date.now();
for (const [index, path] of webhookPaths.entries()) {
  const inputs = fc.sample(
    fc.tuple(fc.constantFrom(...urls), webhookBodies, contentTypes, authHeaders, fc.boolean()),
    { numRuns: cases, seed: seed + index },
  );
  const counts: RouteCounts = {
    cases: inputs.length,
    status2xx: 0,
    status4xx: 0,
    status5xx: 0,
    other: 0,
    notJson: 0,
    refusalsWithoutMessage: 0,
    transportErrors: 0,
    statuses: {},
    maxLatencyMs: 0,
    p99LatencyMs: 0,
    examples: [],
  };
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const input = inputs[next];
      next += 1;
      if (!input) continue;
      const [url, body, contentType, auth, chunked] = input;
      const headers: Record<string, string> = { ...auth };
      if (contentType !== undefined) headers['content-type'] = contentType;
      const sent = performance.now();
      try {
        const answer = await rawPost(url, path, body, headers, chunked);
        const latency = performance.now() - sent;
        latencies.push(latency);
        counts.statuses[answer.status] = (counts.statuses[answer.status] ?? 0) + 1;
        if (answer.status >= 200 && answer.status < 300) counts.status2xx += 1;
        else if (answer.status >= 400 && answer.status < 500) counts.status4xx += 1;
        else if (answer.status >= 500) counts.status5xx += 1;
        else counts.other += 1;
        let parsed: unknown;
        try {
          parsed = JSON.parse(answer.body);
        } catch {
          counts.notJson += 1;
        }
        const refused = answer.status >= 400;
        const message = (parsed as Record<string, unknown> | undefined)?.['error'];
        if (refused && (typeof message !== 'string' || message.length === 0))
          counts.refusalsWithoutMessage += 1;
        if ((answer.status >= 500 || (refused && typeof message !== 'string')) && counts.examples.length < 5)
          counts.examples.push(
            `${answer.status} ${answer.body.slice(0, 200)} ← ${body.subarray(0, 200).toString()}`,
          );
      } catch (error) {
        counts.transportErrors += 1;
        if (counts.examples.length < 5) counts.examples.push(`transport: ${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  counts.maxLatencyMs = Math.round(Math.max(...latencies) * 10) / 10;
  counts.p99LatencyMs = Math.round(percentile(latencies, 99) * 10) / 10;
  routes[path] = counts;
  console.log(
    `${path}: ${counts.cases} cases, 2xx ${counts.status2xx}, 4xx ${counts.status4xx}, 5xx ${counts.status5xx}, ` +
      `not JSON ${counts.notJson}, refusals without message ${counts.refusalsWithoutMessage}, ` +
      `max ${counts.maxLatencyMs} ms, p99 ${counts.p99LatencyMs} ms, statuses ${JSON.stringify(counts.statuses)}`,
  );
}
const webhookSeconds = (Date.now() - started) / 1000;
const stillUp = await Promise.all(urls.map(async (url) => (await fetch(`${url}/healthz`)).status === 200));
for (const server of servers) await server.close();

// Templates: the renderer is pure, so each case is one call; a hang would show as the slowest render.
const templateInputs = fc.sample(templateFuzzCases, { numRuns: cases, seed });
const templates = {
  cases: templateInputs.length,
  rendered: 0,
  refused: 0,
  threw: 0,
  unexplained: 0,
  maxMs: 0,
  examples: [] as string[],
};
for (const { manifest, variables } of templateInputs) {
  const sent = performance.now();
  try {
    const result = renderOpsTemplate(manifest, variables);
    validateOpsTemplate(manifest);
    if (result.ok) templates.rendered += 1;
    else {
      templates.refused += 1;
      const problem = unexplainedTemplateRefusal(result);
      if (problem !== undefined) {
        templates.unexplained += 1;
        if (templates.examples.length < 5) templates.examples.push(`${problem} ← ${manifest.slice(0, 300)}`);
      }
    }
  } catch (error) {
    templates.threw += 1;
    if (templates.examples.length < 5) templates.examples.push(`threw: ${String(error)}`);
  }
  templates.maxMs = Math.max(templates.maxMs, performance.now() - sent);
}
templates.maxMs = Math.round(templates.maxMs * 10) / 10;
console.log(
  `templates: ${templates.cases} cases, rendered ${templates.rendered}, refused ${templates.refused}, threw ${templates.threw}, ` +
    `refusals without a line or with an internal error ${templates.unexplained}, slowest ${templates.maxMs} ms`,
);

// Custom resources through kubectl: one process per case (~0.1-0.3 s each), so far fewer cases.
const crd = {
  cases: 0,
  applied: 0,
  refusedNamingField: 0,
  wrongOutcome: 0,
  status5xx: 0,
  maxMs: 0,
  skipped: false,
  examples: [] as string[],
};
if (await hasKubectl()) {
  const fixture = await startFixture({ nodes: 1, simulate: false });
  await installCrds(fixture.clients, await readCrdManifests());
  const crdInputs =
    fc.sample(fc.tuple(...Array.from({ length: crdCases }, (_, index) => crdFuzzCase(index))), {
      numRuns: 1,
      seed,
    })[0] ?? [];
  for (const input of crdInputs) {
    const sent = performance.now();
    const result = await kubectl(fixture, ['apply', '-f', '-', '-v=6'], JSON.stringify(input.object));
    crd.maxMs = Math.max(crd.maxMs, performance.now() - sent);
    crd.cases += 1;
    const serverErrors = kubectlStatuses(result.stderr).filter((status) => status >= 500).length;
    crd.status5xx += serverErrors;
    const expected = input.expect;
    const right = expected.valid
      ? result.code === 0
      : result.code !== 0 && expected.mentions.some((mention) => result.stderr.includes(mention));
    if (right && expected.valid) crd.applied += 1;
    else if (right) crd.refusedNamingField += 1;
    else crd.wrongOutcome += 1;
    if ((!right || serverErrors > 0) && crd.examples.length < 5)
      crd.examples.push(
        `${input.kind} ${expected.valid ? 'valid' : `${expected.mutation} at ${expected.path}`}: exit ${result.code} ${result.stderr
          .split('\n')
          .filter((line) => !line.includes('round_trippers'))
          .join(' ')
          .slice(0, 400)}`,
      );
  }
  await fixture.close();
} else crd.skipped = true;
crd.maxMs = Math.round(crd.maxMs);
console.log(
  `custom resources: ${crd.cases} kubectl applies, applied ${crd.applied}, refused naming the field ${crd.refusedNamingField}, wrong outcome ${crd.wrongOutcome}, 5xx ${crd.status5xx}${crd.skipped ? ' (skipped: no kubectl)' : ''}`,
);

const totals = Object.values(routes).reduce(
  (sum, route) => ({
    cases: sum.cases + route.cases,
    status5xx: sum.status5xx + route.status5xx,
    refusalsWithoutMessage: sum.refusalsWithoutMessage + route.refusalsWithoutMessage,
    maxLatencyMs: Math.max(sum.maxLatencyMs, route.maxLatencyMs),
  }),
  { cases: 0, status5xx: 0, refusalsWithoutMessage: 0, maxLatencyMs: 0 },
);
const file = await writeResults('fuzz', {
  note: 'in-process webhook servers (recording intake, no Redis), 8 requests in flight; latency includes the load of other processes on this machine',
  seed,
  casesPerRoute: cases,
  webhooks: {
    seconds: Math.round(webhookSeconds),
    totals,
    crashes: crashes.length,
    crashExamples: crashes.slice(0, 5),
    stillUp: stillUp.every(Boolean),
    routes,
  },
  templates,
  customResources: crd,
});
console.log(`crashes ${crashes.length}, 5xx ${totals.status5xx}; results in ${file}`);
const failed =
  crashes.length > 0 ||
  totals.status5xx > 0 ||
  totals.refusalsWithoutMessage > 0 ||
  !stillUp.every(Boolean) ||
  templates.threw > 0 ||
  crd.wrongOutcome > 0 ||
  crd.status5xx > 0 ||
  templates.unexplained > 0;
process.exit(failed ? 1 : 0);
