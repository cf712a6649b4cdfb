import type { KubeObject } from '../types.js';
import { creationTimestampDescription, objectMetaNameDescription } from './column-descriptions.js';
import { ageSince } from './human-duration.js';
import { recordOf, recordsOf, stringOf } from './read-fields.js';
import { column, type TableCell, type TableConverter } from './table-types.js';

const addressesDescription =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is defined as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

const nodeColumns = [
  column('Name', 'string', objectMetaNameDescription, { format: 'name' }),
  column('Status', 'string', 'The status of the node'),
  column('Roles', 'string', 'The roles of the node'),
  column('Age', 'string', creationTimestampDescription),
  column('Version', 'string', 'Kubelet Version reported by the node.'),
  column('Internal-IP', 'string', addressesDescription, { priority: 1 }),
  column('External-IP', 'string', addressesDescription, { priority: 1 }),
  column(
    'OS-Image',
    'string',
    'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
    {
      priority: 1,
    },
  ),
  column(
    'Kernel-Version',
    'string',
    "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    {
      priority: 1,
    },
  ),
  column(
    'Container-Runtime',
    'string',
    'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    { priority: 1 },
  ),
];

const rolePrefix = 'node-role.kubernetes.io/';

/** `Ready`, `NotReady` or `Unknown` from the Ready condition, plus `SchedulingDisabled` when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const ready = recordsOf(recordOf(node['status'])['conditions']).find(
    (condition) => condition['type'] === 'Ready',
  );
  const status = [ready === undefined ? 'Unknown' : ready['status'] === 'True' ? 'Ready' : 'NotReady'];
  if (recordOf(node['spec'])['unschedulable'] === true) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Sorted roles from `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role`, or `<none>`. */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(rolePrefix)) {
      const role = key.slice(rolePrefix.length);
      if (role !== '') roles.add(role);
    } else if (key === 'kubernetes.io/role' && value !== '') {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function address(node: KubeObject, type: string): string {
  const found = recordsOf(recordOf(node['status'])['addresses']).find((entry) => entry['type'] === type);
  return found === undefined ? '<none>' : stringOf(found['address']);
}

/** Nodes: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME. */
export const nodeConverter: TableConverter = {
  columnDefinitions: nodeColumns,
  cells(node, now): TableCell[] {
    const info = recordOf(recordOf(node['status'])['nodeInfo']);
    const orUnknown = (value: unknown): string => (stringOf(value) === '' ? '<unknown>' : stringOf(value));
    return [
      node.metadata.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      ageSince(node.metadata.creationTimestamp, now),
      stringOf(info['kubeletVersion']),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      orUnknown(info['osImage']),
      orUnknown(info['kernelVersion']),
      orUnknown(info['containerRuntimeVersion']),
    ];
  },
};
