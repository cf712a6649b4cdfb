import type { KubeObject } from '../types.js';

/**
 * Kind-specific defaults the real API server (or its built-in controllers) fill in on create.
 * Returns a new object; never mutates.
 */
export function prepareBuiltinCreate(kind: string, group: string, object: KubeObject): KubeObject {
  if (group !== '') return object;
  switch (kind) {
    case 'Namespace':
      return {
        ...object,
        spec: { finalizers: ['kubernetes'], ...(object['spec'] as object | undefined) },
        status: { phase: 'Active' },
      };
    case 'Pod': {
      const spec = (object['spec'] ?? {}) as Record<string, unknown>;
      return {
        ...object,
        spec: {
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          serviceAccountName: 'default',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          ...spec,
        },
        status: { phase: 'Pending', qosClass: 'BestEffort' },
      };
    }
    case 'Secret':
      return normaliseSecret(object);
    case 'ServiceAccount':
      return object;
    default:
      return object;
  }
}

/** `stringData` is write-only: it is merged into base64 `data`, and `type` defaults to Opaque. */
export function normaliseSecret(object: KubeObject): KubeObject {
  const { stringData, ...rest } = object as KubeObject & { stringData?: Record<string, string> };
  const data = { ...((rest['data'] ?? {}) as Record<string, string>) };
  for (const [key, value] of Object.entries(stringData ?? {})) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  return { ...rest, type: rest['type'] ?? 'Opaque', ...(Object.keys(data).length > 0 ? { data } : {}) };
}
