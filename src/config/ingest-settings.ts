import type { SettingDefinition } from './setting-definition.js';
import { optionalSetting, requiredSetting } from './setting-definition.js';
import {
  byteSizeValue,
  choiceValue,
  durationValue,
  integerValue,
  listValue,
  textValue,
} from './value-kinds.js';

/** The alert webhooks (authentication, body limit, route prefix) and the ingest worker behind them. */
export const ingestSettings = {
  webhookTokens: optionalSetting({
    env: 'AEGIS_WEBHOOK_TOKEN',
    value: listValue(),
    secret: true,
    description:
      'Bearer token(s) the alert webhooks require (`Authorization: Bearer <token>`); several, comma-separated, for rotation.',
  }),
  webhookHmacSecret: optionalSetting({
    env: 'AEGIS_WEBHOOK_HMAC_SECRET',
    value: textValue(),
    secret: true,
    description:
      'Secret for `X-Aegis-Signature: sha256=<hex HMAC of <X-Aegis-Timestamp>.<body>>` on the alert webhooks; a signature is accepted once. With a token too, either one is enough.',
  }),
  webhookAuth: requiredSetting({
    env: 'AEGIS_WEBHOOK_AUTH',
    value: choiceValue(['required', 'none'] as const),
    default: 'required',
    description:
      '`required`: against a real cluster (kubeconfig or in-cluster) `aegis serve` refuses to start unless AEGIS_WEBHOOK_TOKEN or AEGIS_WEBHOOK_HMAC_SECRET is set (the sandbox is exempt); `none`: accept alerts from anyone who reaches the port (logged as a warning at start).',
  }),
  webhookHmacTimestamp: requiredSetting({
    env: 'AEGIS_WEBHOOK_HMAC_TIMESTAMP',
    value: choiceValue(['required', 'optional'] as const),
    default: 'required',
    description:
      '`required`: a signature must come with `X-Aegis-Timestamp` (Unix seconds, within 5 minutes); `optional`: a signature of the body alone is accepted too (it can be replayed after 10 minutes).',
  }),
  alertMaxDetails: requiredSetting({
    env: 'AEGIS_ALERT_MAX_DETAILS',
    value: integerValue(1, 100_000),
    default: 256,
    description:
      'Most details (labels and annotations) one alert may carry; an alert with more is refused (422 naming the alert and the limit).',
  }),
  alertMaxDetailsSize: requiredSetting({
    env: 'AEGIS_ALERT_MAX_DETAILS_SIZE',
    value: byteSizeValue(1_024, 16 * 1_048_576),
    default: 65_536,
    defaultText: '64KiB',
    description:
      "Largest total size of one alert's details (keys and values, UTF-8 bytes); a larger alert is refused (422 naming the alert and the limit).",
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
