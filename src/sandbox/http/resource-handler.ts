import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, apiErrors } from '../api-error.js';
import { parsePatchBody, patchTypeOf } from '../patch-request.js';
import type { ResourceType } from '../resource-type.js';
import type { DeleteOptions, FieldValidation, SandboxApi, WriteOptions } from '../sandbox-api.js';
import type { KubeObject } from '../types.js';
import { decodeObjectBody, mediaType, readBody } from './request-body.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { ResourcePath } from './request-path.js';
import { includeObjectOf, tableContentType, tableOf, wantsTable, writeJson } from './respond.js';
import { serveLog } from './log-handler.js';
import { serveWatch, type WatchHub } from './watch-handler.js';

export interface HandlerContext {
  api: SandboxApi;
  watches: WatchHub;
  now(): Date;
  /** Present only when the sandbox was started with fault injection enabled. */
  faults?: FaultInjector;
}

/** Serve one request on a resource path: verbs on collections, objects and subresources. */
export async function handleResourceRequest(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  path: ResourcePath,
  query: URLSearchParams,
): Promise<void> {
  const { api } = context;
  const type = api.resolve(path.group, path.version, path.plural);
  if (path.namespace !== undefined && !type.namespaced) {
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
  const method = request.method ?? 'GET';
  if (path.name === undefined) return handleCollection(context, request, response, type, path, query, method);
  const sub = path.subresource;
  if (sub !== undefined) {
    if (sub === 'log' && type.extraSubresources.includes('log') && method === 'GET') {
      return serveLog(api, response, type, path.namespace, path.name, query);
    }
    if (sub === 'eviction' && type.extraSubresources.includes('eviction') && method === 'POST') {
      await readBody(request);
      api.delete(type, path.namespace, path.name, {});
      return writeJson(response, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    }
    if (sub !== 'status' || !type.statusSubresource) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
  }
  const writeOptions = writeOptionsOf(query, sub === 'status');
  switch (method) {
    case 'GET':
      return respondObject(context, request, response, type, 200, api.get(type, path.namespace, path.name));
    case 'PUT': {
      const body = decodeObjectBody(await readBody(request), mediaType(request));
      return respondObject(context, request, response, type, 200, api.update(type, path.namespace, path.name, body, writeOptions));
    }
    case 'PATCH': {
      const patchType = patchTypeOf(request.headers['content-type'], type);
      const patch = parsePatchBody((await readBody(request)).toString('utf8'), patchType);
      const force = query.get('force') === 'true';
      const result = api.patch(type, path.namespace, path.name, patchType, patch, { ...writeOptions, force });
      return respondObject(context, request, response, type, result.created ? 201 : 200, result.object);
    }
    case 'DELETE': {
      const options = deleteOptionsOf(decodeObjectBody(await readBody(request), mediaType(request)), query);
      const result = api.delete(type, path.namespace, path.name, options);
      return respondObject(context, request, response, type, 200, result);
    }
    default:
      throw apiErrors.methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
}

async function handleCollection(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  type: ResourceType,
  path: ResourcePath,
  query: URLSearchParams,
  method: string,
): Promise<void> {
  const { api } = context;
  if (method === 'GET') {
    const watch = query.get('watch');
    if (watch === 'true' || watch === '1') return serveWatch(context, request, response, type, path.namespace, query);
    const limit = Number(query.get('limit') ?? '0');
    const result = api.list(type, path.namespace, {
      ...optional('labelSelector', query.get('labelSelector')),
      ...optional('fieldSelector', query.get('fieldSelector')),
      ...(Number.isFinite(limit) && limit > 0 ? { limit } : {}),
      ...optional('continueToken', query.get('continue')),
    });
    if (wantsTable(request)) {
      const table = tableOf(type, result.items, {
        now: context.now(),
        resourceVersion: result.resourceVersion,
        ...(result.continueToken === undefined ? {} : { continueToken: result.continueToken }),
        includeObject: includeObjectOf(request),
      });
      return writeJson(response, 200, table, tableContentType);
    }
    return writeJson(response, 200, {
      kind: type.listKind,
      apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`,
      metadata: {
        resourceVersion: result.resourceVersion,
        ...(result.continueToken === undefined ? {} : { continue: result.continueToken, remainingItemCount: result.remainingItemCount }),
      },
      items: result.items,
    });
  }
  if (method === 'POST') {
    const body = decodeObjectBody(await readBody(request), mediaType(request));
    const created = api.create(type, path.namespace, body, writeOptionsOf(query, false));
    return respondObject(context, request, response, type, 201, created);
  }
  if (method === 'DELETE') {
    const options = deleteOptionsOf(decodeObjectBody(await readBody(request), mediaType(request)), query);
    const list = api.list(type, path.namespace, {
      ...optional('labelSelector', query.get('labelSelector')),
      ...optional('fieldSelector', query.get('fieldSelector')),
    });
    const items = list.items.map((item) => api.delete(type, item.metadata.namespace, item.metadata.name ?? '', options));
    return writeJson(response, 200, { kind: type.listKind, apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, metadata: { resourceVersion: String(api.store.resourceVersion) }, items });
  }
  throw apiErrors.methodNotAllowed('the server does not allow this method on the requested resource');
}

function respondObject(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  type: ResourceType,
  status: number,
  object: KubeObject,
): void {
  if (wantsTable(request)) {
    const table = tableOf(type, [object], {
      now: context.now(),
      resourceVersion: object.metadata.resourceVersion ?? '',
      includeObject: includeObjectOf(request),
    });
    return writeJson(response, status, table, tableContentType);
  }
  writeJson(response, status, object);
}

function writeOptionsOf(query: URLSearchParams, status: boolean): WriteOptions {
  const validation = query.get('fieldValidation');
  const fieldValidation: FieldValidation | undefined =
    validation === 'Strict' || validation === 'Warn' || validation === 'Ignore' ? validation : undefined;
  return {
    ...(query.getAll('dryRun').includes('All') ? { dryRun: true } : {}),
    fieldValidation: fieldValidation ?? 'Warn',
    ...optional('fieldManager', query.get('fieldManager')),
    ...(status ? { subresource: 'status' as const } : {}),
  };
}

function deleteOptionsOf(body: unknown, query: URLSearchParams): DeleteOptions {
  const fromBody = (body ?? {}) as {
    propagationPolicy?: string;
    gracePeriodSeconds?: number;
    orphanDependents?: boolean;
    preconditions?: { uid?: string; resourceVersion?: string };
    dryRun?: string[];
  };
  const policy = query.get('propagationPolicy') ?? fromBody.propagationPolicy ?? (fromBody.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw apiErrors.badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const grace = query.get('gracePeriodSeconds') ?? fromBody.gracePeriodSeconds;
  return {
    ...(policy === undefined ? {} : { propagationPolicy: policy }),
    ...(grace === undefined || grace === null ? {} : { gracePeriodSeconds: Number(grace) }),
    ...(fromBody.preconditions === undefined ? {} : { preconditions: fromBody.preconditions }),
    ...(query.getAll('dryRun').includes('All') || (fromBody.dryRun ?? []).includes('All') ? { dryRun: true } : {}),
  };
}

function optional<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: string };
}
