import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Where ports are looked for when the kernel's ephemeral range is known: below it, above this. */
const lowestPort = 10_000;
const attempts = 50;

/**
 * The kernel's ephemeral port range (`ip_local_port_range`), or undefined where it cannot be read. Outgoing
 * connections take their local ports from it, so a port found free inside it can be taken by any client socket
 * (a Redis or HTTP connection of another test) before the caller binds it.
 */
function ephemeralRange(): { low: number; high: number } | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return low !== undefined && high !== undefined && low > 0 && high >= low ? { low, high } : undefined;
  } catch {
    return undefined;
  }
}

async function canListen(port: number, host: string): Promise<boolean> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
  if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  return listening;
}

async function kernelChosenPort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP port that was free on `host` a moment ago. It is picked at random *below* the kernel's ephemeral
 * range, so no outgoing connection can be given it in the meantime, and parallel callers rarely pick the same
 * one; where that range is unknown (or leaves no room), the kernel chooses. Another process can still take the
 * port before the caller binds it, so callers that spawn servers retry on "address in use".
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const range = ephemeralRange();
  if (range !== undefined && range.low - lowestPort >= 1_000) {
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const port = lowestPort + Math.floor(Math.random() * (range.low - lowestPort));
      if (await canListen(port, host)) return port;
    }
  }
  return await kernelChosenPort(host);
}
