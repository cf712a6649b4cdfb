/**
 * Which nodes a cluster check covers: those whose labels match the checker template's `spec.nodeSelector` and
 * whose taints the template's `spec.tolerations` tolerate.
 *
 * Upstream keeps a tainted node only when EVERY toleration tolerates EVERY taint, so a template that tolerates
 * two different taints covers no node that has only one of them. Here a node is eligible as the scheduler
 * decides it: every NoSchedule/NoExecute taint is tolerated by at least one toleration (PreferNoSchedule never
 * keeps a pod off a node). Every node upstream covers is covered here too (see docs/decisions).
 */
export interface Taint {
  readonly key?: string;
  readonly value?: string;
  readonly effect?: string;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

export interface SelectableNode {
  readonly metadata?: { readonly name?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: { readonly taints?: readonly Taint[] };
}

/** Kubernetes' ToleratesTaint: an empty key with Exists tolerates everything; an empty effect matches any. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== taint.effect) {
    return false;
  }
  const operator =
    toleration.operator === undefined || toleration.operator === '' ? 'Equal' : toleration.operator;
  if (toleration.key === undefined || toleration.key === '') return operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  if (operator === 'Exists') return true;
  return operator === 'Equal' && (toleration.value ?? '') === (taint.value ?? '');
}

export function toleratesNode(tolerations: readonly Toleration[], taints: readonly Taint[]): boolean {
  return taints
    .filter((taint) => taint.effect !== 'PreferNoSchedule')
    .every((taint) => tolerations.some((toleration) => tolerates(toleration, taint)));
}

export function matchesNodeSelector(
  nodeSelector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return Object.entries(nodeSelector).every(([key, value]) => labels?.[key] === value);
}

/** The names of the eligible nodes, sorted. */
export function selectNodes(
  nodes: readonly SelectableNode[],
  podSpec: {
    readonly nodeSelector?: Readonly<Record<string, string>>;
    readonly tolerations?: readonly Toleration[];
  },
): string[] {
  const nodeSelector = podSpec.nodeSelector ?? {};
  const tolerations = podSpec.tolerations ?? [];
  return nodes
    .filter(
      (node) =>
        matchesNodeSelector(nodeSelector, node.metadata?.labels) &&
        toleratesNode(tolerations, node.spec?.taints ?? []),
    )
    .map((node) => node.metadata?.name ?? '')
    .filter((name) => name !== '')
    .sort();
}
