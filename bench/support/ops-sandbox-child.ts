/**
 * The API server of the end-to-end ops benchmark, in its own process as in production (the API server is never
 * inside Aegis's process): the sandbox with its simulated kubelet and Argo controller and the seeded nodes the
 * cordon example targets, the Aegis CRDs installed (as `aegis sandbox` does) and the `monitoring` namespace
 * created. Writes its kubeconfig to argv[2], prints `URL <sandbox url>` once ready, closes on SIGTERM.
 *
 * It also counts the API requests it serves, by verb and resource (`POST workflows`, `PATCH aegisalerts/status`,
 * watches apart): a line `counts` on stdin answers `COUNTS <json>` on stdout, so the parent can take the
 * difference over one phase (API calls per alert).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { installAegisCrds } from '../../src/cli/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { createKubeClients, ensureNamespace } from '../../src/kube/index.js';
import { startSandbox } from '../../src/sandbox/index.js';

const kubeconfigOut = process.argv[2];
if (kubeconfigOut === undefined) throw new Error('usage: ops-sandbox-child.ts <kubeconfig-out> [nodes]');
/** Seeded nodes (default 3; bench/healthchecks.ts asks for 1,000). */
const nodes = Number(process.argv[3] ?? '3');

const counts = new Map<string, number>();

/** `GET workflows` (list), `GET workflows/{name}`, `PATCH aegisalerts/status`, `WATCH workflows`, ... */
function requestKind(method: string, url: string): string {
  const [path = '', query = ''] = url.split('?');
  const segments = path.split('/').filter((segment) => segment !== '');
  // /api/v1/... or /apis/<group>/<version>/...; then optionally namespaces/<ns>/, then <plural>[/<name>[/<sub>]]
  let rest = segments[0] === 'api' ? segments.slice(2) : segments.slice(3);
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [plural = path, name, subresource] = rest;
  const verb = /(^|&)watch=(true|1)/.test(query) ? 'WATCH' : method;
  if (name === undefined) return `${verb} ${plural}`;
  return `${verb} ${plural}/${subresource ?? '{name}'}`;
}

subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: IncomingMessage };
  const kind = requestKind(request.method ?? '?', request.url ?? '');
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
});

const sandbox = await startSandbox({ nodes, simulate: true, kubeconfigOut });
const clients = createKubeClients({ yaml: sandbox.kubeconfig });
await installAegisCrds(clients, { logger: silentLogger });
await ensureNamespace(clients, 'monitoring');

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'counts')
    process.stdout.write(`COUNTS ${JSON.stringify(Object.fromEntries(counts))}\n`);
});
let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.stdout.write(`URL ${sandbox.url}\n`);
