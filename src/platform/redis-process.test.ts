import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { createRedisHealth, pingRedis, startRedisProcess, type RedisProcess } from './index.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startRedisProcess', () => {
  let redis: RedisProcess;

  beforeAll(async () => {
    redis = await startRedisProcess();
  });

  afterAll(async () => {
    await redis.stop();
  });

  it('starts a server on a loopback port that answers commands', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    await pingRedis('127.0.0.1', redis.port);
    const client = new Redis(redis.url);
    try {
      await client.set('aegis:test', 'value');
      expect(await client.get('aegis:test')).toBe('value');
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      await client.quit();
    }
  });

  it('stops the process by pid and waits for it to exit', async () => {
    const other = await startRedisProcess();
    expect(isAlive(other.pid)).toBe(true);
    await other.stop();
    expect(isAlive(other.pid)).toBe(false);
    await expect(pingRedis('127.0.0.1', other.port, 200)).rejects.toThrow();
    await other.stop();
  });

  it('explains how to install redis-server when the binary is missing', async () => {
    await expect(startRedisProcess({ binary: 'redis-server-that-does-not-exist' })).rejects.toMatchObject({
      code: 'REDIS_SERVER_MISSING',
      message: expect.stringContaining('install it with: apt-get install -y redis-server'),
    });
  });

  it('reports a port that is already taken', async () => {
    await expect(startRedisProcess({ port: redis.port })).rejects.toMatchObject({
      code: 'REDIS_PORT_IN_USE',
    });
  });
});

describe('createRedisHealth', () => {
  it('passes while Redis answers and names the problem once it is gone', async () => {
    const server = await startRedisProcess();
    const health = createRedisHealth(server.url, silentLogger);
    try {
      await expect
        .poll(async () =>
          health.check().then(
            () => 'ok',
            (error: Error) => error.message,
          ),
        )
        .toBe('ok');
      await server.stop();
      await expect
        .poll(async () =>
          health.check().then(
            () => 'ok',
            (error: Error) => error.message,
          ),
        )
        .toMatch(/not connected|ECONNREFUSED|Connection is closed/);
    } finally {
      await health.close();
      await server.stop();
    }
  });
});
