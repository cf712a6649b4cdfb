import { connect } from 'node:net';

/**
 * Send one inline command over a fresh TCP connection and return the reply (simple or bulk string).
 * Deliberately not ioredis: start-up probes must fail fast and quietly, without reconnects or queues.
 */
export async function sendRedisCommand(
  host: string,
  port: number,
  command: string,
  timeoutMs = 1_000,
): Promise<string> {
  return await new Promise<string>((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, reply = ''): void => {
      socket.destroy();
      if (error === undefined) resolve(reply);
      else reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(new Error(`no answer from redis at ${host}:${port} within ${timeoutMs} ms`)),
    );
    socket.once('error', (error) => finish(error));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const lineEnd = received.indexOf('\r\n');
      if (lineEnd < 0) return;
      const line = received.subarray(0, lineEnd).toString('latin1');
      if (line.startsWith('+')) return finish(undefined, line.slice(1));
      if (line.startsWith('-'))
        return finish(new Error(`redis at ${host}:${port} answered ${command}: ${line.slice(1)}`));
      if (!line.startsWith('$'))
        return finish(new Error(`unexpected reply from redis at ${host}:${port}: ${JSON.stringify(line)}`));
      const length = Number(line.slice(1));
      if (received.length >= lineEnd + 2 + length) {
        finish(undefined, received.subarray(lineEnd + 2, lineEnd + 2 + length).toString('utf8'));
      }
    });
  });
}

/** Resolve when the Redis at host:port answers PING with PONG. */
export async function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<void> {
  const reply = await sendRedisCommand(host, port, 'PING', timeoutMs);
  if (reply !== 'PONG')
    throw new Error(`redis at ${host}:${port} answered PING with ${JSON.stringify(reply)}`);
}

/** The process id the Redis at host:port reports (INFO server), to tell our server from another one. */
export async function redisProcessId(host: string, port: number, timeoutMs = 1_000): Promise<number> {
  const info = await sendRedisCommand(host, port, 'INFO server', timeoutMs);
  const match = /^process_id:(\d+)/m.exec(info);
  if (match?.[1] === undefined) throw new Error(`redis at ${host}:${port} did not report its process_id`);
  return Number(match[1]);
}
