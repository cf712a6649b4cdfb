/**
 * `aegis check node <node> [--from CHECK] [--wait]` runs one node check now with a cluster check's checker;
 * `aegis check list` shows the cluster checks with their schedule and last round. Both talk to the Kubernetes
 * API found as `aegis serve` finds it (see connectCliKubernetes). Exit code 1 when a waited check found a
 * problem or could not check the node.
 */
import {
  clusterCheckResource,
  describeNodeCheck,
  nodeCheckResource,
  startNodeCheck,
  waitForNodeCheck,
  type ClusterCheckObject,
  type NodeCheckObject,
} from '../controller/healthchecks/index.js';
import { createCustomObjectClient, type KubeClients } from '../kube/index.js';

export interface CheckCommandOptions {
  namespace?: string;
  kubeconfig?: string;
}

export interface CheckNodeOptions extends CheckCommandOptions {
  from?: string;
  wait?: boolean;
  /** Seconds to wait with --wait (default 360: the default node timeout and some). */
  timeout?: number;
}

export interface CheckCommandHandlers {
  checkNode(node: string, options: CheckNodeOptions): Promise<void>;
  checkList(options: CheckCommandOptions & { allNamespaces?: boolean }): Promise<void>;
}

export interface CheckCommandDependencies {
  print(text: string): void;
  now?: () => Date;
}

export function checkClientsFrom(clients: KubeClients) {
  return {
    clusterChecks: createCustomObjectClient<ClusterCheckObject>(clients, clusterCheckResource),
    nodeChecks: createCustomObjectClient<NodeCheckObject>(clients, nodeCheckResource),
  };
}

export type CheckClients = ReturnType<typeof checkClientsFrom>;

/** Returns the exit code. */
export async function checkNode(
  node: string,
  options: CheckNodeOptions & { defaultNamespace: string },
  clients: CheckClients,
  dependencies: CheckCommandDependencies,
): Promise<number> {
  const namespace = options.namespace ?? options.defaultNamespace;
  const name = await startNodeCheck(clients, {
    namespace,
    node,
    from: options.from,
    requestedBy: 'aegis-cli',
    now: (dependencies.now ?? (() => new Date()))(),
  });
  dependencies.print(`aegisnodehealthcheck ${namespace}/${name} created\n`);
  if (options.wait !== true) return 0;
  const done = await waitForNodeCheck(clients, namespace, name, {
    timeoutMs: (options.timeout ?? 360) * 1000,
  });
  const described = describeNodeCheck(done);
  dependencies.print(described.text);
  return described.healthy ? 0 : 1;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd((widths[column] ?? 0) + 3))
        .join('')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export async function listChecks(
  options: CheckCommandOptions & { defaultNamespace: string; allNamespaces?: boolean },
  clients: CheckClients,
  dependencies: CheckCommandDependencies,
): Promise<void> {
  const namespace =
    options.allNamespaces === true ? undefined : (options.namespace ?? options.defaultNamespace);
  const checks = await clients.clusterChecks.list(namespace);
  if (checks.length === 0) {
    dependencies.print(
      namespace === undefined
        ? 'No cluster health checks found.\n'
        : `No cluster health checks found in namespace ${namespace}.\n`,
    );
    return;
  }
  const rows = [
    [
      ...(namespace === undefined ? ['NAMESPACE'] : []),
      'NAME',
      'SCHEDULE',
      'PHASE',
      'ROUND',
      'NODES',
      'FAILING',
      'UNCHECKED',
      'LAST COMPLETED',
    ],
  ];
  for (const check of checks) {
    const status = check.status ?? {};
    const last = status.history?.[0];
    rows.push([
      ...(namespace === undefined ? [check.metadata?.namespace ?? ''] : []),
      check.metadata?.name ?? '',
      check.spec?.schedule ?? '(once)',
      status.phase ?? 'Pending',
      String(status.round ?? 0),
      last === undefined ? '-' : `${last.succeeded ?? 0}/${last.desired ?? 0}`,
      last === undefined ? '-' : String(last.failingNodes ?? 0),
      last === undefined ? '-' : String(last.uncheckedNodes ?? 0),
      last?.completionTime ?? '-',
    ]);
  }
  dependencies.print(table(rows));
}
