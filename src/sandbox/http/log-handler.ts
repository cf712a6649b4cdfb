import type { ServerResponse } from 'node:http';
import { ApiError } from '../api-error.js';
import type { ResourceType } from '../resource-type.js';
import type { SandboxApi } from '../sandbox-api.js';
import type { KubeObject } from '../types.js';

export const logAnnotation = (container: string): string => `sandbox.aegis.io/log.${container}`;
export const previousLogAnnotation = (container: string): string => `sandbox.aegis.io/previous-log.${container}`;

function containerNames(pod: KubeObject): string[] {
  const spec = (pod['spec'] ?? {}) as { containers?: { name?: string }[] };
  return (spec.containers ?? []).map((c) => c.name ?? '').filter((n) => n !== '');
}

function selectLines(text: string, query: URLSearchParams, startedAt: string): string {
  let lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const tail = Number(query.get('tailLines') ?? '-1');
  if (Number.isFinite(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  if (query.get('timestamps') === 'true') lines = lines.map((line) => `${startedAt} ${line}`);
  let out = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  const limitBytes = Number(query.get('limitBytes') ?? '0');
  if (Number.isFinite(limitBytes) && limitBytes > 0) out = Buffer.from(out).subarray(0, limitBytes).toString('utf8');
  return out;
}

/** The node's `sandbox.aegis.io/pod-log.<container>` for pods running on it, if it has one. */
function nodeLog(api: SandboxApi, pod: KubeObject, container: string): string | undefined {
  const nodeName = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  if (nodeName === undefined || nodeName === '') return undefined;
  const node = api.find(api.resolve('', 'v1', 'nodes'), undefined, nodeName);
  return node?.metadata.annotations?.[`sandbox.aegis.io/pod-log.${container}`];
}

/**
 * `GET pods/<name>/log`: the text a test or user put in `sandbox.aegis.io/log.<container>` (or
 * `previous-log.<container>` for `--previous`), with tailLines, timestamps, limitBytes and follow.
 */
export function serveLog(
  api: SandboxApi,
  response: ServerResponse,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  query: URLSearchParams,
): void {
  const pod = api.get(type, namespace, name);
  const containers = containerNames(pod);
  const annotations = pod.metadata.annotations ?? {};
  const container = query.get('container') ?? annotations['kubectl.kubernetes.io/default-container'] ?? containers[0] ?? '';
  if (!containers.includes(container)) {
    throw new ApiError(400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
  }
  const previous = query.get('previous') === 'true';
  const key = previous ? previousLogAnnotation(container) : logAnnotation(container);
  const text = previous ? annotations[key] : (nodeLog(api, pod, container) ?? annotations[key]);
  if (previous && text === undefined) {
    throw new ApiError(400, 'BadRequest', `previous terminated container "${container}" in pod "${name}" not found`);
  }
  const startedAt = ((pod['status'] as { startTime?: string } | undefined)?.startTime ?? pod.metadata.creationTimestamp ?? api.now()).replace('Z', '.000000000Z');
  const headers = { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' };
  const body = selectLines(text ?? '', query, startedAt);
  if (query.get('follow') !== 'true' || previous) {
    response.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
    return;
  }
  response.writeHead(200, { ...headers, 'Transfer-Encoding': 'chunked' });
  response.write(body);
  let sent = text ?? '';
  const finished = (object: KubeObject): boolean => {
    const phase = (object['status'] as { phase?: string } | undefined)?.phase;
    return phase === 'Succeeded' || phase === 'Failed';
  };
  if (finished(pod)) {
    response.end();
    return;
  }
  const unsubscribe = api.store.subscribe(type.storageKey, (event) => {
    if (event.object.metadata.uid !== pod.metadata.uid) return;
    const now = event.object.metadata.annotations?.[key] ?? '';
    if (now.startsWith(sent) && now.length > sent.length) {
      const extra = now.slice(sent.length);
      response.write(query.get('timestamps') === 'true' ? extra.replace(/^(?=.)/gm, `${startedAt} `) : extra);
      sent = now;
    }
    if (event.type === 'DELETED' || finished(event.object)) stop();
  });
  const stop = (): void => {
    unsubscribe();
    response.end();
  };
  response.on('close', unsubscribe);
}
