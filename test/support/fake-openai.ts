/**
 * A scripted OpenAI-compatible server on loopback for tests and benchmarks: `POST /v1/chat/completions` and
 * `GET /v1/models`. Point the code under test at it exactly as a user points Aegis at a proxy:
 * `OPENAI_BASE_URL=<baseUrl>` (it ends in `/v1`).
 *
 * Each chat request is answered by, in order: the next queued reply (`enqueue`), else the handler
 * (`setHandler`, a function of the request), else a 400 "no scripted reply" (so a test that forgot to script a
 * call fails loudly instead of hanging or retrying). A reply is assistant text, tool calls, or an HTTP error
 * (429/500/... for retry tests), optionally after a delay (timeout tests). Every answer has a unique completion
 * id and unique tool-call ids (LangGraph de-duplicates messages by id, so constant ids corrupt the agent's
 * history) and `usage` numbers approximated as characters / 4.
 *
 * Every request is recorded (`requests`) with its parsed messages, tools and response_format, plus `text`:
 * the whole body as a string, handy for `expect(request.text).not.toContain(secret)`.
 *
 * ```ts
 * const fake = await startFakeOpenAi([
 *   { toolCalls: [{ name: 'get_node', arguments: { name: 'dev1' } }] },
 *   'dev1 is NotReady since 10:02 (events: ...)',
 * ]);
 * // ... run the code under test with baseUrl = fake.baseUrl
 * expect(fake.requests[1]?.messages.at(-1)?.role).toBe('tool');
 * await fake.close();
 * ```
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat message as the client sent it (content may be a string, parts, or null for tool-call turns). */
export interface FakeChatMessage {
  readonly role: string;
  readonly content?: unknown;
  readonly name?: string;
  readonly tool_calls?: readonly {
    id: string;
    type: string;
    function: { name: string; arguments: string };
  }[];
  readonly tool_call_id?: string;
}

export interface FakeChatRequest {
  /** 1-based arrival number of this chat request. */
  readonly number: number;
  readonly model: string | undefined;
  readonly messages: readonly FakeChatMessage[];
  /** The `tools` field as sent (OpenAI function tools), if any. */
  readonly tools: readonly FakeTool[] | undefined;
  /** The `response_format` field as sent, if any. */
  readonly responseFormat: FakeResponseFormat | undefined;
  /** The whole parsed body. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The raw body text (for "the model never saw X" assertions). */
  readonly text: string;
  /** The `Authorization` header. */
  readonly authorization: string | undefined;
  /** `Date.now()` when the request arrived. */
  readonly at: number;
}

export interface FakeTool {
  readonly type: string;
  readonly function?: { name: string; description?: string; parameters?: unknown; strict?: boolean };
}

export type FakeResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: unknown; strict?: boolean } };

export interface FakeToolCall {
  readonly name: string;
  /** An object (serialised to JSON) or the arguments string exactly as the model would send it. */
  readonly arguments?: unknown;
  /** A fixed id; a unique one (`call_<n>`) when omitted. */
  readonly id?: string;
}

interface ReplyCommon {
  /** Wait this long before answering (timeout tests). */
  readonly delayMs?: number;
}

export interface FakeTextReply extends ReplyCommon {
  readonly content: string;
  readonly finishReason?: string;
  /** Exact usage numbers instead of the characters / 4 estimate. */
  readonly usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface FakeToolCallReply extends ReplyCommon {
  readonly toolCalls: readonly FakeToolCall[];
  /** Text alongside the tool calls (usually none). */
  readonly content?: string;
  readonly usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface FakeErrorReply extends ReplyCommon {
  /** HTTP status, e.g. 429, 500, 400. */
  readonly status: number;
  readonly message?: string;
  /** Sent as `retry-after-ms` (the openai SDK honours it; keeps retry tests fast). Default 10 ms. */
  readonly retryAfterMs?: number;
}

/** A string is shorthand for `{ content: string }`. */
export type FakeReply = string | FakeTextReply | FakeToolCallReply | FakeErrorReply;

export type FakeHandler = (request: FakeChatRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAi {
  /** e.g. `http://127.0.0.1:41234/v1`: the value for OPENAI_BASE_URL / the client's baseURL. */
  readonly baseUrl: string;
  /** Every chat request so far, in arrival order (a live array). */
  readonly requests: FakeChatRequest[];
  /** How many `GET /v1/models` calls were answered. */
  readonly modelCalls: () => number;
  /** Queue replies, answered in order before the handler is asked. */
  enqueue(...replies: FakeReply[]): void;
  /** The handler for requests when the queue is empty (replaces the previous one; undefined removes it). */
  setHandler(handler: FakeHandler | undefined): void;
  /** Queued replies not used yet. */
  pending(): number;
  /** Forget requests and queued replies (the handler stays). */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** Model ids listed by `GET /v1/models` (default `['fake-model']`). */
  models?: readonly string[];
  /** Answer `GET /v1/models` with this HTTP status instead (e.g. 404 for servers without it). */
  modelsStatus?: number;
  /**
   * How `response_format: json_schema` is treated: `ignored` (default: the scripted reply is sent as it is, as
   * older vLLM, Ollama without a grammar and many proxies do) or `rejected` (400 before any reply is used, as
   * servers that do not know the field answer).
   */
  jsonSchema?: 'ignored' | 'rejected';
}

/** Approximate tokens: characters / 4, at least 1. */
export function approximateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The text of a message content (string, or the text parts of an array). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string'
          ? part.text
          : '',
      )
      .join('');
  }
  return '';
}

function isErrorReply(reply: Exclude<FakeReply, string>): reply is FakeErrorReply {
  return 'status' in reply;
}

function isToolCallReply(reply: Exclude<FakeReply, string>): reply is FakeToolCallReply {
  return 'toolCalls' in reply;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

/** Start the fake on a free loopback port; `script` is an initial queue of replies or a handler. */
export async function startFakeOpenAi(
  script?: readonly FakeReply[] | FakeHandler,
  options: FakeOpenAiOptions = {},
): Promise<FakeOpenAi> {
  const queue: FakeReply[] = Array.isArray(script) ? [...(script as readonly FakeReply[])] : [];
  let handler: FakeHandler | undefined = typeof script === 'function' ? script : undefined;
  const requests: FakeChatRequest[] = [];
  const models = options.models ?? ['fake-model'];
  let completionCounter = 0;
  let toolCallCounter = 0;
  let requestCounter = 0;
  let modelCalls = 0;
  const created = Math.floor(Date.now() / 1000);

  const answerChat = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      sendJson(
        response,
        400,
        errorBody('fake-openai: the body is not a JSON object', 'invalid_request_error'),
      );
      return;
    }
    requestCounter += 1;
    const recorded: FakeChatRequest = {
      number: requestCounter,
      model: typeof body['model'] === 'string' ? body['model'] : undefined,
      messages: Array.isArray(body['messages']) ? (body['messages'] as FakeChatMessage[]) : [],
      tools: Array.isArray(body['tools']) ? (body['tools'] as FakeTool[]) : undefined,
      responseFormat: (body['response_format'] as FakeResponseFormat | undefined) ?? undefined,
      body,
      text,
      authorization: request.headers.authorization,
      at: Date.now(),
    };
    requests.push(recorded);
    if (options.jsonSchema === 'rejected' && recorded.responseFormat?.type === 'json_schema') {
      sendJson(
        response,
        400,
        errorBody("fake-openai: response_format 'json_schema' is not supported", 'invalid_request_error'),
      );
      return;
    }

    let reply: FakeReply | undefined = queue.shift();
    if (reply === undefined && handler !== undefined) {
      try {
        reply = await handler(recorded);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        sendJson(response, 500, errorBody(`fake-openai: the handler threw: ${message}`, 'server_error'));
        return;
      }
    }
    if (reply === undefined) {
      sendJson(
        response,
        400,
        errorBody(`fake-openai: no scripted reply for request ${recorded.number}`, 'invalid_request_error'),
      );
      return;
    }
    const resolved: Exclude<FakeReply, string> = typeof reply === 'string' ? { content: reply } : reply;
    if (resolved.delayMs !== undefined && resolved.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, resolved.delayMs));
      if (response.destroyed || request.destroyed) return; // the client gave up (timeout test)
    }
    if (isErrorReply(resolved)) {
      const type =
        resolved.status === 429
          ? 'rate_limit_error'
          : resolved.status >= 500
            ? 'server_error'
            : 'invalid_request_error';
      sendJson(
        response,
        resolved.status,
        errorBody(resolved.message ?? `fake-openai: HTTP ${resolved.status}`, type),
        {
          'retry-after-ms': String(resolved.retryAfterMs ?? 10),
        },
      );
      return;
    }

    completionCounter += 1;
    const message: Record<string, unknown> = { role: 'assistant', content: null, refusal: null };
    let finishReason = 'stop';
    let completionText = '';
    if (isToolCallReply(resolved)) {
      finishReason = 'tool_calls';
      if (resolved.content !== undefined) message['content'] = resolved.content;
      message['tool_calls'] = resolved.toolCalls.map((call) => {
        toolCallCounter += 1;
        const args =
          typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
        completionText += call.name + args;
        return {
          id: call.id ?? `call_${toolCallCounter}_${Math.random().toString(36).slice(2, 10)}`,
          type: 'function',
          function: { name: call.name, arguments: args },
        };
      });
      completionText += resolved.content ?? '';
    } else {
      message['content'] = resolved.content;
      completionText = resolved.content;
      if (resolved.finishReason !== undefined) finishReason = resolved.finishReason;
    }
    const promptTokens =
      resolved.usage?.prompt_tokens ?? approximateTokens(JSON.stringify(recorded.messages));
    const completionTokens = resolved.usage?.completion_tokens ?? approximateTokens(completionText);
    sendJson(response, 200, {
      id: `chatcmpl-fake-${completionCounter}-${Math.random().toString(36).slice(2, 10)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: recorded.model ?? models[0] ?? 'fake-model',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      answerChat(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          sendJson(response, 500, errorBody(`fake-openai: ${String(error)}`, 'server_error'));
        } else response.destroy();
      });
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      modelCalls += 1;
      if (options.modelsStatus !== undefined) {
        sendJson(response, options.modelsStatus, errorBody('fake-openai: models refused', 'server_error'));
        return;
      }
      sendJson(response, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created, owned_by: 'fake-openai' })),
      });
      return;
    }
    request.resume();
    sendJson(
      response,
      404,
      errorBody(`fake-openai: no route ${request.method} ${path}`, 'invalid_request_error'),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    modelCalls: () => modelCalls,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setHandler: (next) => {
      handler = next;
    },
    pending: () => queue.length,
    reset: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
