import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort } from './free-port.js';

function ephemeralLow(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
}

async function listenOn(port: number): Promise<() => Promise<void>> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('findFreePort', () => {
  it('returns a port the caller can listen on', async () => {
    const close = await listenOn(await findFreePort());
    await close();
  });

  it('stays below the ephemeral range, where outgoing connections cannot take the port meanwhile', async () => {
    const low = ephemeralLow();
    if (low === undefined || low < 11_000) return; // no such range here: the kernel chooses
    const ports = await Promise.all(Array.from({ length: 20 }, () => findFreePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
    }
    // Spread out, so parallel test processes rarely collide.
    expect(new Set(ports).size).toBeGreaterThan(15);
  });

  it('never returns a port that is taken', async () => {
    const taken: (() => Promise<void>)[] = [];
    try {
      for (let i = 0; i < 30; i += 1) taken.push(await listenOn(await findFreePort()));
    } finally {
      await Promise.all(taken.map((close) => close()));
    }
    expect(taken).toHaveLength(30);
  });
});
