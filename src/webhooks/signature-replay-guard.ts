/**
 * Remembers the webhook signatures already used, so a signed request replayed within the signature window
 * (a captured Firing posted again after the Resolved, to run the SOP a second time) is refused. The shared
 * implementation keeps them in Redis for all replicas (`createRedisSignatureReplayGuard` in controller/ingest);
 * the in-memory one serves a single process and tests.
 */
export interface SignatureReplayGuard {
  /** Records `signature` for `ttlSeconds`; false when it was already recorded (a replay). */
  firstUse(signature: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets `signature`: its request was not accepted (5xx), so the sender may retry it. */
  release(signature: string): Promise<void>;
}

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
