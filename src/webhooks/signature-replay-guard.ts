/**
 * Remembers the webhook signatures already used, so a signed request replayed within the signature window
 * (a captured Firing posted again after the Resolved, to run the SOP a second time) is refused. The shared
 * implementation keeps them in Redis for all replicas (`createRedisSignatureReplayGuard` in controller/ingest);
 * the in-memory one serves a single process and tests.
 */
import type { SignatureReplayGuard } from '../core/ports/index.js';

export type { SignatureReplayGuard };

export function createMemorySignatureReplayGuard(now: () => number = Date.now): SignatureReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstUse(signature, ttlSeconds) {
      const at = now();
      if (seen.size > 100_000) for (const [key, until] of seen) if (until <= at) seen.delete(key);
      const until = seen.get(signature);
      if (until !== undefined && until > at) return Promise.resolve(false);
      seen.set(signature, at + ttlSeconds * 1000);
      return Promise.resolve(true);
    },
    release(signature) {
      seen.delete(signature);
      return Promise.resolve();
    },
  };
}
