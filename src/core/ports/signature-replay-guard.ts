/** Webhook signatures already used, so a replayed signed request is refused (see src/webhooks). */
export interface SignatureReplayGuard {
  /** Records `signature` for `ttlSeconds`; false when it was already recorded (a replay). */
  firstUse(signature: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets `signature`: its request was not accepted (5xx), so the sender may retry it. */
  release(signature: string): Promise<void>;
}
