/**
 * The measuring side of bench/informer-memory.ts, in its own process so nothing else lives in its heap: loads the
 * runtime, takes a baseline (after GC), then syncs the shared AegisAlert informer of `monitoring` against the
 * sandbox whose kubeconfig is argv[2], and measures again. Prints `MEMORY <json>`. Run with --expose-gc.
 */
import { createInformerManager } from '../../src/controller/runtime/index.js';
import { createKubeClients } from '../../src/kube/index.js';

const kubeconfig = process.argv[2];
if (kubeconfig === undefined) throw new Error('usage: informer-memory-child.ts <kubeconfig-file>');
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run with --expose-gc');

function measure(): { rssMb: number; heapUsedMb: number } {
  for (let round = 0; round < 3; round += 1) collect?.();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / 2 ** 20, heapUsedMb: usage.heapUsed / 2 ** 20 };
}

const clients = createKubeClients({ paths: [kubeconfig] });
const informers = createInformerManager(clients);
const alerts = informers.informer({
  group: 'aegis.io',
  version: 'v1alpha1',
  plural: 'aegisalerts',
  namespace: 'monitoring',
});
const before = measure();
const started = performance.now();
await alerts.start();
await alerts.waitForSync(600_000);
const syncMs = performance.now() - started;
const after = measure();
const cached = alerts.list().length;
process.stdout.write(`MEMORY ${JSON.stringify({ cached, before, after, syncMs })}\n`);
await alerts.stop();
process.exit(0);
