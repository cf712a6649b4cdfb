import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with child bindings, honours the level and redacts secrets', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.child({ component: 'http' }).info({ port: 8080, token: 'xoxb-1' }, 'listening');
    logger.debug('hidden');
    logger.warn('plain message');
    const [first, second, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      level: 30,
      service: 'aegis',
      component: 'http',
      port: 8080,
      token: '<redacted>',
      msg: 'listening',
    });
    expect(typeof first?.time).toBe('string');
    expect(second).toMatchObject({ level: 40, msg: 'plain message' });
  });
});
