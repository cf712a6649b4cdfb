/**
 * `aegis rule create NAME --alert-type T --ops-file script.sh` (upstream `aegiscli rule create`): the objects
 * that run a shell script for every matching alert. Upstream bakes the script into an image (crane); by default
 * Aegis ships it in a ConfigMap mounted read-only into the workflow's container, so no registry is needed.
 * Alert values reach the script as environment variables, never as script text.
 */
import { basename } from 'node:path';
import { stringify } from 'yaml';
import { AegisError } from '../core/errors.js';

export const opsTargets = ['Node', 'Pod'] as const;
export type OpsTarget = (typeof opsTargets)[number];

export interface RuleFromScriptOptions {
  name: string;
  namespace: string;
  alertType: string;
  alertStatus: string;
  /** Path of the script (its file name is kept) and its text. */
  opsFile: string;
  script: string;
  opsTarget: OpsTarget;
  labelSelector: Record<string, string>;
  /** Image the script runs in (default `bitnami/kubectl:latest`). */
  image: string;
  serviceAccount: string;
  /** The script is baked into `image` at `/aegis/ops/<file>` (--image-registry): no ConfigMap, no volume. */
  scriptInImage?: boolean;
}

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const scriptMount = '/aegis/ops';

/** `k=v` (repeatable) or upstream's `k1:v1;k2:v2`, into matchLabels. */
export function parseLabelSelector(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values) {
    for (const part of value.split(/[;,]/).filter((piece) => piece.trim() !== '')) {
      const match = /^\s*([^=:\s]+)\s*[=:]\s*([^=:\s]*)\s*$/.exec(part);
      if (match === null || match[1] === undefined)
        throw new AegisError(
          'RULE_CREATE_USAGE',
          `--label-selector ${JSON.stringify(part)}: expected key=value`,
        );
      labels[match[1]] = match[2] ?? '';
    }
  }
  return labels;
}

/** The script's file name as shipped (in the ConfigMap or the image layer), at `/aegis/ops/<name>`. */
export const scriptFileName = (opsFile: string): string => basename(opsFile).replace(/[^A-Za-z0-9._-]/g, '_');
export const scriptPathInImage = (opsFile: string): string => `${scriptMount}/${scriptFileName(opsFile)}`;

/** The ConfigMap name that holds the script of rule `name`. */
export const scriptConfigMapName = (name: string): string => `${name}-ops-script`;

/** The ConfigMap, AegisOpsTemplate and AegisAlertOpsRule, in creation order. */
export function ruleObjectsFromScript(options: RuleFromScriptOptions): Record<string, unknown>[] {
  if (!dnsSubdomain.test(options.name) || options.name.length > 240)
    throw new AegisError(
      'RULE_CREATE_USAGE',
      `rule name ${JSON.stringify(options.name)}: use lower-case letters, digits, '-' and '.' (a Kubernetes name)`,
    );
  if (options.script.trim() === '')
    throw new AegisError('RULE_CREATE_USAGE', `--ops-file ${options.opsFile} is empty`);
  const file = scriptFileName(options.opsFile);
  const configMap = scriptConfigMapName(options.name);
  const labels = { 'app.kubernetes.io/managed-by': 'aegis-cli', 'aegis.io/rule': options.name };
  const target =
    options.opsTarget === 'Node'
      ? {
          nodeSelector: { 'kubernetes.io/hostname': '{{.InvolvedObjectName}}' },
          env: [{ name: 'AEGIS_NODE', value: '{{.InvolvedObjectName}}' }],
        }
      : {
          env: [
            { name: 'AEGIS_POD_NAMESPACE', value: '{{.InvolvedObjectNamespace}}' },
            { name: 'AEGIS_POD_NAME', value: '{{.InvolvedObjectName}}' },
          ],
        };
  const workflow = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    spec: {
      serviceAccountName: options.serviceAccount,
      ttlSecondsAfterFinished: 600,
      entrypoint: 'ops',
      ...(options.scriptInImage === true
        ? {}
        : { volumes: [{ name: 'ops-script', configMap: { name: configMap } }] }),
      templates: [
        {
          name: 'ops',
          ...(target.nodeSelector === undefined ? {} : { nodeSelector: target.nodeSelector }),
          container: {
            image: options.image,
            command: ['/bin/sh', `${scriptMount}/${file}`],
            env: [
              ...target.env,
              { name: 'AEGIS_ALERT_TYPE', value: '{{.Alert.spec.type}}' },
              { name: 'AEGIS_ALERT_NAME', value: '{{.AlertName}}' },
            ],
            ...(options.scriptInImage === true
              ? {}
              : { volumeMounts: [{ name: 'ops-script', mountPath: scriptMount, readOnly: true }] }),
          },
        },
      ],
    },
  };
  const scriptConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMap, namespace: options.namespace, labels },
    data: { [file]: options.script },
  };
  return [
    ...(options.scriptInImage === true ? [] : [scriptConfigMap]),
    {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisOpsTemplate',
      metadata: { name: options.name, namespace: options.namespace, labels },
      spec: { manifest: stringify(workflow) },
    },
    {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisAlertOpsRule',
      metadata: { name: options.name, namespace: options.namespace, labels },
      spec: {
        alertConditions: [{ type: options.alertType, status: options.alertStatus }],
        ...(Object.keys(options.labelSelector).length === 0
          ? {}
          : { selector: { matchLabels: options.labelSelector } }),
        opsTemplate: {
          kind: 'AegisOpsTemplate',
          apiVersion: 'aegis.io/v1alpha1',
          namespace: options.namespace,
          name: options.name,
        },
      },
    },
  ];
}
