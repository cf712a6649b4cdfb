import { Redis } from 'ioredis';

/**
 * One connection attempt to the Redis at `url` (with its credentials, database and TLS), PING, and disconnect.
 * No retries, no offline queue and no 'error' event left unhandled: start-up waits call it on their own
 * schedule and decide what to log. Throws with the connection error's message.
 */
export async function probeRedis(url: string, timeoutMs = 3_000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    connectionName: 'aegis-startup-probe',
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    const answer = await redis.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${JSON.stringify(answer)}`);
  } catch (error) {
    // connect() rejects with a bare "Connection is closed."; the 'error' event carried the reason.
    const reason = lastError ?? (error instanceof Error ? error : new Error(String(error)));
    throw new Error(describeRedisError(reason), { cause: error });
  } finally {
    redis.disconnect();
  }
}

function describeRedisError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (error.message === 'Connection is closed.' || code === undefined) return error.message;
  return error.message.includes(code) ? error.message : `${code}: ${error.message}`;
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}
