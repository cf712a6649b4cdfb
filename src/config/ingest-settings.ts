import type { SettingDefinition } from './setting-definition.js';
import { optionalSetting, requiredSetting } from './setting-definition.js';
import { byteSizeValue, durationValue, integerValue, listValue, textValue } from './value-kinds.js';

/** The alert webhooks (authentication, body limit, route prefix) and the ingest worker behind them. */
export const ingestSettings = {
  webhookTokens: optionalSetting({
    env: 'AEGIS_WEBHOOK_TOKEN',
    value: listValue(),
    secret: true,
    description:
      'Bearer token(s) the alert webhooks require (`Authorization: Bearer <token>`); several, comma-separated, for rotation. Unset: no token check.',
  }),
  webhookHmacSecret: optionalSetting({
    env: 'AEGIS_WEBHOOK_HMAC_SECRET',
    value: textValue(),
    secret: true,
    description:
      'Secret for `X-Aegis-Signature: sha256=<hex HMAC of the body>` on the alert webhooks. With a token too, either one is enough.',
  }),
  webhookBodyLimit: requiredSetting({
    env: 'AEGIS_WEBHOOK_BODY_LIMIT',
    value: byteSizeValue(1_024, 64 * 1_048_576),
    default: 1_048_576,
    defaultText: '1MiB',
    description: 'Largest webhook body accepted, in bytes (`1MiB`, `512KiB` also work); larger ones get 413.',
  }),
  routePrefix: optionalSetting({
    env: 'AEGIS_ROUTE_PREFIX',
    value: textValue(),
    description: "Path prefix for the webhook routes (upstream's `--web.route-prefix`), e.g. `/aegis`.",
  }),
  ingestConcurrency: requiredSetting({
    env: 'AEGIS_INGEST_CONCURRENCY',
    value: integerValue(1, 256),
    default: 16,
    description: 'Alerts each process turns into AegisAlert objects at the same time.',
  }),
  dedupWindowMs: requiredSetting({
    env: 'AEGIS_DEDUP_WINDOW',
    value: durationValue(1_000, 7 * 86_400_000),
    default: 3_600_000,
    defaultText: '1h',
    description:
      'How long a delivery is remembered, so that a sender retrying the same alert (same fingerprint, status and start time) creates one job.',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;
