/**
 * A small JSON client for the Kubernetes API on undici, for hot paths (the ingest worker's AegisAlert reads and
 * writes). client-node 1.4 sends every call through its ObjectSerializer, node-fetch and the Node http client
 * and reads the kubeconfig's certificate files again per call; at a few hundred calls a second that was a third
 * of the ingest process's CPU. This client keeps one keep-alive undici Pool per API server and TLS identity.
 *
 * Authentication comes from client-node itself (`applyToHTTPSOptions`), so every kind of kubeconfig user works
 * as it does there: bearer token, token file, client certificate, exec plugin, auth provider, basic auth,
 * impersonation. The result is reused for `authCacheMs` (default 1 s), so a rotated token or certificate file is
 * picked up within that; a 401 drops it at once and the call is tried once more with fresh credentials.
 *
 * Failures are client-node `ApiException`s (status code and the parsed Status body), so `kubeStatusCode` and
 * `describeKubeError` treat them as they treat client-node's own.
 */
import { createHash } from 'node:crypto';
import type https from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { Pool } from 'undici';

export interface KubeJsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server URL, starting with `/` (e.g. `/apis/aegis.io/v1alpha1/namespaces/a/aegisalerts`). */
  path: string;
  query?: Readonly<Record<string, string | number | undefined>>;
  /** Serialised as JSON. */
  body?: unknown;
  /** Default `application/json` when there is a body. */
  contentType?: string;
}

export interface KubeJsonClient {
  /** The parsed JSON answer of a 2xx; throws `ApiException` for any other status. */
  request(request: KubeJsonRequest): Promise<unknown>;
  /** Close the pooled connections. */
  close(): Promise<void>;
}

export interface KubeJsonClientOptions {
  /** How long resolved credentials and TLS material are reused (default 1000 ms). */
  authCacheMs?: number;
  /** Connections per API server (default 32). */
  connections?: number;
  /** Longest wait for an answer's headers and between body chunks (default 60 s). */
  timeoutMs?: number;
}

interface Credentials {
  headers: Record<string, string>;
  pool: Pool;
  expiresAt: number;
}

/** TLS settings client-node resolves for the current user and cluster. */
type TlsOptions = Pick<
  https.RequestOptions,
  'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'
>;

/**
 * A client for the current context of `kubeConfig`, or undefined when its cluster goes through a proxy (then
 * callers keep using client-node, which supports proxies).
 */
export function createKubeJsonClient(
  kubeConfig: KubeConfig,
  options: KubeJsonClientOptions = {},
): KubeJsonClient | undefined {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null || (cluster.proxyUrl !== undefined && cluster.proxyUrl !== '')) return undefined;
  const server = new URL(cluster.server);
  if (server.protocol !== 'https:' && server.protocol !== 'http:') return undefined;
  const origin = server.origin;
  const basePath = server.pathname.replace(/\/+$/, '');
  const authCacheMs = options.authCacheMs ?? 1_000;
  const connections = options.connections ?? 32;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pools = new Map<string, Pool>();
  let cached: Credentials | undefined;
  let resolving: Promise<Credentials> | undefined;

  const poolFor = (tls: TlsOptions): Pool => {
    const key = tlsKey(tls);
    let pool = pools.get(key);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections,
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(server.protocol === 'https:' ? { connect: definedOnly(tls) } : {}),
      });
      // A rotated client certificate gets a new pool; the old one closes once calls that resolved their
      // credentials before the rotation are done with it (close() lets queued requests finish).
      for (const [oldKey, old] of pools) {
        pools.delete(oldKey);
        setTimeout(() => void old.close().catch(() => undefined), 2 * authCacheMs + 1_000).unref();
      }
      pools.set(key, pool);
    }
    return pool;
  };

  const resolve = async (): Promise<Credentials> => {
    const options: https.RequestOptions = { headers: {} };
    // Throws like client-node does for e.g. http:// without insecure-skip-tls-verify.
    await kubeConfig.applyToHTTPSOptions(options);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    if (typeof options.auth === 'string' && options.auth !== '')
      headers['Authorization'] = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    const tls: TlsOptions = {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      pfx: options.pfx,
      passphrase: options.passphrase,
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    };
    return { headers, pool: poolFor(tls), expiresAt: Date.now() + authCacheMs };
  };

  const credentials = async (): Promise<Credentials> => {
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached;
    resolving ??= resolve().finally(() => {
      resolving = undefined;
    });
    cached = await resolving;
    return cached;
  };

  const send = async (request: KubeJsonRequest, { headers, pool }: Credentials) => {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const response = await pool.request({
      method: request.method,
      path: basePath + request.path + queryString(request.query),
      headers: {
        ...headers,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  };

  return {
    async request(request) {
      let answer = await send(request, await credentials());
      if (answer.status === 401) {
        cached = undefined; // an expired or rotated token: resolve again, once
        answer = await send(request, await credentials());
      }
      const parsed = answer.text === '' ? undefined : parseJson(answer.text);
      if (answer.status >= 200 && answer.status < 300) return parsed;
      const message =
        typeof parsed === 'object' && parsed !== null && 'message' in parsed
          ? String(parsed.message)
          : answer.text.slice(0, 200);
      throw new ApiException(answer.status, message, parsed ?? answer.text, flatHeaders(answer.headers));
    },
    async close() {
      const open = [...pools.values()];
      pools.clear();
      cached = undefined;
      await Promise.all(open.map(async (pool) => await pool.close()));
    },
  };
}

function queryString(query: KubeJsonRequest['query']): string {
  if (query === undefined) return '';
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) parameters.append(name, String(value));
  const text = parameters.toString();
  return text === '' ? '' : `?${text}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

function definedOnly(tls: TlsOptions): TlsOptions {
  return Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined));
}

function tlsKey(tls: TlsOptions): string {
  const hash = createHash('sha256');
  for (const value of [tls.ca, tls.cert, tls.key, tls.pfx, tls.passphrase]) {
    hash.update('\0');
    if (value !== undefined) hash.update(JSON.stringify(value));
  }
  hash.update(`\0${String(tls.rejectUnauthorized)}\0${tls.servername ?? ''}`);
  return hash.digest('hex');
}
