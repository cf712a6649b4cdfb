/**
 * Sandbox API server throughput, measured over real HTTP from a client in another process.
 * Baseline, measured in the same run: a bare node:http server answering a fixed JSON document, i.e. the
 * most this machine's HTTP stack allows. Ratios are sandbox / bare. Targets (issue 2): ≥ 5,000 creates/s
 * and ≥ 20,000 gets/s. Results: bench/results/sandbox.json.
 */
import http from 'node:http';
import { Pool } from 'undici';
import { startChildServer } from './support/child-server.js';
import { median, percentile, writeResults } from './support/stats.js';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? '5');
const requestsPerRound = Number(process.env['BENCH_REQUESTS'] ?? '20000');
const concurrency = 64;

async function drive(pool: Pool, count: number, request: (i: number) => Parameters<Pool['request']>[0]): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next;
      next += 1;
      const response = await pool.request(request(i));
      await response.body.text();
      if (response.statusCode >= 300) throw new Error(`request ${i} answered ${response.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

const json = { 'content-type': 'application/json' };

async function throughput(mode: 'sandbox' | 'bare'): Promise<{ createsPerSecond: number; getsPerSecond: number }> {
  const server = await startChildServer(mode);
  const pool = new Pool(server.url, { connections: 16, keepAliveTimeout: 60_000 });
  try {
    const creates: number[] = [];
    const gets: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const ns = 'default';
      creates.push(
        await drive(pool, requestsPerRound, (i) => ({
          path: `/api/v1/namespaces/${ns}/configmaps`,
          method: 'POST',
          headers: json,
          body: JSON.stringify({ metadata: { name: `cm-${round}-${i}`, labels: { bench: 'yes' } }, data: { key: `value-${i}` } }),
        })),
      );
      gets.push(await drive(pool, requestsPerRound, (i) => ({ path: `/api/v1/namespaces/${ns}/configmaps/cm-${round}-${i % requestsPerRound}`, method: 'GET' })));
    }
    return { createsPerSecond: median(creates), getsPerSecond: median(gets) };
  } finally {
    await pool.close();
    await server.stop();
  }
}

async function listAndWatch(): Promise<Record<string, number>> {
  const server = await startChildServer('sandbox');
  const pool = new Pool(server.url, { connections: 16 });
  try {
    await pool.request({ path: '/api/v1/namespaces', method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: 'bench-list' } }) }).then((r) => r.body.text());
    await pool.request({ path: '/api/v1/namespaces', method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: 'bench-watch' } }) }).then((r) => r.body.text());
    await drive(pool, 10_000, (i) => ({
      path: '/api/v1/namespaces/bench-list/configmaps',
      method: 'POST',
      headers: json,
      body: JSON.stringify({ metadata: { name: `item-${i}` }, data: { payload: 'x'.repeat(200) } }),
    }));
    const listTimes: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const started = performance.now();
      const response = await pool.request({ path: '/api/v1/namespaces/bench-list/configmaps', method: 'GET' });
      const body = (await response.body.json()) as { items: unknown[] };
      if (body.items.length !== 10_000) throw new Error(`list returned ${body.items.length} items`);
      listTimes.push(performance.now() - started);
    }

    const watchers = 1000;
    const events = 50;
    const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let received = 0;
    const requests: http.ClientRequest[] = [];
    const opened: Promise<void>[] = [];
    let allDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    for (let w = 0; w < watchers; w += 1) {
      opened.push(
        new Promise<void>((resolve, reject) => {
          const req = http.get(`${server.url}/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion=0`, { agent }, (res) => {
            let pending = '';
            res.on('data', (chunk: Buffer) => {
              pending += chunk.toString('utf8');
              let newline = pending.indexOf('\n');
              while (newline >= 0) {
                const line = pending.slice(0, newline);
                pending = pending.slice(newline + 1);
                const name = /"name":"(ev-\d+)"/.exec(line)?.[1];
                const at = name === undefined ? undefined : sentAt.get(name);
                if (at !== undefined) {
                  latencies.push(performance.now() - at);
                  received += 1;
                  if (received === watchers * events) allDone();
                }
                newline = pending.indexOf('\n');
              }
            });
            resolve();
          });
          req.on('error', reject);
          requests.push(req);
        }),
      );
    }
    await Promise.all(opened);
    const started = performance.now();
    for (let e = 0; e < events; e += 1) {
      sentAt.set(`ev-${e}`, performance.now());
      const response = await pool.request({ path: '/api/v1/namespaces/bench-watch/configmaps', method: 'POST', headers: json, body: JSON.stringify({ metadata: { name: `ev-${e}` } }) });
      await response.body.text();
    }
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 60_000))]);
    const elapsed = (performance.now() - started) / 1000;
    for (const req of requests) req.destroy();
    agent.destroy();
    return {
      list10kMillisecondsMedian: median(listTimes),
      watchers,
      watchEventsPerWatcher: events,
      watchDeliveriesReceived: received,
      watchDeliveriesPerSecond: received / elapsed,
      watchLatencyMillisecondsP50: percentile(latencies, 50),
      watchLatencyMillisecondsP99: percentile(latencies, 99),
    };
  } finally {
    await pool.close();
    await server.stop();
  }
}

const bare = await throughput('bare');
const sandbox = await throughput('sandbox');
const listWatch = await listAndWatch();
const results = {
  method: `${rounds} rounds of ${requestsPerRound} requests, ${concurrency} in flight over 16 keep-alive connections; medians`,
  baseline: { name: 'bare node:http server, fixed JSON reply', ...bare },
  sandbox,
  ratios: { createsVsBare: sandbox.createsPerSecond / bare.createsPerSecond, getsVsBare: sandbox.getsPerSecond / bare.getsPerSecond },
  targets: { createsPerSecond: 5000, getsPerSecond: 20000, createsMet: sandbox.createsPerSecond >= 5000, getsMet: sandbox.getsPerSecond >= 20000 },
  listAndWatch: listWatch,
};
const file = await writeResults('sandbox', results);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(`sandbox creates/s ${fmt(sandbox.createsPerSecond)} (bare ${fmt(bare.createsPerSecond)}, ratio ${results.ratios.createsVsBare.toFixed(2)}; target 5,000)`);
console.log(`sandbox gets/s    ${fmt(sandbox.getsPerSecond)} (bare ${fmt(bare.getsPerSecond)}, ratio ${results.ratios.getsVsBare.toFixed(2)}; target 20,000)`);
console.log(`list of 10,000 objects: ${listWatch.list10kMillisecondsMedian?.toFixed(1)} ms (median)`);
console.log(
  `watch: ${listWatch.watchDeliveriesReceived}/${watchers()} deliveries to 1,000 watchers, ${fmt(listWatch.watchDeliveriesPerSecond ?? 0)}/s, p50 ${listWatch.watchLatencyMillisecondsP50?.toFixed(1)} ms, p99 ${listWatch.watchLatencyMillisecondsP99?.toFixed(1)} ms`,
);
console.log(`results written to ${file}`);
function watchers(): number {
  return (listWatch.watchers ?? 0) * (listWatch.watchEventsPerWatcher ?? 0);
}
