/**
 * An ops request: an operator (CLI, HTTP API, later `/aegis run` and the agent's proposals) asks to run an
 * AegisOpsTemplate with given parameters. It becomes an AegisAlert with `spec.source: OpsRequest`, so it is
 * tracked like an alert and visible with `kubectl get aegisalerts`; the alert reconciler renders the template
 * with exactly these parameters (`buildRunVariables`) and always asks for approval (anyone but the requester).
 */
import { sanitiseLabelValue, type AegisAlertObject } from '../alerts/index.js';
import { opsRequestSource, type OpsRequest } from '../resources/index.js';

/** `spec.type` of an ops request (never matched by rules: the reconciler branches on `spec.source` first). */
export const opsRequestAlertType = 'OpsRequest';

export interface OpsRequestInput {
  /** The template to run; its namespace defaults to the namespace alerts are published in. */
  template: { namespace?: string | undefined; name: string };
  parameters?: Readonly<Record<string, string>> | undefined;
  requestedBy: string;
  reason?: string | undefined;
}

export type OpsRequestObject = AegisAlertObject & {
  spec: AegisAlertObject['spec'] & { opsRequest: OpsRequest };
};

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const parameterName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const limits = { parameters: 64, value: 4_096, requestedBy: 256, reason: 2_048 } as const;

/** What is wrong with a request, one sentence per problem; empty when it can be created. */
export function opsRequestProblems(input: OpsRequestInput): string[] {
  const problems: string[] = [];
  const { name, namespace } = input.template;
  if (name.length > 253 || !dnsSubdomain.test(name))
    problems.push(`template.name "${name}" is not a valid object name`);
  if (namespace !== undefined && (namespace.length > 63 || !dnsLabel.test(namespace)))
    problems.push(`template.namespace "${namespace}" is not a valid namespace`);
  const parameters = Object.entries(input.parameters ?? {});
  if (parameters.length > limits.parameters) problems.push(`at most ${limits.parameters} parameters`);
  for (const [key, value] of parameters) {
    if (!parameterName.test(key))
      problems.push(`parameter name "${key}" must be letters, digits and _ (a template variable name)`);
    if (typeof value !== 'string') problems.push(`parameter ${key} must be a string`);
    else if (value.length > limits.value) problems.push(`parameter ${key} is longer than ${limits.value}`);
  }
  if (input.requestedBy.trim() === '') problems.push('requestedBy is required');
  if (input.requestedBy.length > limits.requestedBy) problems.push('requestedBy is too long');
  if ((input.reason ?? '').length > limits.reason) problems.push(`reason is longer than ${limits.reason}`);
  return problems;
}

/**
 * The AegisAlert to create for the request in `namespace`. Status is written afterwards through /status
 * (`status: Firing`, `count: 1`); the alert reconciler takes it from there.
 */
export function buildOpsRequestObject(
  input: OpsRequestInput,
  options: { namespace: string },
): OpsRequestObject {
  const template = { namespace: input.template.namespace ?? options.namespace, name: input.template.name };
  const parameters = { ...(input.parameters ?? {}) };
  const labels: Record<string, string> = {
    'alert-source-type': opsRequestSource,
    'alert-type': opsRequestAlertType,
    'alert-status': 'Firing',
    'ops-template': sanitiseLabelValue(template.name),
  };
  const node = parameters['node'];
  const opsRequest: OpsRequest = {
    template,
    parameters,
    requestedBy: input.requestedBy,
    ...(input.reason === undefined || input.reason === '' ? {} : { reason: input.reason }),
  };
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: {
      generateName: `opsrequest-${template.name.slice(0, 40).replace(/[.-]+$/, '')}-`,
      namespace: options.namespace,
      labels,
      annotations: {},
    },
    spec: {
      source: opsRequestSource,
      type: opsRequestAlertType,
      status: 'Firing',
      involvedObject: {
        kind: 'AegisOpsTemplate',
        name: template.name,
        namespace: template.namespace,
        ...(node === undefined || node === '' ? {} : { node }),
      },
      details: {},
      selector: { matchLabels: { ...labels } },
      ttlStrategy: {},
      opsRequest,
    },
  };
}
