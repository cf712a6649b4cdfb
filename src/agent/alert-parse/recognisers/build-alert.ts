/**
 * Shared by the recognisers: the Kubernetes object an alert is about, inferred from its labels/tags the way the
 * Alertmanager rules do (src/webhooks/formats/alertmanager-format.ts), widened for other monitoring systems:
 * 1. `involved_object_name` with `kind` / `involved_object_kind` (event alerts);
 * 2. an explicit `kind` label;
 * 3. `pod` (or `pod_name`, `kube_pod`) with its namespace (`namespace`, `kube_namespace`) → Pod;
 * 4. `node` (or `nodename`, `kube_node`, `host`, `hostname`, `host_name`, `instance`) → Node;
 * 5. `deployment`, `statefulset`, `daemonset` (or `kube_deployment`, ...) with a namespace → that kind;
 * 6. else Cluster, named by `cluster`, `job` or `service`, else by the sender (e.g. `grafana`).
 * An `instance` such as `10.0.0.1:9100` is used verbatim as the node name, as upstream does.
 */
import { alertSources, canonicalKind, detailsFingerprint } from '../../../core/alerts/index.js';
import type { Alert, AlertInvolvedObject, AlertStatus } from '../../../core/alerts/index.js';

export type Labels = Readonly<Record<string, string>>;

/** One alert read out of a payload, or why it could not be. */
export type Recognised = { alert: Alert } | { path: string; reason: string };

export interface RecognisedPayload {
  /** Which format recognised it: `grafana`, `datadog`, ... */
  format: string;
  results: Recognised[];
  /** A payload that is no alert but needs the operator (an SNS subscription confirmation): said and logged. */
  notice?: string;
}

/**
 * The fingerprint of a vendor's stable problem key (Zabbix trigger + host, Datadog monitor + scope, PagerDuty
 * incident key, ...), so a recovery resolves its problem even when each event has its own id:
 * `<vendor>-<parts>` when that is short and plain, else `<vendor>-` and a hash of the parts.
 */
export function stableFingerprint(vendor: string, parts: readonly string[]): string {
  const readable = `${vendor}-${parts.join('-')}`;
  if (readable.length <= 63 && /^[A-Za-z0-9._-]+$/.test(readable)) return readable;
  const key: Record<string, string> = {};
  parts.forEach((part, index) => {
    key[`k${index}`] = part;
  });
  return `${vendor}-${detailsFingerprint(key)}`.slice(0, 63);
}

function first(labels: Labels, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = labels[key];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

const namespaceKeys = ['namespace', 'kube_namespace', 'k8s_namespace', 'exported_namespace'];
const podKeys = ['pod', 'pod_name', 'kube_pod', 'kube_pod_name', 'k8s_pod'];
const nodeKeys = [
  'node',
  'nodename',
  'node_name',
  'kube_node',
  'kubernetes_node',
  'host',
  'hostname',
  'host_name',
  'instance',
];
const workloadKeys: readonly [string, string][] = [
  ['deployment', 'Deployment'],
  ['kube_deployment', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['kube_stateful_set', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['kube_daemon_set', 'DaemonSet'],
  ['job_name', 'Job'],
  ['kube_job', 'Job'],
];

export function inferInvolvedObject(labels: Labels, fallbackName: string): AlertInvolvedObject {
  const namespace = first(labels, namespaceKeys);
  const node = first(labels, nodeKeys);
  const withNamespace = (object: AlertInvolvedObject): AlertInvolvedObject => {
    const result = { ...object };
    if (namespace !== undefined && result.kind !== 'Node' && result.kind !== 'Cluster')
      result.namespace = namespace;
    if (node !== undefined && result.kind !== 'Node' && result.kind !== 'Cluster') result.node = node;
    return result;
  };
  const eventName = first(labels, ['involved_object_name']);
  const explicitKind = first(labels, ['kind', 'involved_object_kind']);
  if (eventName !== undefined && explicitKind !== undefined) {
    return withNamespace({ kind: canonicalKind(explicitKind), name: eventName });
  }
  const pod = first(labels, podKeys);
  if (explicitKind !== undefined) {
    const kind = canonicalKind(explicitKind);
    if (kind === 'Pod' && pod !== undefined) return withNamespace({ kind, name: pod });
    if (kind === 'Node' && node !== undefined) return { kind, name: node };
    const name = first(labels, ['name', 'instance', 'job', 'service']);
    if (name !== undefined && kind !== 'Pod' && kind !== 'Node') return withNamespace({ kind, name });
  }
  if (pod !== undefined && namespace !== undefined) return withNamespace({ kind: 'Pod', name: pod });
  if (node !== undefined) return { kind: 'Node', name: node };
  for (const [key, kind] of workloadKeys) {
    const name = first(labels, [key]);
    if (name !== undefined && namespace !== undefined) return withNamespace({ kind, name });
  }
  return { kind: 'Cluster', name: first(labels, ['cluster', 'job', 'service']) ?? fallbackName };
}

/** "[Triggered] High CPU usage on node-1" → "HighCPUUsage" (host suffix, brackets and punctuation dropped). */
export function typeFromTitle(title: string, host?: string): string {
  let text = title.replace(/^\s*(\[[^\]]*\]\s*)+/, '').replace(/^(Problem|Resolved|Recovered|OK):\s*/i, '');
  if (host !== undefined && host !== '') {
    const index = text.toLowerCase().lastIndexOf(` on ${host.toLowerCase()}`);
    if (index > 0) text = text.slice(0, index);
  }
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export interface AlertParts {
  type: string | undefined;
  status: AlertStatus;
  labels: Labels;
  /** Added to the details as `description` when present. */
  description?: string | undefined;
  /** The payload's own stable id; the details fingerprint otherwise. */
  fingerprint?: string | undefined;
  startsAt?: string | undefined;
  severity?: string | undefined;
  /** The object when the format names it directly (Kubernetes events). */
  involvedObject?: AlertInvolvedObject;
  /** Cluster name used when nothing names an object (the sender: `grafana`, `datadog`, ...). */
  sender: string;
}

function isoTime(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.startsWith('0001-01-01')) return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) * (value.length <= 10 ? 1000 : 1) : Date.parse(value);
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : undefined;
}

export function buildAlert(parts: AlertParts): Recognised {
  const type = parts.type?.trim();
  if (type === undefined || type === '')
    return { path: 'type', reason: 'the alert has no name (alertname, title or reason)' };
  const details: Record<string, string> = { ...parts.labels };
  if (parts.description !== undefined && parts.description.trim() !== '')
    details['description'] = parts.description;
  const fingerprintSource =
    Object.keys(parts.labels).length > 0 ? { ...parts.labels } : { ...details, alertname: type };
  if (fingerprintSource['alertname'] === undefined) fingerprintSource['alertname'] = type;
  const alert: Alert = {
    source: alertSources.ai,
    type,
    status: parts.status,
    involvedObject: parts.involvedObject ?? inferInvolvedObject(parts.labels, parts.sender),
    details,
    fingerprint:
      parts.fingerprint !== undefined && parts.fingerprint.trim() !== ''
        ? parts.fingerprint.trim().slice(0, 63)
        : detailsFingerprint(fingerprintSource),
  };
  if (parts.severity !== undefined && parts.severity !== '') alert.severity = parts.severity;
  const startsAt = isoTime(parts.startsAt);
  if (startsAt !== undefined) alert.startsAt = startsAt;
  return { alert };
}

/** Labels from an object of scalar values (numbers and booleans become strings; others are skipped). */
export function stringLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return labels;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') labels[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') labels[key] = String(item);
  }
  return labels;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
