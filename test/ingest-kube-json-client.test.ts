/**
 * The AegisAlert store's undici path (src/kube/kube-json-client.ts) against the sandbox: behind an HTTPS front
 * that, like a real API server, checks the caller's bearer token or client certificate, for a token, a
 * client-certificate and an exec-plugin kubeconfig; and the store's error mapping (conflict, not found).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildAegisAlertObject, fingerprintLabelValue, type Alert } from '../src/core/alerts/index.js';
import { isAegisError } from '../src/core/errors.js';
import { isConflict, type AlertStore } from '../src/controller/ingest/index.js';
import { createAegisAlertStore, createKubeClients } from '../src/kube/index.js';
import {
  alertNamespace,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';

let env: IngestEnvironment;
let dir: string;
let front: https.Server;
let frontUrl: string;
const pem: Record<string, string> = {};
const goodToken = 'front-token';
let seen: { authorization: string | undefined; clientCert: boolean }[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  env = await startIngestEnvironment();
  dir = await mkdtemp(join(tmpdir(), 'aegis-kube-json-'));
  // A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
  openssl(
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-ca',
    '-keyout', 'ca.key', '-out', 'ca.crt',
  ); // prettier-ignore
  await writeFile(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  openssl(
    'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt',
  ); // prettier-ignore
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=aegis',
    '-keyout',
    'client.key',
    '-out',
    'client.csr',
  );
  openssl(
    'x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-out', 'client.crt',
  ); // prettier-ignore
  for (const name of ['ca.crt', 'server.crt', 'server.key', 'client.crt', 'client.key'])
    pem[name] = await readFile(join(dir, name), 'utf8');

  // The front: 401 unless the bearer token or a client certificate signed by the CA; then pass to the sandbox.
  front = https.createServer(
    { key: pem['server.key'], cert: pem['server.crt'], ca: pem['ca.crt'], requestCert: true, rejectUnauthorized: false },
    (incoming, outgoing) => {
      // A resumed TLS session reports `authorized` without a peer certificate: require the certificate too.
      const socket = incoming.socket as TLSSocket;
      const clientCert = socket.authorized && socket.getPeerCertificate().subject?.CN === 'aegis';
      const authorization = incoming.headers.authorization;
      seen.push({ authorization, clientCert });
      if (!clientCert && authorization !== `Bearer ${goodToken}`) {
        outgoing.writeHead(401, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ kind: 'Status', code: 401, message: 'Unauthorized' }));
        return;
      }
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'accept'])
          if (typeof incoming.headers[name] === 'string') headers[name] = incoming.headers[name];
        const method = (incoming.method ?? 'GET') as 'GET';
        const body = chunks.length === 0 ? undefined : Buffer.concat(chunks);
        request(env.sandbox.url + (incoming.url ?? '/'), { method, headers, ...(body ? { body } : {}) })
          .then(async (answer) => {
            const text = await answer.body.text();
            outgoing.writeHead(answer.statusCode, { 'content-type': 'application/json' });
            outgoing.end(text);
          })
          .catch((error: unknown) => {
            outgoing.writeHead(502);
            outgoing.end(String(error));
          });
      });
    },
  ); // prettier-ignore
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const address = front.address();
  frontUrl = `https://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => front.close(() => resolve()));
  await env.stop();
  await rm(dir, { recursive: true, force: true });
});

function kubeconfig(user: Record<string, unknown>): string {
  const base64 = (text: string | undefined) => Buffer.from(text ?? '').toString('base64');
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'front', cluster: { server: frontUrl, 'certificate-authority-data': base64(pem['ca.crt']) } },
    ],
    users: [{ name: 'aegis', user }],
    contexts: [{ name: 'front', context: { cluster: 'front', user: 'aegis' } }],
    'current-context': 'front',
  });
}

function firing(fingerprint: string): Alert {
  return {
    source: 'Default',
    type: 'NodeNotReady',
    status: 'Firing',
    involvedObject: { kind: 'Node', name: 'node-0' },
    details: { node: 'node-0' },
    fingerprint,
  };
}

/** Create, list by fingerprint, status-patch and label-patch one alert through `store`. */
async function roundTrip(store: AlertStore, fingerprint: string): Promise<void> {
  const { object } = buildAegisAlertObject(firing(fingerprint), {
    namespace: alertNamespace,
    systemParameters: {},
    ttl: {},
    now: new Date().toISOString(),
  });
  const created = await store.create(object);
  const name = created.metadata.name ?? '';
  expect(name).toMatch(/./);
  const listed = await store.listByFingerprint(alertNamespace, fingerprintLabelValue(fingerprint));
  expect(listed.map((item) => item.metadata.name)).toEqual([name]);
  const patched = await store.patchStatus(alertNamespace, name, { status: 'Firing', count: 3 });
  expect(patched.status?.count).toBe(3);
  const labelled = await store.patchLabels(alertNamespace, name, { extra: 'yes' });
  expect(labelled.metadata.labels?.['extra']).toBe('yes');
  expect((await env.store.get(alertNamespace, name))?.status?.count).toBe(3);
}

describe('AegisAlert store over the undici client', () => {
  it('authenticates with a bearer token over TLS (CA from the kubeconfig)', async () => {
    seen = [];
    const store = createAegisAlertStore(createKubeClients({ yaml: kubeconfig({ token: goodToken }) }));
    await roundTrip(store, 'json-token');
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.every((request) => request.authorization === `Bearer ${goodToken}`)).toBe(true);
  });

  it('authenticates with a client certificate', async () => {
    seen = [];
    const user = {
      'client-certificate-data': Buffer.from(pem['client.crt'] ?? '').toString('base64'),
      'client-key-data': Buffer.from(pem['client.key'] ?? '').toString('base64'),
    };
    const store = createAegisAlertStore(createKubeClients({ yaml: kubeconfig(user) }));
    await roundTrip(store, 'json-cert');
    expect(seen.every((request) => request.clientCert && request.authorization === undefined)).toBe(true);
  });

  it('authenticates with an exec credential plugin', async () => {
    seen = [];
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: goodToken },
    });
    const plugin = join(dir, 'credential.mjs');
    await writeFile(plugin, `process.stdout.write(${JSON.stringify(credential)});\n`);
    const user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [plugin],
        interactiveMode: 'Never',
      },
    };
    const store = createAegisAlertStore(createKubeClients({ yaml: kubeconfig(user) }));
    await roundTrip(store, 'json-exec');
    expect(seen.every((request) => request.authorization === `Bearer ${goodToken}`)).toBe(true);
  });

  it('refuses a wrong token with a Kubernetes API error, trying fresh credentials once', async () => {
    seen = [];
    const store = createAegisAlertStore(createKubeClients({ yaml: kubeconfig({ token: 'wrong' }) }));
    const error: unknown = await store
      .listByFingerprint(alertNamespace, 'x')
      .catch((caught: unknown) => caught);
    expect(isAegisError(error) && error.code).toBe('KUBE_API_ERROR');
    expect(String(error)).toContain('HTTP 401');
    expect(seen).toHaveLength(2);
  });

  it('maps a stale resourceVersion to ALERT_CONFLICT and a missing object to undefined / false', async () => {
    const store = env.store;
    const { object } = buildAegisAlertObject(firing('json-conflict'), {
      namespace: alertNamespace,
      systemParameters: {},
      ttl: {},
      now: new Date().toISOString(),
    });
    const created = await store.create(object);
    const name = created.metadata.name ?? '';
    const stale = created.metadata.resourceVersion ?? '';
    await store.patchStatus(alertNamespace, name, { count: 1 }, { resourceVersion: stale });
    const conflict: unknown = await store
      .patchStatus(alertNamespace, name, { count: 2 }, { resourceVersion: stale })
      .catch((caught: unknown) => caught);
    expect(isConflict(conflict)).toBe(true);
    expect(await store.get(alertNamespace, 'no-such-alert')).toBeUndefined();
    expect(await store.delete(alertNamespace, name, { uid: created.metadata.uid ?? '' })).toBe(true);
    expect(await store.delete(alertNamespace, name)).toBe(false);
  });
});
