/**
 * `aegis serve` (sandbox + its own Redis + the whole ops loop) in its own process for the end-to-end ops
 * benchmark, so the load generator does not share its event loop. Prints `URL <aegis url> KUBE <sandbox url>`
 * once ready; closes on SIGTERM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { findFreePort } from '../../src/platform/index.js';

const stateDir = await mkdtemp(join(tmpdir(), 'aegis-bench-ops-'));
const sandboxPort = await findFreePort();
const running = await startServe(
  loadConfig({
    AEGIS_SANDBOX: 'true',
    AEGIS_SANDBOX_PORT: String(sandboxPort),
    AEGIS_HTTP_HOST: '127.0.0.1',
    AEGIS_HTTP_PORT: String(await findFreePort()),
    AEGIS_STATE_DIR: stateDir,
  }),
  { logger: silentLogger, print: () => undefined },
);
process.stdout.write(`URL ${running.httpUrl} KUBE http://127.0.0.1:${sandboxPort}\n`);

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
