import { requiredSetting } from './setting-definition.js';
import { choiceValue, durationValue, integerValue, namespaceValue } from './value-kinds.js';

export const switchValues = ['true', 'false'] as const;

/** Scheduled inspections: AegisNodeHealthCheck and AegisClusterHealthCheck. */
export const healthCheckSettings = {
  healthChecks: requiredSetting({
    env: 'AEGIS_HEALTHCHECKS',
    value: choiceValue(switchValues),
    default: 'true',
    description: 'Run the node and cluster health-check controllers (`true` or `false`).',
  }),
  healthCheckNamespace: requiredSetting({
    env: 'AEGIS_HEALTHCHECK_NAMESPACE',
    value: namespaceValue(),
    default: 'aegis-healthchecks',
    description:
      'Namespace of the health checks `aegis check` and `/aegis check` create and list; the RBAC in manifest/deploy lets Aegis run checker pods there (and only there). Created on the sandbox.',
  }),
  healthCheckNodeTimeoutMs: requiredSetting({
    env: 'AEGIS_HEALTHCHECK_NODE_TIMEOUT',
    value: durationValue(1_000, 86_400_000),
    default: 300_000,
    defaultText: '5m',
    description: 'How long a checker pod may run when its AegisNodeHealthCheck has no `spec.timeout`.',
  }),
  healthCheckRoundTimeoutMs: requiredSetting({
    env: 'AEGIS_HEALTHCHECK_ROUND_TIMEOUT',
    value: durationValue(1_000, 86_400_000),
    default: 600_000,
    defaultText: '10m',
    description:
      'How long a cluster-check round may take when its AegisClusterHealthCheck has no `spec.timeout`; unfinished nodes are reported as not checked.',
  }),
  healthCheckHistory: requiredSetting({
    env: 'AEGIS_HEALTHCHECK_HISTORY',
    value: integerValue(1, 100),
    default: 10,
    description: 'Rounds kept in `status.history` of each AegisClusterHealthCheck.',
  }),
  healthCheckNodeEvents: requiredSetting({
    env: 'AEGIS_HEALTHCHECK_NODE_EVENTS',
    value: choiceValue(switchValues),
    default: 'false',
    description:
      'Also record a Warning Event on the Node for every failing check item (upstream `--nodecheck.fireevent`).',
  }),
  healthCheckAlerts: requiredSetting({
    env: 'AEGIS_HEALTHCHECK_ALERTS',
    value: choiceValue(switchValues),
    default: 'true',
    description:
      'Raise every failing check item as a `NodeHealthCheckFailed` AegisAlert on its Node (resolved when a later round passes).',
  }),
};
