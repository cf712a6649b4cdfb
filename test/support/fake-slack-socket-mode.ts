/**
 * A fake Slack Socket Mode endpoint on loopback for tests: a small WebSocket server (RFC 6455, text frames,
 * ping/pong and the close handshake; no extensions) that plays Slack's side of Socket Mode
 * (https://api.slack.com/apis/socket-mode):
 *
 * - the fake Web API's `apps.connections.open` hands out `ws://127.0.0.1:<port>/link/?ticket=…&app_id=…`
 *   (`connectionUrl()`); a ticket is good for one connection, as Slack's are;
 * - on connect the server sends `{"type":"hello",…}`;
 * - tests push envelopes as Slack does (`slash_commands`, `interactive`, `events_api`, each with an
 *   `envelope_id`) and get back the app's acknowledgement (`{"envelope_id":…,"payload":…}`), with a bounded wait;
 * - `requestDisconnect()` sends Slack's `{"type":"disconnect","reason":"refresh_requested"}`, and
 *   `dropConnections()` closes the sockets from the server side, so reconnects can be tested.
 *
 * Written from the RFC and Slack's documented message shapes (not from any WebSocket library), so the
 * project needs no WebSocket dependency of its own for its tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { eventCallback, slashCommandFields } from './slack-payloads.js';

const websocketGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const opcodes = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export type Envelope = Record<string, unknown>;

export interface SocketModeAck {
  readonly envelopeId: string;
  /** What the app answered (`payload`); Bolt sends `{}` for a plain `ack()`. */
  readonly payload: Record<string, unknown> | undefined;
  /** Which connection (1-based, in connection order) carried the ack. */
  readonly connection: number;
  readonly at: number;
}

export interface FakeSocketConnection {
  /** 1-based, in connection order. */
  readonly id: number;
  readonly ticket: string;
  /** Open: the handshake completed and neither side has closed. */
  readonly open: boolean;
  /** Who started the close, once closed. */
  readonly closedBy: 'app' | 'server' | undefined;
  /** Text messages the app sent on this connection (acks, and anything else). */
  readonly received: readonly string[];
}

export interface FakeSocketModeOptions {
  /** `connection_info.app_id` in `hello`, and the `app_id` of the link (default A0AEGIS). */
  readonly appId?: string;
  /** How long `send`/`waitFor…` wait by default (default 10 s). */
  readonly timeoutMs?: number;
}

export interface FakeSocketMode {
  /** `ws://127.0.0.1:<port>`. */
  readonly url: string;
  /** A fresh single-use WebSocket URL, as `apps.connections.open` answers it. */
  connectionUrl(): string;
  /** Every connection so far, in order. */
  readonly connections: readonly FakeSocketConnection[];
  /** Every acknowledgement so far, in arrival order. */
  readonly acks: readonly SocketModeAck[];
  /** Open connections right now. */
  openConnections(): FakeSocketConnection[];
  /** Resolves once `count` connections have been opened in total (and the newest is still open). */
  waitForConnections(count: number, timeoutMs?: number): Promise<FakeSocketConnection>;
  /**
   * Sends an envelope of `type` with `payload` on the newest open connection and resolves with the app's ack
   * (rejects after the timeout). Options add Slack's envelope fields (`retry_attempt`, …).
   */
  send(type: string, payload: Envelope, options?: Envelope & { timeoutMs?: number }): Promise<SocketModeAck>;
  /** A slash command envelope (`slash_commands`), with Slack's command fields filled in. */
  slashCommand(fields: {
    text: string;
    user: string;
    channel?: string;
    command?: string;
  }): Promise<SocketModeAck>;
  /** An `interactive` envelope (a block_actions or view_submission payload). */
  interactive(payload: Envelope): Promise<SocketModeAck>;
  /** An `events_api` envelope around an event (`app_mention`, `message`, …). */
  event(event: Envelope): Promise<SocketModeAck>;
  /** Slack's `disconnect` message on every open connection (the app is expected to reconnect). */
  requestDisconnect(reason?: string): void;
  /** The server closes every open connection (close frame 1001, then the TCP connection). */
  dropConnections(): void;
  close(): Promise<void>;
}

interface Connection extends FakeSocketConnection {
  open: boolean;
  closedBy: 'app' | 'server' | undefined;
  received: string[];
  readonly socket: Socket;
}

export async function startFakeSocketMode(options: FakeSocketModeOptions = {}): Promise<FakeSocketMode> {
  const appId = options.appId ?? 'A0AEGIS';
  const defaultTimeoutMs = options.timeoutMs ?? 10_000;
  const tickets = new Set<string>();
  const connections: Connection[] = [];
  const acks: SocketModeAck[] = [];
  const ackWaiters = new Map<string, (ack: SocketModeAck) => void>();
  const connectionWaiters = new Set<() => void>();

  const server = createServer((_request, response) => {
    // Socket Mode links are WebSocket-only.
    response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' }).end('upgrade required');
  });

  const accept = (request: IncomingMessage, socket: Socket, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    const key = request.headers['sec-websocket-key'];
    const upgrade = String(request.headers.upgrade ?? '').toLowerCase();
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (
      upgrade !== 'websocket' ||
      typeof key !== 'string' ||
      request.headers['sec-websocket-version'] !== '13'
    ) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const acceptKey = createHash('sha1').update(`${key}${websocketGuid}`).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey}\r\n\r\n`,
    );
    socket.setNoDelay(true);
    const connection: Connection = {
      id: connections.length + 1,
      ticket,
      open: true,
      closedBy: undefined,
      received: [],
      socket,
    };
    connections.push(connection);
    let buffered = head.length > 0 ? Buffer.from(head) : Buffer.alloc(0);
    let fragments: Buffer[] = [];
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = readFrame(buffered);
        if (frame === undefined) return;
        buffered = buffered.subarray(frame.size);
        if (frame.opcode === opcodes.ping) writeFrame(socket, opcodes.pong, frame.payload);
        else if (frame.opcode === opcodes.close) {
          if (connection.open) {
            // The app closes: answer with the same code, then end the TCP connection (the server's job).
            connection.open = false;
            connection.closedBy = 'app';
            writeFrame(socket, opcodes.close, frame.payload.subarray(0, 2));
          }
          socket.end();
          return;
        } else if (
          frame.opcode === opcodes.text ||
          frame.opcode === opcodes.binary ||
          frame.opcode === opcodes.continuation
        ) {
          fragments.push(frame.payload);
          if (!frame.fin) continue;
          const text = Buffer.concat(fragments).toString('utf8');
          fragments = [];
          connection.received.push(text);
          received(connection, text);
        }
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      connection.open = false;
      connection.closedBy ??= 'app';
    });
    send(connection, {
      type: 'hello',
      num_connections: connections.filter((item) => item.open).length,
      debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18_060 },
      connection_info: { app_id: appId },
    });
    for (const notify of [...connectionWaiters]) notify();
    if (head.length > 0) onData(Buffer.alloc(0));
  };

  const received = (connection: Connection, text: string): void => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: envelopeId, payload } = message as { envelope_id?: unknown; payload?: unknown };
    if (typeof envelopeId !== 'string') return;
    const ack: SocketModeAck = {
      envelopeId,
      payload:
        typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined,
      connection: connection.id,
      at: Date.now(),
    };
    acks.push(ack);
    ackWaiters.get(envelopeId)?.(ack);
  };

  const send = (connection: Connection, message: Envelope): void => {
    writeFrame(connection.socket, opcodes.text, Buffer.from(JSON.stringify(message), 'utf8'));
  };

  const openConnections = (): Connection[] => connections.filter((connection) => connection.open);

  server.on('upgrade', accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}`;

  const sendEnvelope = async (
    type: string,
    payload: Envelope,
    extra: Envelope & { timeoutMs?: number } = {},
  ): Promise<SocketModeAck> => {
    const { timeoutMs = defaultTimeoutMs, ...fields } = extra;
    const connection = openConnections().at(-1);
    if (connection === undefined) throw new Error('no open Socket Mode connection to send on');
    const envelopeId = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const acknowledged = new Promise<SocketModeAck>((resolve, reject) => {
      ackWaiters.set(envelopeId, resolve);
      timer = setTimeout(
        () => reject(new Error(`no ack for the ${type} envelope ${envelopeId} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    send(connection, { envelope_id: envelopeId, payload, type, ...fields });
    try {
      return await acknowledged;
    } finally {
      clearTimeout(timer);
      ackWaiters.delete(envelopeId);
    }
  };

  return {
    url,
    connectionUrl() {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `${url}/link/?ticket=${ticket}&app_id=${appId}`;
    },
    connections,
    acks,
    openConnections,
    async waitForConnections(count, timeoutMs = defaultTimeoutMs) {
      const ready = (): Connection | undefined => {
        const newest = connections.at(-1);
        return connections.length >= count && newest?.open === true ? newest : undefined;
      };
      const now = ready();
      if (now !== undefined) return now;
      return await new Promise<FakeSocketConnection>((resolve, reject) => {
        const check = (): void => {
          const found = ready();
          if (found === undefined) return;
          clearTimeout(timer);
          connectionWaiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          connectionWaiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for Socket Mode connection ${count}`));
        }, timeoutMs);
        connectionWaiters.add(check);
      });
    },
    send: sendEnvelope,
    async slashCommand(fields) {
      return await sendEnvelope(
        'slash_commands',
        {
          ...slashCommandFields({ ...fields, appId, triggerId: `trigger-${randomUUID()}` }),
          is_enterprise_install: 'false',
        },
        { accepts_response_payload: true },
      );
    },
    async interactive(payload) {
      return await sendEnvelope('interactive', payload, { accepts_response_payload: false });
    },
    async event(event) {
      const eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      return await sendEnvelope(
        'events_api',
        { ...eventCallback(event, eventId, appId), is_ext_shared_channel: false },
        { accepts_response_payload: false, retry_attempt: 0, retry_reason: '' },
      );
    },
    requestDisconnect(reason = 'refresh_requested') {
      for (const connection of openConnections())
        send(connection, { type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } });
    },
    dropConnections() {
      for (const connection of openConnections()) {
        connection.open = false;
        connection.closedBy = 'server';
        const going = Buffer.alloc(2);
        going.writeUInt16BE(1001);
        writeFrame(connection.socket, opcodes.close, going);
        connection.socket.end();
      }
    },
    async close() {
      for (const connection of connections) connection.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Frame {
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Buffer;
  /** Bytes the frame took in the buffer. */
  readonly size: number;
}

/** One frame from the start of `buffer` (client frames are masked), or undefined when it is incomplete. */
function readFrame(buffer: Buffer): Frame | undefined {
  if (buffer.length < 2) return undefined;
  const first = buffer.readUInt8(0);
  const second = buffer.readUInt8(1);
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return undefined;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (masked)
    for (let index = 0; index < payload.length; index += 1) {
      payload[index] = (payload[index] ?? 0) ^ (buffer[maskOffset + (index % 4)] ?? 0);
    }
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, size: offset + length };
}

/** A single unmasked frame (servers never mask). */
function writeFrame(socket: Socket, opcode: number, payload: Buffer): void {
  if (socket.destroyed || !socket.writable) return;
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(126, 1);
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(127, 1);
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  socket.write(Buffer.concat([header, payload]));
}
