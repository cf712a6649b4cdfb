/**
 * Memory of the shared informer cache (issue 11): RSS and heap of a process holding 100,000 AegisAlerts in its
 * AegisAlert informer, reported per 1,000 alerts. Not a test. The sandbox API server runs in this process and
 * is filled with alerts shaped exactly as ingest creates them (`buildAegisAlertObject`: labels, annotations,
 * spec with details and selector; no status, which the API would drop on create). The measuring process only
 * loads the runtime and syncs the informer; its own baseline (same run, after GC, before the first list) is
 * subtracted. The JSON size of the alerts is printed beside it as the floor a cache of parsed objects cannot
 * beat by much.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installAegisCrds } from '../src/cli/index.js';
import { buildAegisAlertObject } from '../src/core/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createKubeClients, ensureNamespace } from '../src/kube/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { writeResults } from './support/stats.js';

const count = Number(process.argv.find((argument) => /^\d+$/.test(argument)) ?? 100_000);
const concurrency = 64;
const dir = await mkdtemp(join(tmpdir(), 'aegis-bench-informer-'));
const kubeconfigPath = join(dir, 'kubeconfig');
const sandbox = await startSandbox({ nodes: 1, simulate: false });
await writeFile(kubeconfigPath, sandbox.kubeconfig);
const clients = createKubeClients({ yaml: sandbox.kubeconfig });
await installAegisCrds(clients, { logger: silentLogger });
await ensureNamespace(clients, 'monitoring');

let jsonBytes = 0;
const path = `${sandbox.url}/apis/aegis.io/v1alpha1/namespaces/monitoring/aegisalerts`;
const createStarted = performance.now();
let next = 0;
async function createSome(): Promise<void> {
  while (next < count) {
    const index = next++;
    const node = `gpu-node-${String(index).padStart(6, '0')}`;
    const { object } = buildAegisAlertObject(
      {
        source: 'Alertmanager',
        type: index % 2 === 0 ? 'NodeHasEmergencyEvent' : 'GpuXidError',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: node },
        details: { node, severity: 'critical', reason: 'KernelPanic', instance: `${node}:9100` },
        fingerprint: `fp-${index.toString(16).padStart(16, '0')}`,
      },
      {
        namespace: 'monitoring',
        systemParameters: { cluster: 'bench' },
        ttl: {},
        now: new Date().toISOString(),
      },
    );
    const body = JSON.stringify({ ...object, metadata: { ...object.metadata, name: `alert-${index}` } });
    jsonBytes += Buffer.byteLength(body);
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    if (response.status !== 201)
      throw new Error(`create ${index}: HTTP ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  }
}
await Promise.all(Array.from({ length: concurrency }, () => createSome()));
const createSeconds = (performance.now() - createStarted) / 1000;
console.log(`created ${count} AegisAlerts in ${createSeconds.toFixed(1)} s`);

const child = spawn(
  process.execPath,
  [
    '--expose-gc',
    '--import',
    'tsx',
    fileURLToPath(new URL('./support/informer-memory-child.ts', import.meta.url)),
    kubeconfigPath,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let output = '';
child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
await once(child, 'exit');
await sandbox.close();
await rm(dir, { recursive: true, force: true });
const line = /MEMORY (\{.*\})/.exec(output)?.[1];
if (line === undefined) throw new Error(`the measuring process printed no result: ${output}`);
const measured = JSON.parse(line) as {
  cached: number;
  before: { rssMb: number; heapUsedMb: number };
  after: { rssMb: number; heapUsedMb: number };
  syncMs: number;
};
const perThousand = (mb: number): number => Math.round((mb / (measured.cached / 1000)) * 100) / 100;
const result = {
  alerts: measured.cached,
  rssMbPerThousand: perThousand(measured.after.rssMb - measured.before.rssMb),
  heapMbPerThousand: perThousand(measured.after.heapUsedMb - measured.before.heapUsedMb),
  jsonMbPerThousand: perThousand(jsonBytes / 2 ** 20),
  rssMbBefore: Math.round(measured.before.rssMb),
  rssMbAfter: Math.round(measured.after.rssMb),
  syncSeconds: Math.round(measured.syncMs / 100) / 10,
};
console.log(
  `${result.alerts} AegisAlerts cached: RSS ${result.rssMbBefore} → ${result.rssMbAfter} MB, ` +
    `${result.rssMbPerThousand} MB RSS and ${result.heapMbPerThousand} MB heap per 1,000 alerts ` +
    `(their JSON: ${result.jsonMbPerThousand} MB per 1,000); first list + sync ${result.syncSeconds} s`,
);
const file = await writeResults('informer-memory', {
  loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  setup:
    'sandbox in the parent, filled with ingest-shaped AegisAlerts (no status); a separate process syncs the shared AegisAlert informer; baseline = that process after GC before listing',
  ...result,
});
console.log(`results: ${file}`);
