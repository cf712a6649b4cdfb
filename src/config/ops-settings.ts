import type { SettingDefinition } from './setting-definition.js';
import { optionalSetting, requiredSetting } from './setting-definition.js';
import {
  choiceValue,
  durationValue,
  integerValue,
  keyValueMapValue,
  listValue,
  textValue,
} from './value-kinds.js';

export const approvalDefaults = ['none', 'required'] as const;

/**
 * Turning alerts into operations: reconciling, repeat counts, template variables, alert lifetimes, approvals,
 * and the API (with the CLI that calls it) through which approvals and ops requests arrive.
 */
export const opsSettings = {
  reconcileConcurrency: requiredSetting({
    env: 'AEGIS_RECONCILE_CONCURRENCY',
    value: integerValue(1, 256),
    // 16, not 4: at 200 alerts/s more runs in flight let the template counters coalesce (0.74 → 0.24 guarded
    // writes per alert) and cut the process's CPU per alert by about a fifth (measured with bench/ops-e2e.ts).
    default: 16,
    description:
      'Alerts each process reconciles at once (match, render, create the Workflow, follow it); every key is still reconciled by one worker at a time.',
  }),
  countFlushIntervalMs: requiredSetting({
    env: 'AEGIS_COUNT_FLUSH_INTERVAL',
    value: durationValue(10, 60_000),
    default: 250,
    defaultText: '250ms',
    description:
      'How often repeat counts of firing alerts are written to their AegisAlert (repeats are counted in Redis meanwhile).',
  }),
  systemParameters: requiredSetting({
    env: 'AEGIS_SYSTEM_PARAMETERS',
    value: keyValueMapValue(),
    default: {},
    defaultText: '(none)',
    description:
      'key=value pairs added to every AegisAlert as annotations and to every template as variables, e.g. `cluster=gpu-prod`.',
  }),
  alertTtlAfterSuccessMs: requiredSetting({
    env: 'AEGIS_ALERT_TTL_AFTER_SUCCESS',
    value: durationValue(0, 365 * 86_400_000),
    default: 86_400_000,
    defaultText: '1d',
    description:
      'Default `spec.ttlStrategy.secondsAfterSuccess`: an alert is deleted this long after its workflow succeeded.',
  }),
  alertTtlAfterFailureMs: requiredSetting({
    env: 'AEGIS_ALERT_TTL_AFTER_FAILURE',
    value: durationValue(0, 365 * 86_400_000),
    default: 259_200_000,
    defaultText: '3d',
    description:
      'Default `spec.ttlStrategy.secondsAfterFailure`: deletion this long after its workflow failed.',
  }),
  alertTtlAfterNoOpsMs: requiredSetting({
    env: 'AEGIS_ALERT_TTL_AFTER_NOOPS',
    value: durationValue(0, 365 * 86_400_000),
    default: 86_400_000,
    defaultText: '1d',
    description:
      'Default `spec.ttlStrategy.secondsAfterNoOps`: deletion this long after an alert that ran nothing was resolved.',
  }),
  ruleNamespaces: optionalSetting({
    env: 'AEGIS_RULE_NAMESPACES',
    value: listValue(),
    description:
      'Namespaces rules and templates are read from besides AEGIS_NAMESPACE (comma-separated); unset: AEGIS_NAMESPACE only. Rules elsewhere never match.',
  }),
  workflowServiceAccounts: requiredSetting({
    env: 'AEGIS_WORKFLOW_SERVICE_ACCOUNTS',
    value: listValue(),
    default: ['aegis-workflow'],
    defaultText: 'aegis-workflow',
    description:
      'Service accounts a Workflow may run as (`spec.serviceAccountName`, comma-separated); any other, or none, stops the run with TemplateUnsafe.',
  }),
  alertTtlAfterUnmatchedMs: requiredSetting({
    env: 'AEGIS_ALERT_TTL_AFTER_UNMATCHED',
    value: durationValue(60_000, 365 * 86_400_000),
    default: 86_400_000,
    defaultText: '1d',
    description:
      'A firing alert that matched no rule (or too many) is deleted this long after its last delivery; a later delivery creates it again.',
  }),
  aegisUrl: optionalSetting({
    env: 'AEGIS_URL',
    value: textValue(),
    description:
      'Where the `aegis` CLI reaches a running Aegis (`aegis alert send`, `aegis approve`, `aegis reject`); default `http://127.0.0.1:8080`.',
  }),
  approvalDefault: requiredSetting({
    env: 'AEGIS_APPROVAL_DEFAULT',
    value: choiceValue(approvalDefaults),
    default: 'none',
    description:
      'Whether a rule without an `approval` block waits for a human: `none` (run at once, as upstream) or `required`.',
  }),
  apiTokens: optionalSetting({
    env: 'AEGIS_API_TOKEN',
    value: listValue(),
    secret: true,
    description:
      'Bearer tokens for the Aegis API (`/api/v1/...`: approvals, ops requests) used by the CLI, comma-separated; `U0123:token1` binds a token to that identity (then `--as` must match). Each token counts as one approver. Unset: the API is off.',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;
