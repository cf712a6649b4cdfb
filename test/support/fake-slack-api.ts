/**
 * A fake Slack Web API on loopback for tests and benchmarks: `<url><method>` (e.g. `…/api/chat.postMessage`)
 * with form-encoded or JSON bodies and a bearer token, answering like Slack does (HTTP 200 with `{ ok, … }`,
 * 429 with `Retry-After` when told to). Every call is recorded, and `messages(channel)` rebuilds what a
 * channel would show: each root message in its current (updated) state with its thread replies.
 *
 * Point the code under test at it exactly as a user points Aegis at a proxy: `SLACK_API_URL=<url>` (the
 * WebClient's `slackApiUrl`).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackParams = Record<string, unknown>;

export interface RecordedCall {
  readonly method: string;
  readonly params: SlackParams;
  /** The bearer token (or the `token` body field) the call carried. */
  readonly token: string | undefined;
  /** `Date.now()` when the call arrived. */
  readonly at: number;
  /** HTTP status answered (200, or 429 when told to fail). */
  readonly status: number;
  /** Slack's `error` when the answer was `ok: false`. */
  readonly error: string | undefined;
}

export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  /** How many times `chat.update` changed it. */
  updates: number;
  readonly postedAt: number;
  updatedAt: number;
}

export interface FakeRootMessage extends FakeMessage {
  readonly replies: FakeMessage[];
}

export interface FailureOptions {
  /** 429 answers `Retry-After: retryAfter` (seconds, default 1); any other status answers that status. */
  readonly status?: number;
  readonly retryAfter?: number;
  /** Slack's `error` code for an HTTP 200 `ok: false` answer, e.g. `channel_not_found`. */
  readonly error?: string;
  /** How many calls fail (default 1). */
  readonly count?: number;
  /** Only calls to this channel fail. */
  readonly channel?: string;
}

export interface FakeSlackUser {
  readonly id: string;
  readonly name?: string;
  readonly realName?: string;
  readonly tz?: string;
}

export interface FakeSlackApi {
  /** Base URL ending in `/api/`: the value for SLACK_API_URL / the WebClient's `slackApiUrl`. */
  readonly url: string;
  /** Every call so far, in arrival order (a live array; `reset()` empties it). */
  readonly calls: readonly RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** Forget calls, messages and pending failures (group members and users stay). */
  reset(): void;
  /** Drop pending failures only (an outage made of `failNext` with a large count ends now). */
  clearFailures(): void;
  /** Answer the next `count` calls of `method` (`*` for any) with a failure. */
  failNext(method: string, options: FailureOptions): void;
  setGroupMembers(groupId: string, users: readonly string[]): void;
  setUser(user: FakeSlackUser): void;
  /** Root messages of a channel in posting order, each as currently shown, with its thread replies. */
  messages(channel: string): FakeRootMessage[];
  /** Every channel a message was posted to. */
  channels(): string[];
  close(): Promise<void>;
}

export interface FakeSlackApiOptions {
  /** When given, any other token answers `invalid_auth`. */
  readonly tokens?: readonly string[];
  /**
   * Socket Mode: `apps.connections.open` (called with an app-level `xapp-` token) answers this URL, e.g. the
   * `connectionUrl()` of test/support/fake-slack-socket-mode.ts. Without it the method fails.
   */
  readonly socketModeUrl?: () => string;
}

interface PendingFailure extends FailureOptions {
  readonly method: string;
  remaining: number;
}

const jsonFields = ['blocks', 'attachments', 'view', 'metadata'];

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const failures: PendingFailure[] = [];
  const groups = new Map<string, readonly string[]>();
  const users = new Map<string, FakeSlackUser>();
  // channel -> ts -> message (roots and replies alike); insertion order is posting order.
  let messages = new Map<string, Map<string, FakeMessage>>();
  let sequence = 0;
  let viewSequence = 0;

  const nextTs = (): string => {
    sequence += 1;
    const counter = sequence * 100;
    return `${1_700_000_000 + Math.floor(counter / 1_000_000)}.${String(counter % 1_000_000).padStart(6, '0')}`;
  };

  const takeFailure = (method: string, params: SlackParams): PendingFailure | undefined => {
    const failure = failures.find(
      (candidate) =>
        (candidate.method === method || candidate.method === '*') &&
        (candidate.channel === undefined || candidate.channel === params['channel']),
    );
    if (failure === undefined) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(failures.indexOf(failure), 1);
    return failure;
  };

  const channelMessages = (channel: string): Map<string, FakeMessage> => {
    let found = messages.get(channel);
    if (found === undefined) {
      found = new Map();
      messages.set(channel, found);
    }
    return found;
  };

  const handle = (method: string, params: SlackParams, token: string): SlackParams => {
    const channel = stringParam(params, 'channel');
    switch (method) {
      case 'apps.connections.open':
        // Only an app-level token may open a Socket Mode connection, as on Slack.
        if (!token.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
        if (options.socketModeUrl === undefined) return { ok: false, error: 'internal_error' };
        return { ok: true, url: options.socketModeUrl() };
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'aegis',
          team_id: 'T0FAKE',
          user_id: 'U0AEGIS',
          bot_id: 'B0AEGIS',
        };
      case 'chat.postMessage': {
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        const threadTs = stringParam(params, 'thread_ts');
        const list = channelMessages(channel);
        if (threadTs !== undefined && !list.has(threadTs)) return { ok: false, error: 'thread_not_found' };
        const now = Date.now();
        const message: FakeMessage = {
          channel,
          ts: nextTs(),
          threadTs,
          text: stringParam(params, 'text'),
          blocks: arrayParam(params, 'blocks'),
          attachments: arrayParam(params, 'attachments'),
          updates: 0,
          postedAt: now,
          updatedAt: now,
        };
        list.set(message.ts, message);
        return { ok: true, channel, ts: message.ts, message: slackShape(message) };
      }
      case 'chat.update': {
        const ts = stringParam(params, 'ts');
        const message =
          channel === undefined || ts === undefined ? undefined : messages.get(channel)?.get(ts);
        if (message === undefined) return { ok: false, error: 'message_not_found' };
        if ('text' in params) message.text = stringParam(params, 'text');
        if ('blocks' in params) message.blocks = arrayParam(params, 'blocks');
        if ('attachments' in params) message.attachments = arrayParam(params, 'attachments');
        message.updates += 1;
        message.updatedAt = Date.now();
        return { ok: true, channel, ts, text: message.text ?? '', message: slackShape(message) };
      }
      case 'chat.delete': {
        const ts = stringParam(params, 'ts');
        if (channel === undefined || ts === undefined || messages.get(channel)?.delete(ts) !== true) {
          return { ok: false, error: 'message_not_found' };
        }
        return { ok: true, channel, ts };
      }
      case 'chat.postEphemeral':
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        if (stringParam(params, 'user') === undefined) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        viewSequence += 1;
        const view = typeof params['view'] === 'object' && params['view'] !== null ? params['view'] : {};
        return { ok: true, view: { id: `V${String(viewSequence).padStart(8, '0')}`, ...view } };
      }
      case 'usergroups.users.list': {
        const group = stringParam(params, 'usergroup');
        const members = group === undefined ? undefined : groups.get(group);
        return members === undefined
          ? { ok: false, error: 'no_such_subteam' }
          : { ok: true, users: [...members] };
      }
      case 'users.info': {
        const id = stringParam(params, 'user');
        if (id === undefined) return { ok: false, error: 'user_not_found' };
        const user = users.get(id) ?? { id };
        return {
          ok: true,
          user: {
            id: user.id,
            name: user.name ?? user.id.toLowerCase(),
            real_name: user.realName ?? user.name ?? user.id,
            tz: user.tz ?? 'UTC',
            is_bot: false,
            profile: { real_name: user.realName ?? user.name ?? user.id, display_name: user.name ?? user.id },
          },
        };
      }
      case 'conversations.open': {
        const target = stringParam(params, 'users');
        if (target === undefined) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${target.split(',')[0] ?? target}` } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = createServer((request, response) => {
    serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    if (!path.startsWith('/api/')) {
      response.writeHead(404).end();
      return;
    }
    const method = path.slice('/api/'.length);
    const params = parseBody(await readBody(request), request.headers['content-type'] ?? '');
    const authorization = request.headers.authorization;
    const token =
      authorization?.startsWith('Bearer ') === true
        ? authorization.slice('Bearer '.length)
        : stringParam(params, 'token');
    const record = (status: number, error: string | undefined): void => {
      calls.push({ method, params, token, at: Date.now(), status, error });
    };
    const send = (status: number, body: SlackParams, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(body));
    };

    const failure = takeFailure(method, params);
    if (failure !== undefined) {
      const status = failure.status ?? 200;
      const error = failure.error ?? (status === 429 ? 'ratelimited' : 'internal_error');
      record(status, error);
      send(
        status,
        { ok: false, error },
        status === 429 ? { 'retry-after': String(failure.retryAfter ?? 1) } : {},
      );
      return;
    }
    if (token === undefined || token === '') {
      record(200, 'not_authed');
      send(200, { ok: false, error: 'not_authed' });
      return;
    }
    if (options.tokens !== undefined && !options.tokens.includes(token)) {
      record(200, 'invalid_auth');
      send(200, { ok: false, error: 'invalid_auth' });
      return;
    }
    const body = handle(method, params, token);
    record(200, body['ok'] === true ? undefined : String(body['error']));
    send(200, body);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    callsOf: (method) => calls.filter((call) => call.method === method),
    reset() {
      calls.length = 0;
      failures.length = 0;
      messages = new Map();
    },
    clearFailures() {
      failures.length = 0;
    },
    failNext(method, failure) {
      failures.push({ ...failure, method, remaining: failure.count ?? 1 });
    },
    setGroupMembers(groupId, members) {
      groups.set(groupId, [...members]);
    },
    setUser(user) {
      users.set(user.id, user);
    },
    messages(channel) {
      const list = [...(messages.get(channel)?.values() ?? [])];
      return list
        .filter((message) => message.threadTs === undefined)
        .map((root) => ({ ...root, replies: list.filter((reply) => reply.threadTs === root.ts) }));
    },
    channels: () => [...messages.keys()],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function slackShape(message: FakeMessage): SlackParams {
  return {
    type: 'message',
    ts: message.ts,
    text: message.text ?? '',
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
    user: 'U0AEGIS',
    bot_id: 'B0AEGIS',
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Slack takes form fields (objects JSON-encoded inside them, as the SDK sends `blocks`) or a JSON body. */
function parseBody(body: string, contentType: string): SlackParams {
  if (body === '') return {};
  if (contentType.includes('application/json')) {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as SlackParams) : {};
  }
  const params: SlackParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    params[key] = jsonFields.includes(key) ? tryJson(value) : value;
  }
  return params;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function stringParam(params: SlackParams, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function arrayParam(params: SlackParams, name: string): unknown[] | undefined {
  const value = params[name];
  return Array.isArray(value) ? value : undefined;
}
