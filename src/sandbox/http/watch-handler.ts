import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildObjectFilter, type ObjectFilter } from '../object-filter.js';
import type { ChangeEvent } from '../object-store.js';
import { groupVersion, type ResourceType } from '../resource-type.js';
import { withTypeMeta } from '../sandbox-api.js';
import type { KubeObject } from '../types.js';
import type { HandlerContext } from './resource-handler.js';
import { includeObjectOf, tableContentType, tableOf, wantsTable } from './respond.js';

/** Tracks open watch streams so the server can end them all on shutdown. */
export class WatchHub {
  private readonly open = new Set<() => void>();

  constructor(readonly bookmarkIntervalMs = 10_000) {}

  get size(): number {
    return this.open.size;
  }

  add(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.open]) close();
  }
}

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What a change means to a watcher whose filter may select the object before, after, both or neither. */
function relativeType(event: ChangeEvent, filter: ObjectFilter): WatchEventType | undefined {
  const now = filter.matches(event.object);
  if (event.type === 'ADDED') return now ? 'ADDED' : undefined;
  const before = event.previous !== undefined && filter.matches(event.previous);
  if (event.type === 'DELETED') return before || now ? 'DELETED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

/** Serve `?watch=true`: newline-delimited JSON events, one per line, flushed per event. */
export function serveWatch(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  type: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
): void {
  const { api, watches } = context;
  const filter = buildObjectFilter(type, type.namespaced ? namespace : undefined, query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);
  const asTable = wantsTable(request);
  const includeObject = includeObjectOf(request);
  const requested = query.get('resourceVersion') ?? '';
  response.writeHead(200, {
    'Content-Type': asTable ? tableContentType : 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  response.flushHeaders();

  const encode = (eventType: string, object: KubeObject): string => {
    const typed = withTypeMeta(object, type);
    const payload = asTable
      ? tableOf(type, [typed], { now: context.now(), resourceVersion: typed.metadata.resourceVersion ?? '', includeObject })
      : typed;
    return `${JSON.stringify({ type: eventType, object: payload })}\n`;
  };

  let ended = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;
  let unregister: () => void = () => undefined;
  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    unregister();
    for (const timer of timers) clearTimeout(timer);
    response.end();
  };
  unregister = watches.add(end);
  request.on('close', end);
  response.on('close', end);

  const faults = context.faults;
  // While the server is paused (fault injection), events wait and are sent in order when it resumes.
  let held: ChangeEvent[] | undefined;
  const send = (event: ChangeEvent): void => {
    const eventType = relativeType(event, filter);
    if (eventType !== undefined) response.write(encode(eventType, event.object));
  };
  const deliver = (event: ChangeEvent): void => {
    if (ended) return;
    if (faults?.paused === true || held !== undefined) {
      if (held === undefined) {
        held = [];
        faults?.onResume(() => {
          const events = held ?? [];
          held = undefined;
          for (const waiting of events) if (!ended) send(waiting);
        });
      }
      held.push(event);
      return;
    }
    send(event);
  };

  const resumed = requested !== '' && requested !== '0';
  const fault = faults?.watchFault(type.group, type.plural, resumed);
  if (fault?.gone === true) {
    response.write(`${JSON.stringify({ type: 'ERROR', object: goneStatus(requested, api.store.oldestResumableVersion - 1, true) })}\n`);
    end();
    return;
  }
  if (fault?.closeAfterMs !== undefined) {
    timers.push(
      setTimeout(() => {
        faults?.countWatchClosed();
        end();
      }, fault.closeAfterMs),
    );
  }

  if (!resumed) {
    for (const object of api.store.list(type.storageKey, filter.namespace)) {
      if (filter.matches(object)) response.write(encode('ADDED', object));
    }
  } else {
    const since = Number(requested);
    const replay = Number.isFinite(since) ? api.store.changesSince(type.storageKey, since) : undefined;
    if (replay === undefined) {
      const status = goneStatus(requested, api.store.oldestResumableVersion - 1, false);
      response.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      end();
      return;
    }
    for (const event of replay) deliver(event);
  }
  unsubscribe = api.store.subscribe(type.storageKey, deliver);

  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
  if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) timers.push(setTimeout(end, timeoutSeconds * 1000));
  if (query.get('allowWatchBookmarks') === 'true') {
    const bookmark = (): void => {
      if (ended) return;
      const object = { kind: type.kind, apiVersion: groupVersion(type), metadata: { resourceVersion: String(api.store.resourceVersion) } };
      response.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
      timers.push(setTimeout(bookmark, watches.bookmarkIntervalMs));
    };
    timers.push(setTimeout(bookmark, watches.bookmarkIntervalMs));
  }
}

/** The Status of a watch whose resourceVersion is too old, as kube-apiserver sends it in an ERROR event. */
function goneStatus(requested: string, oldest: number, injected: boolean): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${requested} (${oldest})${injected ? ' (injected fault)' : ''}`,
    reason: 'Expired',
    code: 410,
  };
}
