/**
 * Labels of an AegisAlert. Upstream copies every detail whose value looks like a label value into the labels
 * (minus a fixed set of noisy keys) and adds four system labels; rules select alerts by them. Upstream checks
 * neither the key nor the value length, so a long or odd detail made the create fail. Here a detail becomes a
 * label only when it passes upstream's filter AND is a valid Kubernetes label; anything else stays in
 * `spec.details` only; so does a detail whose key has a reserved prefix (`workflows.argoproj.io/…`, see
 * `isReservedLabelKey`). System label values are always made valid (see `sanitiseLabelValue` and
 * `fingerprintLabelValue`).
 */
import { createHash } from 'node:crypto';
import { isValidLabelKey, isValidLabelValue } from '../label-selector.js';
import type { Alert } from './alert.js';

/** Keys of system labels set by Aegis on every AegisAlert (they win over a detail with the same key). */
export const alertLabelKeys = {
  sourceType: 'alert-source-type',
  type: 'alert-type',
  status: 'alert-status',
  fingerprint: 'fingerprint',
  uuid: 'uuid',
} as const;

/** Detail keys upstream never turns into labels (`node` is deliberately kept). */
export const filteredDetailKeys: ReadonlySet<string> = new Set([
  'alertname',
  'pod',
  'namespace',
  'instance',
  'cluster',
  'description',
  'container',
  'endpoint',
  'env',
  'job',
  'prometheus',
  'service',
  // Annotations and URLs the Alertmanager route keeps for people (not upstream; never labels).
  'summary',
  'runbook_url',
  'generatorURL',
  'dashboardURL',
  'panelURL',
]);

/**
 * Label key prefixes (DNS domains) owned by other systems, never taken from alert data: Argo reads
 * `workflows.argoproj.io/*` on a Workflow (`controller-instanceid` hands it to another controller, `completed`
 * makes Argo skip it), Kubernetes reserves `kubernetes.io` and `k8s.io`, and `aegis.io` is Aegis's own.
 */
const reservedLabelDomains = ['argoproj.io', 'kubernetes.io', 'k8s.io', 'aegis.io'] as const;

/** True when `key` has a prefix owned by Argo, Kubernetes or Aegis (`workflows.argoproj.io/completed`). */
export function isReservedLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const domain = key.slice(0, slash).toLowerCase();
  return reservedLabelDomains.some((reserved) => domain === reserved || domain.endsWith(`.${reserved}`));
}

/** `labels` without the keys of {@link isReservedLabelKey}. */
export function withoutReservedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) if (!isReservedLabelKey(key)) kept[key] = value;
  return kept;
}

/** Upstream's label-value filter: at least two characters, alphanumeric at both ends. */
const upstreamValuePattern = /^[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Labels taken from an alert's details: upstream's filter plus Kubernetes label validity. */
export function labelsFromDetails(details: Readonly<Record<string, string>>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if (filteredDetailKeys.has(key) || isReservedLabelKey(key)) continue;
    if (!upstreamValuePattern.test(value)) continue;
    if (!isValidLabelKey(key) || !isValidLabelValue(value)) continue;
    labels[key] = value;
  }
  return labels;
}

/**
 * A valid label value for free text such as an alert type or source: the text itself when it is already a
 * valid label value; otherwise its label-safe characters (others become `-`, at most 52 of them) followed by
 * `-` and the first 10 hex digits of the text's sha256, so different texts keep different values.
 * E.g. `Disk full on /data` → `Disk-full-on-data-<hash10>`.
 */
export function sanitiseLabelValue(text: string): string {
  if (isValidLabelValue(text)) return text;
  const hash = sha256Hex(text).slice(0, 10);
  const safe = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 52)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return safe === '' ? hash : `${safe}-${hash}`;
}

/**
 * The `fingerprint` label value for a fingerprint: the fingerprint itself when it is a valid label value (the
 * usual case: Alertmanager's 16 hex digits, the 63-digit details fingerprint), otherwise the first 63 hex
 * digits of its sha256 (a fingerprint longer than 63 characters or with characters a label cannot hold).
 * Every lookup of alerts by fingerprint must go through this function.
 */
export function fingerprintLabelValue(fingerprint: string): string {
  if (fingerprint !== '' && isValidLabelValue(fingerprint)) return fingerprint;
  return sha256Hex(fingerprint).slice(0, 63);
}

/** The label selector (`fingerprint=<value>`) that finds the AegisAlerts of a fingerprint. */
export function fingerprintLabelSelector(fingerprint: string): string {
  return `${alertLabelKeys.fingerprint}=${fingerprintLabelValue(fingerprint)}`;
}

/**
 * All labels of the AegisAlert for `alert`: labels from details, then the system labels. `uuid`, when given,
 * adds upstream's `uuid` label (it made every alert's selector unique).
 */
export function aegisAlertLabels(alert: Alert, options: { uuid?: string } = {}): Record<string, string> {
  const labels = labelsFromDetails(alert.details);
  labels[alertLabelKeys.sourceType] = sanitiseLabelValue(alert.source);
  labels[alertLabelKeys.type] = sanitiseLabelValue(alert.type);
  labels[alertLabelKeys.status] = alert.status;
  labels[alertLabelKeys.fingerprint] = fingerprintLabelValue(alert.fingerprint);
  if (options.uuid !== undefined) labels[alertLabelKeys.uuid] = sanitiseLabelValue(options.uuid);
  return labels;
}
