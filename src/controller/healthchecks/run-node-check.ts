/**
 * Run one node check now, outside any schedule (`aegis check node`, `/aegis check node`): an
 * AegisNodeHealthCheck made from a cluster check's checker (its template and rule selector), so an ad-hoc check
 * runs exactly what the scheduled rounds run. With no cluster check named, the namespace must have exactly one.
 */
import { AegisError } from '../../core/errors.js';
import { boundedName, failingItems } from '../../core/health-checks/index.js';
import type { CustomObjectClient } from '../../kube/index.js';
import type { ClusterCheckObject, NodeCheckObject } from './health-check-resources.js';
import { nodeCheckResource } from './health-check-resources.js';

export interface NodeCheckClients {
  readonly clusterChecks: Pick<CustomObjectClient<ClusterCheckObject>, 'get' | 'list'>;
  readonly nodeChecks: Pick<CustomObjectClient<NodeCheckObject>, 'create' | 'get'>;
}

export interface RunNodeCheckRequest {
  readonly namespace: string;
  readonly node: string;
  /** The AegisClusterHealthCheck whose checker to run; the only one of the namespace when omitted. */
  readonly from?: string | undefined;
  /** Who asked (recorded as the `aegis.io/requested-by` annotation). */
  readonly requestedBy?: string | undefined;
  readonly now: Date;
}

export async function startNodeCheck(
  clients: NodeCheckClients,
  request: RunNodeCheckRequest,
): Promise<string> {
  let source: ClusterCheckObject | undefined;
  if (request.from !== undefined) {
    source = await clients.clusterChecks.get(request.namespace, request.from);
    if (source === undefined) {
      throw new AegisError(
        'CHECK_NOT_FOUND',
        `AegisClusterHealthCheck ${request.namespace}/${request.from} does not exist`,
      );
    }
  } else {
    const all = await clients.clusterChecks.list(request.namespace);
    if (all.length !== 1) {
      throw new AegisError(
        'CHECK_AMBIGUOUS',
        all.length === 0
          ? `namespace ${request.namespace} has no AegisClusterHealthCheck to take the checker from`
          : `namespace ${request.namespace} has ${all.length} AegisClusterHealthChecks (${all.map((check) => check.metadata?.name ?? '').join(', ')}); name one with --from`,
      );
    }
    source = all[0];
  }
  const stamp = request.now
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14);
  const name = boundedName(`${source?.metadata?.name ?? 'check'}-${request.node}-${stamp}`, 253);
  await clients.nodeChecks.create(request.namespace, {
    apiVersion: 'aegis.io/v1alpha1',
    kind: nodeCheckResource.kind,
    metadata: {
      name,
      namespace: request.namespace,
      labels: { 'aegis.io/ad-hoc': 'true' },
      ...(request.requestedBy === undefined
        ? {}
        : { annotations: { 'aegis.io/requested-by': request.requestedBy } }),
    },
    spec: {
      node: request.node,
      template: source?.spec?.template ?? {},
      ...(source?.spec?.ruleConfigmapSelector === undefined
        ? {}
        : { ruleConfigmapSelector: source.spec.ruleConfigmapSelector }),
    },
  });
  return name;
}

/** Poll until the check finished (or `timeoutMs`); returns its last state. */
export async function waitForNodeCheck(
  clients: Pick<NodeCheckClients, 'nodeChecks'>,
  namespace: string,
  name: string,
  options: { readonly timeoutMs: number; readonly pollMs?: number; readonly signal?: AbortSignal },
): Promise<NodeCheckObject | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last: NodeCheckObject | undefined;
  for (;;) {
    last = await clients.nodeChecks.get(namespace, name);
    if (
      last?.status?.completionTime !== undefined ||
      Date.now() >= deadline ||
      options.signal?.aborted === true
    )
      return last;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}

/** A node check's outcome in a few lines of plain text (CLI; the chat renders the same data). */
export function describeNodeCheck(check: NodeCheckObject | undefined): { text: string; healthy: boolean } {
  if (check === undefined) return { text: 'the check no longer exists\n', healthy: false };
  const status = check.status?.status ?? 'Pending';
  const lines = [`${check.metadata?.name ?? ''}: node ${check.spec?.node ?? ''} ${status}`];
  if (check.status?.completionTime === undefined) {
    lines.push('  still running; see `kubectl get aegisnodehealthcheck` later');
    return { text: `${lines.join('\n')}\n`, healthy: false };
  }
  if (status === 'Failed') {
    const reason = check.status.conditions?.findLast((condition) => condition.status === 'True');
    lines.push(`  not checked: ${reason?.message ?? 'the check failed'}`);
    return { text: `${lines.join('\n')}\n`, healthy: false };
  }
  const failing = failingItems(check.status.results);
  const all = Object.entries(check.status.results ?? {}).flatMap(([module, items]) =>
    items.map((item) => ({ module, ...item })),
  );
  for (const item of all) {
    lines.push(
      `  ${item.status === true ? 'FAIL' : 'ok  '} ${item.module}/${item.item ?? ''}${item.condition === undefined ? '' : ` (${item.condition})`}${item.message === undefined ? '' : `: ${item.message}`}`,
    );
  }
  if (all.length === 0) lines.push('  no items reported');
  return { text: `${lines.join('\n')}\n`, healthy: Object.keys(failing).length === 0 };
}
