/**
 * An over-limit body gets its 413 even while the client is still sending it: the server reads (bounded) the rest
 * of the body before answering, as curl and Python's urllib expect, instead of closing the connection under the
 * sender ("broken pipe" in about 1 of 15 tries before). Real routes, real ingest queue on a real Redis.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestQueue, type IngestQueue } from '../src/controller/ingest/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { startRedisProcess, type RedisProcess } from '../src/platform/index.js';
import { registerWebhookRoutes } from '../src/webhooks/index.js';

let redis: RedisProcess;
let intake: IngestQueue;
let server: HttpServer;
let port: number;

beforeAll(async () => {
  redis = await startRedisProcess();
  intake = createIngestQueue({
    redisUrl: redis.url,
    prefix: 'drain-test',
    logger: silentLogger,
    dedupWindowSeconds: 600,
  });
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  server = createHttpServer({ logger: silentLogger, metrics });
  registerWebhookRoutes(server.app, { intake, metrics, bodyLimitBytes: 64 * 1024 });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  port = Number(new URL(url).port);
}, 60_000);

afterAll(async () => {
  await server.close();
  await intake.close();
  await redis.stop();
});

/** Posts `total` bytes in 16 KiB writes, as fast as the socket takes them, and reads the answer. */
async function sendLarge(total: number, chunked: boolean): Promise<{ answer: string; writeError?: string }> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let writeError: string | undefined;
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      writeError ??= error.code ?? error.message;
    });
    socket.on('close', () => resolve(writeError === undefined ? { answer } : { answer, writeError }));
    const lengthHeader = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`;
    socket.write(
      `POST /default/alert HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${lengthHeader}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(16 * 1024, 'x');
    let sent = 0;
    const writeMore = (): void => {
      while (sent < total && !socket.destroyed) {
        sent += chunk.length;
        const data = chunked
          ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
          : chunk;
        if (!socket.write(data)) {
          socket.once('drain', writeMore);
          return;
        }
      }
      if (!socket.destroyed) {
        if (chunked) socket.end('0\r\n\r\n');
        else socket.end();
      }
    };
    writeMore();
  });
}

describe('over-limit webhook bodies', () => {
  it('answer 413 to a client still sending (Content-Length and chunked, 8 tries each, 16 MiB)', async () => {
    for (const chunked of [false, true]) {
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const { answer, writeError } = await sendLarge(16 * 1024 * 1024, chunked);
        expect(writeError, `try ${attempt + 1}, chunked=${chunked}`).toBeUndefined();
        expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
        expect(answer).toContain('"error":"the body is larger than the limit of 64 KiB"');
      }
    }
  }, 120_000);
});
