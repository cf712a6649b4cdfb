/**
 * Runs one HTTP server in its own process for a benchmark, so the client and the server each get a core:
 * `sandbox` starts the sandbox API server, `bare` a minimal node:http server answering a fixed small
 * JSON document (the ceiling this machine's HTTP stack allows: the baseline).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../../src/sandbox/index.js';

const mode = process.argv[2] ?? 'sandbox';
if (mode === 'bare') {
  const body = JSON.stringify({
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { name: 'x', namespace: 'default', resourceVersion: '1' },
    data: { a: 'b' },
  });
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(request.method === 'POST' ? 201 : 200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`URL http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
} else {
  const sandbox = await startSandbox({ nodes: 0, simulate: false });
  process.stdout.write(`URL ${sandbox.url}\n`);
}
process.on('SIGTERM', () => process.exit(0));
