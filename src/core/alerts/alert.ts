/**
 * The domain alert: what every ingest route (Alertmanager, custom JSON, LLM parser, node poller) produces and
 * what the ingest worker turns into an AegisAlert. Plain data, no behaviour.
 */

export const alertStatuses = ['Firing', 'Resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

/** Upstream's source names; `source` stays an open string so new routes need no change here. */
export const alertSources = {
  default: 'Default',
  alertmanager: 'Alertmanager',
  ai: 'AI',
  poller: 'Poller',
} as const;

export interface AlertInvolvedObject {
  kind: string;
  name: string;
  namespace?: string;
  node?: string;
}

export interface Alert {
  /** 'Default' | 'Alertmanager' | 'AI' | ... */
  source: string;
  /** The alert name, e.g. NodeOutOfDiskSpace. */
  type: string;
  status: AlertStatus;
  involvedObject: AlertInvolvedObject;
  details: Record<string, string>;
  /** Identifies the alert across deliveries: one active AegisAlert per fingerprint. */
  fingerprint: string;
  severity?: string;
  /** ISO time given by the sender, when it has one (Alertmanager's `startsAt`). */
  startsAt?: string;
}

const canonicalKinds = new Map([
  ['pod', 'Pod'],
  ['node', 'Node'],
  ['cluster', 'Cluster'],
]);

/**
 * The kinds Aegis itself acts on (Pod, Node, Cluster) in their canonical spelling, whatever the case the
 * sender used (`node` → `Node`); any other kind is kept verbatim, as upstream does.
 */
export function canonicalKind(kind: string): string {
  return canonicalKinds.get(kind.toLowerCase()) ?? kind;
}
