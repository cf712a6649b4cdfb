import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError } from '../api-error.js';
import { coreVersions, groupDocument, groupList, resourceList, versionInfo } from '../discovery.js';
import { openApiDocument, openApiIndex } from '../openapi.js';
import { applyRequestFaults, faultsPathPrefix, serveFaultsRoute } from './faults-route.js';
import { parseRequestPath } from './request-path.js';
import { handleResourceRequest, type HandlerContext } from './resource-handler.js';
import { writeError, writeJson } from './respond.js';

const notFound = (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

/** The HTTP face of the sandbox: discovery, OpenAPI, health and the resource endpoints. */
export function createSandboxServer(context: HandlerContext): Server {
  const server = createServer((request, response) => {
    route(context, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      writeError(response, error);
    });
  });
  server.keepAliveTimeout = 60_000;
  return server;
}

async function route(context: HandlerContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const pathname = url.pathname.replace(/\/+$/, '') || '/';
  const method = request.method ?? 'GET';
  const registry = context.api.registry;
  const faults = context.faults;
  if (faults !== undefined && pathname.startsWith(faultsPathPrefix)) {
    if (await serveFaultsRoute(faults, request, response, pathname)) return;
    throw notFound();
  }
  if (method === 'GET') {
    if (pathname === '/version') return writeJson(response, 200, versionInfo);
    if (pathname === '/healthz' || pathname === '/livez' || pathname === '/readyz') {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('ok');
      return;
    }
    if (pathname === '/openapi/v3') return writeJson(response, 200, openApiIndex(registry));
    if (pathname.startsWith('/openapi/v3/')) {
      const [kind, a, b, c] = pathname.slice('/openapi/v3/'.length).split('/');
      const doc = kind === 'api' ? openApiDocument(registry, '', a ?? '') : kind === 'apis' && c === undefined ? openApiDocument(registry, a ?? '', b ?? '') : undefined;
      if (doc === undefined) throw notFound();
      return writeJson(response, 200, doc);
    }
    if (pathname === '/api') return writeJson(response, 200, coreVersions(request.headers.host ?? '127.0.0.1'));
    if (pathname === '/apis') return writeJson(response, 200, groupList(registry));
  }
  const parsed = parseRequestPath(pathname);
  if (parsed.kind === 'discovery') {
    if (method !== 'GET') throw notFound();
    const doc =
      parsed.version === undefined
        ? parsed.group === ''
          ? undefined
          : groupDocument(registry, parsed.group)
        : resourceList(registry, parsed.group, parsed.version);
    if (doc === undefined) throw notFound();
    return writeJson(response, 200, doc);
  }
  if (parsed.kind === 'resource') {
    if (faults !== undefined) await applyRequestFaults(faults, method, parsed.path, url.searchParams);
    return handleResourceRequest(context, request, response, parsed.path, url.searchParams);
  }
  throw notFound();
}
