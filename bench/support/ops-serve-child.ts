/**
 * `aegis serve` for the end-to-end ops benchmark, in its own process and against an API server in another one
 * (as in production): KUBECONFIG comes from the parent (the sandbox child's kubeconfig), Redis is serve's own
 * local redis-server. Extra AEGIS_* and SLACK_* settings (e.g. AEGIS_RECONCILE_CONCURRENCY, the fake Slack's SLACK_API_URL) pass through from the parent's
 * environment. Prints `URL <aegis url>` once ready; closes on SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { findFreePort } from '../../src/platform/index.js';

const kubeconfig = process.env['KUBECONFIG'];
if (kubeconfig === undefined || kubeconfig === '') throw new Error('KUBECONFIG is not set');
const passed = Object.fromEntries(
  Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      (entry[0].startsWith('AEGIS_') || entry[0].startsWith('SLACK_')) && entry[1] !== undefined,
  ),
);
const stateDir = await mkdtemp(join(tmpdir(), 'aegis-bench-ops-'));
const running = await startServe(
  loadConfig({
    ...passed,
    KUBECONFIG: kubeconfig,
    // Replicas of the two-process phase share the parent's Redis; alone, serve starts its own.
    ...(process.env['REDIS_URL'] === undefined ? {} : { REDIS_URL: process.env['REDIS_URL'] }),
    AEGIS_SANDBOX: 'false',
    // Loopback load generator; the benchmark measures the ops path, not webhook authentication.
    AEGIS_WEBHOOK_AUTH: 'none',
    AEGIS_HTTP_HOST: '127.0.0.1',
    AEGIS_HTTP_PORT: String(await findFreePort()),
    AEGIS_STATE_DIR: stateDir,
  }),
  { logger: silentLogger, print: () => undefined },
);
process.stdout.write(`URL ${running.httpUrl}\n`);

let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  running
    .close()
    .then(async () => await rm(stateDir, { recursive: true, force: true }))
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});
