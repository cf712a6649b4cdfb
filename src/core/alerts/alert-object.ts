/**
 * The AegisAlert the ingest worker creates for a new firing alert. Pure: the caller injects the namespace,
 * configuration, clock and (optionally) the uuid, creates `object`, then writes `status` through the /status
 * subresource (the API server ignores `status` on create when the subresource is enabled).
 */
import { isValidLabelKey } from '../label-selector.js';
import type { Alert, AlertStatus } from './alert.js';
import { aegisAlertLabels } from './alert-labels.js';

/** Kubernetes appends 5 random characters to generateName; a DNS subdomain holds at most 253. */
const generatedSuffixLength = 5;
const maxNameLength = 253;

export interface AegisAlertTtlStrategy {
  secondsAfterSuccess?: number;
  secondsAfterFailure?: number;
  secondsAfterNoOps?: number;
}

export interface AegisAlertObjectInvolvedObject {
  kind: string;
  name: string;
  namespace?: string;
  node?: string;
}

export interface AegisAlertObject {
  apiVersion: 'aegis.io/v1alpha1';
  kind: 'AegisAlert';
  metadata: {
    generateName: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    source: string;
    type: string;
    severity?: string;
    status: AlertStatus;
    involvedObject: AegisAlertObjectInvolvedObject;
    details: Record<string, string>;
    selector: { matchLabels: Record<string, string> };
    ttlStrategy: AegisAlertTtlStrategy;
  };
}

export interface AegisAlertInitialStatus {
  status: AlertStatus;
  count: number;
  startTime: string;
  lastSeen: string;
}

export interface BuildAegisAlertOptions {
  /** Namespace the alerts are published in (AEGIS_NAMESPACE). */
  namespace: string;
  /** Configured key/values (e.g. `cluster`) written as annotations; keys that are not valid are dropped. */
  systemParameters: Readonly<Record<string, string>>;
  ttl: AegisAlertTtlStrategy;
  /** ISO time of creation: `status.startTime` and `status.lastSeen`. */
  now: string;
  /** The node resolved by the caller for a Pod alert without one (looked up from the pod). */
  node?: string;
  /** Adds upstream's `uuid` label when given (ids are injected, never generated here). */
  uuid?: string;
}

/**
 * `generateName` as upstream: lower(`<source>-<type>-`) with every `[\W_]` replaced by `-` (`aaa.bbb` +
 * `NodeNotReady` → `aaa-bbb-nodenotready-`). Beyond upstream it is made a valid DNS subdomain prefix: leading
 * `-` are dropped (an empty source), and it is cut so that the name plus the 5 random characters the API server
 * appends stays within 253 characters. (Real API servers cut generateName further, to 58 characters.)
 */
export function alertGenerateName(alert: Pick<Alert, 'source' | 'type'>): string {
  const base = `${alert.source}-${alert.type}`
    .toLowerCase()
    .replace(/[\W_]/gu, '-')
    .replace(/^-+/, '')
    .slice(0, maxNameLength - generatedSuffixLength - 1);
  return base === '' ? 'alert-' : `${base}-`;
}

/** Annotations from the configured system parameters; a key that is not a valid annotation key is dropped. */
export function systemParameterAnnotations(
  systemParameters: Readonly<Record<string, string>>,
): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(systemParameters)) {
    if (isValidLabelKey(key)) annotations[key] = value;
  }
  return annotations;
}

function involvedObjectFor(alert: Alert, resolvedNode: string | undefined): AegisAlertObjectInvolvedObject {
  const { kind, name, namespace } = alert.involvedObject;
  // Upstream: the node of a Node alert is the node itself; for a Pod it is the given or the looked-up node.
  const given = alert.involvedObject.node;
  const node = kind === 'Node' ? name : given !== undefined && given !== '' ? given : resolvedNode;
  const object: AegisAlertObjectInvolvedObject = { kind, name };
  if (namespace !== undefined && namespace !== '') object.namespace = namespace;
  if (node !== undefined && node !== '') object.node = node;
  return object;
}

function ttlStrategyFrom(ttl: AegisAlertTtlStrategy): AegisAlertTtlStrategy {
  const strategy: AegisAlertTtlStrategy = {};
  if (ttl.secondsAfterSuccess !== undefined) strategy.secondsAfterSuccess = ttl.secondsAfterSuccess;
  if (ttl.secondsAfterFailure !== undefined) strategy.secondsAfterFailure = ttl.secondsAfterFailure;
  if (ttl.secondsAfterNoOps !== undefined) strategy.secondsAfterNoOps = ttl.secondsAfterNoOps;
  return strategy;
}

/**
 * The AegisAlert to create for `alert` and its initial status (`count: 1`, started and last seen `now`).
 * Only firing alerts create objects; for a Resolved alert the object says Resolved.
 */
export function buildAegisAlertObject(
  alert: Alert,
  options: BuildAegisAlertOptions,
): { object: AegisAlertObject; status: AegisAlertInitialStatus } {
  const labels = aegisAlertLabels(alert, options.uuid === undefined ? {} : { uuid: options.uuid });
  const severity = alert.severity ?? alert.details['severity'];
  const object: AegisAlertObject = {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: {
      generateName: alertGenerateName(alert),
      namespace: options.namespace,
      labels,
      annotations: systemParameterAnnotations(options.systemParameters),
    },
    spec: {
      source: alert.source,
      type: alert.type,
      ...(severity === undefined || severity === '' ? {} : { severity }),
      status: alert.status,
      involvedObject: involvedObjectFor(alert, options.node),
      details: { ...alert.details },
      selector: { matchLabels: { ...labels } },
      ttlStrategy: ttlStrategyFrom(options.ttl),
    },
  };
  return {
    object,
    status: { status: alert.status, count: 1, startTime: options.now, lastSeen: options.now },
  };
}
