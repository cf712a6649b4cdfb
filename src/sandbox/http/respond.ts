import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api-error.js';
import type { ResourceType } from '../resource-type.js';
import { buildTable, builtinConverter, converterForPrinterColumns, type TableConverter } from '../table/index.js';
import type { KubeObject } from '../types.js';

export const tableContentType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function writeJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  response.end(text);
}

export function writeError(response: ServerResponse, error: unknown): void {
  const apiError =
    error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`);
  if (apiError.details?.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(apiError.details.retryAfterSeconds));
  writeJson(response, apiError.code, apiError.toStatus());
}

export function wantsTable(request: IncomingMessage): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('as=Table');
}

export function includeObjectOf(request: IncomingMessage): 'None' | 'Metadata' | 'Object' {
  const value = new URL(request.url ?? '/', 'http://x').searchParams.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function converterFor(type: ResourceType): TableConverter {
  if (type.crdName !== undefined) return converterForPrinterColumns(type.printerColumns === undefined ? undefined : [...type.printerColumns]);
  return builtinConverter(type.kind) ?? converterForPrinterColumns(undefined);
}

export function tableOf(
  type: ResourceType,
  objects: KubeObject[],
  options: { now: Date; resourceVersion: string; continueToken?: string; includeObject: 'None' | 'Metadata' | 'Object' },
): object {
  return buildTable(converterFor(type), objects, options);
}
