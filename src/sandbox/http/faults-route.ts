import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api-error.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import { FaultPlanError, type FaultVerb } from '../faults/fault-plan.js';
import type { ResourcePath } from './request-path.js';
import { readBody } from './request-body.js';
import { writeJson } from './respond.js';

/** The admin routes of fault injection; they exist only when the sandbox was started with faults enabled. */
export const faultsPathPrefix = '/_sandbox/';

/**
 * `GET /_sandbox/faults` (plan, pause and counters), `PUT /_sandbox/faults` (replace the plan),
 * `DELETE /_sandbox/faults` (no faults, no pause), `POST /_sandbox/pause` with `{"seconds": 10}`,
 * `POST /_sandbox/resume`. Answers true when it served the request.
 */
export async function serveFaultsRoute(
  faults: FaultInjector,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): Promise<boolean> {
  const method = request.method ?? 'GET';
  if (pathname === '/_sandbox/faults') {
    if (method === 'GET') {
      writeJson(response, 200, faults.snapshot());
      return true;
    }
    if (method === 'PUT' || method === 'POST') {
      try {
        const plan = faults.setPlan(parseJson(await readBody(request)));
        writeJson(response, 200, { plan });
      } catch (error) {
        if (error instanceof FaultPlanError) throw new ApiError(400, 'BadRequest', error.message);
        throw error;
      }
      return true;
    }
    if (method === 'DELETE') {
      faults.clear();
      writeJson(response, 200, faults.snapshot());
      return true;
    }
  }
  if (pathname === '/_sandbox/pause' && method === 'POST') {
    const body = parseJson(await readBody(request)) as { seconds?: unknown } | undefined;
    const seconds = body?.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
      throw new ApiError(400, 'BadRequest', 'pause: body must be {"seconds": <number between 0 and 3600>}');
    faults.pause(seconds * 1000);
    writeJson(response, 200, faults.snapshot());
    return true;
  }
  if (pathname === '/_sandbox/resume' && method === 'POST') {
    faults.resume();
    writeJson(response, 200, faults.snapshot());
    return true;
  }
  return false;
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'BadRequest', `fault plan: body is not JSON: ${(error as Error).message}`);
  }
}

/** The verb kube-apiserver's authorizer would see for this request. */
export function requestVerb(method: string, path: ResourcePath, query: URLSearchParams): FaultVerb {
  switch (method) {
    case 'GET': {
      if (path.name !== undefined) return 'get';
      const watch = query.get('watch');
      return watch === 'true' || watch === '1' ? 'watch' : 'list';
    }
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    default:
      return 'delete';
  }
}

/** Wait for a pause to end, add latency, or throw the injected error, before the request is served. */
export async function applyRequestFaults(
  faults: FaultInjector,
  method: string,
  path: ResourcePath,
  query: URLSearchParams,
): Promise<void> {
  await faults.whenRunning();
  const verb = requestVerb(method, path, query);
  const resource = path.subresource === undefined ? path.plural : `${path.plural}/${path.subresource}`;
  const decision = faults.decide(verb, path.group, resource);
  if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
  if (decision.error !== undefined) throw decision.error;
}
