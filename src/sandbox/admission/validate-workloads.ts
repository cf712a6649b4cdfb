/**
 * Server-side validation of the built-in kinds Aegis's install manifests use (apps/v1 Deployment, v1 Service,
 * policy/v1 PodDisruptionBudget, rbac.authorization.k8s.io/v1 roles and bindings), worded as kube-apiserver
 * 1.32 words it. Not the whole of Kubernetes validation: the mistakes an install manifest makes (selector and
 * labels apart, a container without image, a probe without handler, two ports without names, both
 * minAvailable and maxUnavailable, a binding to an unknown role kind) and unknown top-level spec fields, which
 * kubectl's default strict field validation refuses.
 */
import { apiErrors } from '../api-error.js';
import type { FieldCause, KubeObject } from '../types.js';
import type { FieldValidation } from './admit-objects.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asObject = (value: unknown): Json => (isObject(value) ? value : {});
/** A JSON value as text: strings as they are, anything else as JSON. */
const text = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const required = (field: string): FieldCause => ({
  reason: 'FieldValueRequired',
  field,
  message: 'Required value',
});
const invalid = (field: string, value: unknown, why: string): FieldCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});
const unsupported = (field: string, value: unknown, allowed: readonly string[]): FieldCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((v) => `"${v}"`).join(', ')}`,
});

const knownSpecFields: Record<string, readonly string[]> = {
  'apps/Deployment': [
    'replicas',
    'selector',
    'template',
    'strategy',
    'minReadySeconds',
    'revisionHistoryLimit',
    'paused',
    'progressDeadlineSeconds',
  ],
  '/Service': [
    'ports',
    'selector',
    'clusterIP',
    'clusterIPs',
    'type',
    'externalIPs',
    'sessionAffinity',
    'loadBalancerIP',
    'loadBalancerSourceRanges',
    'externalName',
    'externalTrafficPolicy',
    'healthCheckNodePort',
    'publishNotReadyAddresses',
    'sessionAffinityConfig',
    'ipFamilies',
    'ipFamilyPolicy',
    'allocateLoadBalancerNodePorts',
    'loadBalancerClass',
    'internalTrafficPolicy',
    'trafficDistribution',
  ],
  'policy/PodDisruptionBudget': ['minAvailable', 'maxUnavailable', 'selector', 'unhealthyPodEvictionPolicy'],
};

const validators: Record<string, (object: KubeObject) => FieldCause[]> = {
  'apps/Deployment': validateDeployment,
  '/Service': validateService,
  'policy/PodDisruptionBudget': validatePodDisruptionBudget,
  'rbac.authorization.k8s.io/Role': (object) => validateRules(object, false),
  'rbac.authorization.k8s.io/ClusterRole': (object) => validateRules(object, true),
  'rbac.authorization.k8s.io/RoleBinding': (object) => validateBinding(object, false),
  'rbac.authorization.k8s.io/ClusterRoleBinding': (object) => validateBinding(object, true),
};

/**
 * Refuse a built-in object kube-apiserver would refuse: 400 for unknown spec fields under Strict field
 * validation, 422 Invalid with one cause per field otherwise. `previous` is the stored object on update.
 */
export function admitBuiltinObject(
  group: string,
  kind: string,
  object: KubeObject,
  fieldValidation: FieldValidation,
  previous?: KubeObject,
): void {
  const key = `${group}/${kind}`;
  const known = knownSpecFields[key];
  if (known !== undefined && fieldValidation === 'Strict') {
    const unknown = Object.keys(asObject(object['spec'])).filter((field) => !known.includes(field));
    if (unknown.length > 0) {
      throw apiErrors.badRequest(
        `${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((f) => `unknown field "spec.${f}"`).join(', ')}`,
      );
    }
  }
  const causes = validators[key]?.(object) ?? [];
  if (previous !== undefined && kind.endsWith('Binding') && group === 'rbac.authorization.k8s.io') {
    if (JSON.stringify(previous['roleRef']) !== JSON.stringify(object['roleRef']))
      causes.push(invalid('roleRef', object['roleRef'], 'cannot change roleRef'));
  }
  if (previous !== undefined && key === 'apps/Deployment') {
    const before = asObject(previous['spec'])['selector'];
    const after = asObject(object['spec'])['selector'];
    if (JSON.stringify(before) !== JSON.stringify(after))
      causes.push(invalid('spec.selector', after, 'field is immutable'));
  }
  if (causes.length > 0) throw apiErrors.invalid(kind, group, object.metadata.name ?? '', causes);
}

function matchLabelsOf(selector: Json): Record<string, string> {
  return asObject(selector['matchLabels']) as Record<string, string>;
}

function selectorMatches(selector: Json, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(matchLabelsOf(selector))) if (labels[key] !== value) return false;
  for (const expression of asArray(selector['matchExpressions'])) {
    const { key, operator, values } = asObject(expression) as {
      key?: string;
      operator?: string;
      values?: string[];
    };
    const present = key !== undefined && key in labels;
    const value = key === undefined ? undefined : labels[key];
    if (operator === 'In' && !(value !== undefined && (values ?? []).includes(value))) return false;
    if (operator === 'NotIn' && value !== undefined && (values ?? []).includes(value)) return false;
    if (operator === 'Exists' && !present) return false;
    if (operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

function validateDeployment(object: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec = asObject(object['spec']);
  const replicas = spec['replicas'];
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0))
    causes.push(invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  const selector = spec['selector'];
  const template = asObject(spec['template']);
  const labels = asObject(asObject(template['metadata'])['labels']) as Record<string, string>;
  if (!isObject(selector)) causes.push(required('spec.selector'));
  else if (
    Object.keys(matchLabelsOf(selector)).length === 0 &&
    asArray(selector['matchExpressions']).length === 0
  )
    causes.push(invalid('spec.selector', selector, 'empty selector is invalid for deployment'));
  else if (!selectorMatches(selector, labels))
    causes.push(
      invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  const strategy = asObject(spec['strategy']);
  if (strategy['type'] !== undefined && !['RollingUpdate', 'Recreate'].includes(text(strategy['type'])))
    causes.push(unsupported('spec.strategy.type', strategy['type'], ['Recreate', 'RollingUpdate']));
  if (strategy['type'] === 'Recreate' && strategy['rollingUpdate'] !== undefined)
    causes.push({
      reason: 'FieldValueForbidden',
      field: 'spec.strategy.rollingUpdate',
      message: "Forbidden: may not be specified when strategy `type` is 'Recreate'",
    });
  const rolling = asObject(strategy['rollingUpdate']);
  if (rolling['maxUnavailable'] === 0 && rolling['maxSurge'] === 0)
    causes.push(
      invalid('spec.strategy.rollingUpdate.maxUnavailable', 0, 'may not be 0 when `maxSurge` is 0'),
    );
  causes.push(...validatePodSpec(asObject(template['spec']), 'spec.template.spec'));
  return causes;
}

const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

function validatePodSpec(spec: Json, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const restartPolicy = spec['restartPolicy'];
  if (restartPolicy !== undefined && restartPolicy !== 'Always')
    causes.push(unsupported(`${path}.restartPolicy`, restartPolicy, ['Always']));
  const containers = asArray(spec['containers']);
  if (containers.length === 0) causes.push(required(`${path}.containers`));
  const volumeNames = new Set(asArray(spec['volumes']).map((volume) => text(asObject(volume)['name'])));
  const names = new Set<string>();
  containers.forEach((entry, index) => {
    const container = asObject(entry);
    const at = `${path}.containers[${index}]`;
    const name = container['name'];
    if (typeof name !== 'string' || name === '') causes.push(required(`${at}.name`));
    else if (names.has(name))
      causes.push({
        reason: 'FieldValueDuplicate',
        field: `${at}.name`,
        message: `Duplicate value: "${name}"`,
      });
    else names.add(name);
    if (typeof container['image'] !== 'string' || container['image'] === '')
      causes.push(required(`${at}.image`));
    const portNames = new Set<string>();
    asArray(container['ports']).forEach((port, portIndex) => {
      const { containerPort, name: portName } = asObject(port);
      if (typeof containerPort !== 'number' || containerPort < 1 || containerPort > 65535)
        causes.push(
          invalid(
            `${at}.ports[${portIndex}].containerPort`,
            containerPort,
            'must be between 1 and 65535, inclusive',
          ),
        );
      if (typeof portName === 'string') {
        if (portName.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(portName))
          causes.push(
            invalid(
              `${at}.ports[${portIndex}].name`,
              portName,
              'must be no more than 15 characters and an IANA_SVC_NAME',
            ),
          );
        if (portNames.has(portName))
          causes.push({
            reason: 'FieldValueDuplicate',
            field: `${at}.ports[${portIndex}].name`,
            message: `Duplicate value: "${portName}"`,
          });
        portNames.add(portName);
      }
    });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (container[probe] === undefined) continue;
      const handlers = probeHandlers.filter((handler) => asObject(container[probe])[handler] !== undefined);
      if (handlers.length === 0)
        causes.push({
          reason: 'FieldValueRequired',
          field: `${at}.${probe}`,
          message: 'Required value: must specify a handler type',
        });
      if (handlers.length > 1)
        causes.push({
          reason: 'FieldValueForbidden',
          field: `${at}.${probe}.${handlers[1] ?? ''}`,
          message: 'Forbidden: may not specify more than 1 handler type',
        });
      const httpGet = asObject(asObject(container[probe])['httpGet']);
      const port = httpGet['port'];
      if (
        typeof port === 'string' &&
        asObject(container[probe])['httpGet'] !== undefined &&
        !portNames.has(port) &&
        !/^\d+$/.test(port)
      )
        causes.push(
          invalid(`${at}.${probe}.httpGet.port`, port, 'must contain a named port of the container'),
        );
    }
    const resources = asObject(container['resources']);
    const requests = asObject(resources['requests']);
    const limits = asObject(resources['limits']);
    for (const [resource, limit] of Object.entries(limits)) {
      const request = requests[resource];
      if (request !== undefined && quantity(request) > quantity(limit))
        causes.push(
          invalid(
            `${at}.resources.requests`,
            text(request),
            `must be less than or equal to ${resource} limit of ${text(limit)}`,
          ),
        );
    }
    asArray(container['volumeMounts']).forEach((mount, mountIndex) => {
      const volume = text(asObject(mount)['name']);
      if (!volumeNames.has(volume))
        causes.push({
          reason: 'FieldValueNotFound',
          field: `${at}.volumeMounts[${mountIndex}].name`,
          message: `Not found: "${volume}"`,
        });
    });
  });
  return causes;
}

const suffixes: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A resource quantity (`100m`, `256Mi`, `2`) as a number, for request ≤ limit comparisons. */
function quantity(value: unknown): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(text(value));
  if (match === null) return Number.NaN;
  return Number(match[1]) * (match[2] === '' ? 1 : (suffixes[match[2] ?? ''] ?? Number.NaN));
}

const serviceTypes = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

function validateService(object: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec = asObject(object['spec']);
  const type = spec['type'] ?? 'ClusterIP';
  if (!serviceTypes.includes(type as (typeof serviceTypes)[number]))
    causes.push(unsupported('spec.type', type, serviceTypes));
  const ports = asArray(spec['ports']);
  const headless = spec['clusterIP'] === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless) causes.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((entry, index) => {
    const port = asObject(entry);
    const at = `spec.ports[${index}]`;
    if (ports.length > 1 && (typeof port['name'] !== 'string' || port['name'] === ''))
      causes.push(required(`${at}.name`));
    if (typeof port['name'] === 'string' && port['name'] !== '') {
      if (names.has(port['name']))
        causes.push({
          reason: 'FieldValueDuplicate',
          field: `${at}.name`,
          message: `Duplicate value: "${port['name']}"`,
        });
      names.add(port['name']);
    }
    const number = port['port'];
    if (typeof number !== 'number' || number < 1 || number > 65535)
      causes.push(
        number === undefined
          ? required(`${at}.port`)
          : invalid(`${at}.port`, number, 'must be between 1 and 65535, inclusive'),
      );
    const protocol = port['protocol'];
    if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(text(protocol)))
      causes.push(unsupported(`${at}.protocol`, protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return causes;
}

function validatePodDisruptionBudget(object: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec = asObject(object['spec']);
  if (spec['minAvailable'] !== undefined && spec['maxUnavailable'] !== undefined)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec',
      message: 'Invalid value: minAvailable and maxUnavailable cannot be both set',
    });
  for (const field of ['minAvailable', 'maxUnavailable'] as const) {
    const value = spec[field];
    if (value === undefined) continue;
    const valid =
      (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
      (typeof value === 'string' && /^\d+%$/.test(value) && Number(value.slice(0, -1)) <= 100);
    if (!valid)
      causes.push(
        invalid(
          `spec.${field}`,
          value,
          typeof value === 'number'
            ? 'must be greater than or equal to 0'
            : 'must be an integer or percentage (e.g 5%)',
        ),
      );
  }
  const policy = spec['unhealthyPodEvictionPolicy'];
  if (policy !== undefined && !['IfHealthyBudget', 'AlwaysAllow'].includes(text(policy)))
    causes.push(unsupported('spec.unhealthyPodEvictionPolicy', policy, ['AlwaysAllow', 'IfHealthyBudget']));
  return causes;
}

function validateRules(object: KubeObject, cluster: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  asArray(object['rules']).forEach((entry, index) => {
    const rule = asObject(entry);
    const at = `rules[${index}]`;
    if (asArray(rule['verbs']).length === 0) causes.push(required(`${at}.verbs`));
    const nonResource = asArray(rule['nonResourceURLs']);
    if (nonResource.length > 0) {
      if (!cluster)
        causes.push(
          invalid(`${at}.nonResourceURLs`, nonResource, 'namespaced rules cannot apply to non-resource URLs'),
        );
      if (asArray(rule['resources']).length > 0 || asArray(rule['apiGroups']).length > 0)
        causes.push(
          invalid(
            `${at}.nonResourceURLs`,
            nonResource,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
    } else {
      if (rule['apiGroups'] === undefined || !Array.isArray(rule['apiGroups']))
        causes.push(required(`${at}.apiGroups`));
      if (asArray(rule['resources']).length === 0) causes.push(required(`${at}.resources`));
    }
  });
  return causes;
}

function validateBinding(object: KubeObject, cluster: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  const roleRef = asObject(object['roleRef']);
  const kinds = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (roleRef['apiGroup'] !== 'rbac.authorization.k8s.io')
    causes.push(unsupported('roleRef.apiGroup', roleRef['apiGroup'] ?? '', ['rbac.authorization.k8s.io']));
  if (!kinds.includes(text(roleRef['kind'])))
    causes.push(unsupported('roleRef.kind', roleRef['kind'] ?? '', kinds));
  if (typeof roleRef['name'] !== 'string' || roleRef['name'] === '') causes.push(required('roleRef.name'));
  asArray(object['subjects']).forEach((entry, index) => {
    const subject = asObject(entry);
    const at = `subjects[${index}]`;
    if (!['ServiceAccount', 'User', 'Group'].includes(text(subject['kind'])))
      causes.push(unsupported(`${at}.kind`, subject['kind'] ?? '', ['Group', 'ServiceAccount', 'User']));
    if (typeof subject['name'] !== 'string' || subject['name'] === '') causes.push(required(`${at}.name`));
    if (
      subject['kind'] === 'ServiceAccount' &&
      cluster &&
      (typeof subject['namespace'] !== 'string' || subject['namespace'] === '')
    )
      causes.push(required(`${at}.namespace`));
  });
  return causes;
}
