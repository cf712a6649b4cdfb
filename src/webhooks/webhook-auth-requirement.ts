/**
 * Whether `aegis serve` may start with the webhook authentication it was given. Against a real cluster, alerts
 * run SOPs (the shipped example cordons nodes), so webhooks without a token or an HMAC secret are refused unless
 * the operator says so with AEGIS_WEBHOOK_AUTH=none, which is then logged as a warning at every start. The
 * sandbox (the quick start, nothing real to act on) needs neither.
 */
export type WebhookAuthDecision = { ok: true; warning?: string } | { ok: false; message: string };

export function webhookAuthRequirement(input: {
  /** AEGIS_WEBHOOK_TOKEN or AEGIS_WEBHOOK_HMAC_SECRET is set. */
  configured: boolean;
  /** AEGIS_WEBHOOK_AUTH. */
  mode: 'required' | 'none';
  /** The Kubernetes target is the built-in sandbox. */
  sandbox: boolean;
}): WebhookAuthDecision {
  if (input.configured || input.sandbox) return { ok: true };
  if (input.mode === 'none') {
    return {
      ok: true,
      warning:
        'the alert webhooks accept alerts from anyone who reaches the port (AEGIS_WEBHOOK_AUTH=none); set AEGIS_WEBHOOK_TOKEN or AEGIS_WEBHOOK_HMAC_SECRET',
    };
  }
  return {
    ok: false,
    message:
      'the alert webhooks have no authentication and this is a real cluster: set AEGIS_WEBHOOK_TOKEN (bearer token, what Alertmanager sends) or AEGIS_WEBHOOK_HMAC_SECRET (signed requests), or AEGIS_WEBHOOK_AUTH=none to accept alerts from anyone who reaches the port',
  };
}
