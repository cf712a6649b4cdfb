/** Status helpers shared by the node and cluster check reconcilers. */
import type { Condition } from '../../core/resources/index.js';
import { setCondition } from '../alerts/index.js';

export { setCondition };

/** metav1.Time: RFC 3339, seconds precision, UTC. */
export function kubeTime(time: Date | number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function conditionIsTrue(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((condition) => condition.type === type && condition.status === 'True');
}

export function subjectOf(
  object: { metadata?: { name?: string; namespace?: string; uid?: string } },
  kind: string,
): { apiVersion: string; kind: string; name: string; namespace: string; uid?: string } {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind,
    name: object.metadata?.name ?? '',
    namespace: object.metadata?.namespace ?? '',
    ...(object.metadata?.uid === undefined ? {} : { uid: object.metadata.uid }),
  };
}
