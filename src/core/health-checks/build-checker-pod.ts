/**
 * The checker pod of an AegisNodeHealthCheck, made as upstream makes it: `spec.template` (its labels,
 * annotations and spec) with exactly one container, `restartPolicy: Never`, `nodeName: spec.node`, and every
 * rule ConfigMap mounted read-only at `/nodecheck/config/<configmap>` (volume `volume-<configmap>`). The pod is
 * owned by the check (so it is garbage-collected with it) and carries the check's labels plus
 * `aegis.io/node-health-check: <check>`. Its name is fixed (`<check>-checker`), not generated, so a retried
 * create cannot start a second pod.
 */
import { createHash } from 'node:crypto';
import { aegisApiVersion } from '../resources/index.js';

export const nodeHealthCheckLabel = 'aegis.io/node-health-check';
export const clusterHealthCheckLabel = 'aegis.io/cluster-health-check';
export const ruleMountDirectory = '/nodecheck/config';

export interface CheckerPodInput {
  readonly check: {
    readonly namespace: string;
    readonly name: string;
    readonly uid: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly node: string;
  readonly template: unknown;
  /** Names of the rule ConfigMaps (same namespace), mounted in this order. */
  readonly ruleConfigMaps: readonly string[];
}

export type CheckerPodResult =
  | { readonly ok: true; readonly pod: Record<string, unknown>; readonly container: string }
  | { readonly ok: false; readonly message: string };

/** A DNS name of at most `limit` characters: `text` itself, or its head and a hash of the whole. */
export function boundedName(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 10);
  return `${text.slice(0, limit - 11).replace(/[-.]+$/, '')}-${hash}`;
}

export function checkerPodName(checkName: string): string {
  return boundedName(`${checkName}-checker`, 253);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function buildCheckerPod(input: CheckerPodInput): CheckerPodResult {
  const { check } = input;
  if (!isRecord(input.template))
    return { ok: false, message: 'spec.template: must be a pod template (an object)' };
  const metadata = isRecord(input.template['metadata']) ? input.template['metadata'] : {};
  const spec = input.template['spec'];
  if (!isRecord(spec))
    return { ok: false, message: 'spec.template.spec: is required (the checker pod spec)' };
  const containers = spec['containers'];
  if (!Array.isArray(containers) || containers.length !== 1) {
    const found = Array.isArray(containers) ? containers.length : 0;
    return {
      ok: false,
      message: `spec.template.spec.containers: must hold exactly one container, found ${found}`,
    };
  }
  const container: unknown = containers[0];
  if (!isRecord(container))
    return { ok: false, message: 'spec.template.spec.containers[0]: must be an object' };
  const containerName =
    typeof container['name'] === 'string' && container['name'] !== '' ? container['name'] : 'checker';
  const volumes = Array.isArray(spec['volumes']) ? [...(spec['volumes'] as unknown[])] : [];
  const mounts = Array.isArray(container['volumeMounts'])
    ? [...(container['volumeMounts'] as unknown[])]
    : [];
  for (const configMap of input.ruleConfigMaps) {
    const volume = boundedName(`volume-${configMap}`, 63);
    volumes.push({ name: volume, configMap: { name: configMap } });
    mounts.push({ name: volume, mountPath: `${ruleMountDirectory}/${configMap}`, readOnly: true });
  }
  const labels = {
    ...(isRecord(metadata['labels']) ? (metadata['labels'] as Record<string, string>) : {}),
    ...(check.labels ?? {}),
    [nodeHealthCheckLabel]: boundedName(check.name, 63),
  };
  const annotations = isRecord(metadata['annotations'])
    ? (metadata['annotations'] as Record<string, string>)
    : undefined;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: checkerPodName(check.name),
      namespace: check.namespace,
      labels,
      ...(annotations === undefined ? {} : { annotations }),
      ownerReferences: [
        {
          apiVersion: aegisApiVersion,
          kind: 'AegisNodeHealthCheck',
          name: check.name,
          uid: check.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...spec,
      nodeName: input.node,
      restartPolicy: 'Never',
      containers: [{ ...container, name: containerName, volumeMounts: mounts }],
      volumes,
    },
  };
  return { ok: true, pod, container: containerName };
}
