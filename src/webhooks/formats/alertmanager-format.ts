/**
 * The Alertmanager webhook payload (version 4) of `POST /alertmanager/alert`:
 * `{version, status, receiver, groupLabels, commonLabels, commonAnnotations, externalURL, alerts[]}`, each alert
 * `{status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint}`. Keys are case-sensitive, as
 * upstream decodes them; top-level fields other than `alerts` are ignored.
 *
 * Conversion as upstream (`ConvertAlertManagerToCommonAlert`):
 * - `type` = label `alertname`; `details` = the labels, plus annotation `description` (beyond upstream also the
 *   annotations `summary`, `runbook_url`, `dashboard`, `grafana…` and the alert's `generatorURL`, for the chat
 *   card; a label of the same name wins, and none of them becomes a label); `severity` = label
 *   `severity`; status `firing` / `resolved` in any case;
 * - event alert (label `involved_object_name` present): `{kind, name: involved_object_name, namespace}`;
 * - metrics alert: node = label `node`, else `instance`; kind Pod → `{Pod, pod, namespace}`, Node → `{Node,
 *   node}`, other → `{kind, instance, else job}`. An `instance` such as `10.0.0.1:9100` becomes the node name
 *   verbatim, as upstream: relabel `node` in Prometheus to get real node names.
 * Beyond upstream:
 * - the `kind` label is optional. A metrics alert infers it: label `pod` → Pod, `node` or `instance` → Node,
 *   else Cluster. An event alert falls back to label `involved_object_kind` (kube-eventer style) and is
 *   refused when it has neither, since its object could be anything. `pod`, `node`, `cluster` kinds are
 *   normalised in case (`node` → `Node`);
 * - the object must have a name, and a Pod its namespace (upstream created broken objects);
 * - a Pod alert keeps label `node` as `involvedObject.node`, so the worker need not look the pod up;
 * - no fingerprint → the details fingerprint of the labels (not a random UUID), so redeliveries deduplicate;
 * - `startsAt` is kept (Go's zero time counts as absent); it feeds the delivery id;
 * - one bad alert is refused with its path and reason; the others in the batch are still accepted.
 */
import { z } from 'zod';
import { alertSources, canonicalKind, detailsFingerprint } from '../../core/alerts/index.js';
import type { Alert, AlertInvolvedObject, AlertStatus } from '../../core/alerts/index.js';
import {
  describeValue,
  isJsonObject,
  joinPath,
  plainIssueMessage,
  quote,
  refusalFromIssues,
} from './conversion-result.js';
import type { ConversionResult } from './conversion-result.js';
import { isGoZeroTime, isRfc3339 } from './rfc3339.js';

const alertmanagerAlertSchema = z.object({
  status: z.string(),
  labels: z.record(z.string(), z.string()).nullish(),
  // Only `description` and the annotations people read in chat (`keptAnnotations`) are used; non-string
  // values of the others are ignored, not refused.
  annotations: z.object({ description: z.string().nullish() }).catchall(z.unknown()).nullish(),
  fingerprint: z.string().nullish(),
  startsAt: z.string().nullish(),
  generatorURL: z.unknown().optional(),
  // Grafana's unified alerting adds these to the Alertmanager shape.
  dashboardURL: z.unknown().optional(),
  panelURL: z.unknown().optional(),
});

/**
 * Annotations kept in `details` besides upstream's `description`, for people: the summary and the links a chat
 * card shows. A label of the same name wins: labels are the alert's identity. Names that are also common label
 * names (`dashboard`, `grafana`, `runbook`) are kept only when they hold an http(s) URL, which can never
 * become a label value.
 */
const keptAnnotations = ['summary', 'runbook_url'] as const;
const keptUrlAnnotations = [
  'runbook',
  'dashboard',
  'dashboard_url',
  'grafana',
  'grafana_url',
  'grafana_dashboard',
] as const;

/** Top-level alert fields kept in `details` under their own name (a label of the same name wins). */
const keptUrlFields = ['generatorURL', 'dashboardURL', 'panelURL'] as const;

type Problem = { path: string; reason: string };
type Labels = Readonly<Record<string, string>>;

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : value;
}

function label(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? nonEmpty(labels[key]) : undefined;
}

/** The kind of a metrics alert without a `kind` label: `pod` → Pod, `node` or `instance` → Node, else Cluster. */
function inferKind(pod: string | undefined, node: string | undefined): string {
  if (pod !== undefined) return 'Pod';
  if (node !== undefined) return 'Node';
  return 'Cluster';
}

/** The object an Alertmanager alert is about, from its labels (see the file comment). */
export function involvedObjectFromLabels(labels: Labels): { object: AlertInvolvedObject } | Problem {
  const namespace = label(labels, 'namespace');
  const nodeLabel = label(labels, 'node');
  const explicitKind = label(labels, 'kind');
  const isEventAlert = Object.hasOwn(labels, 'involved_object_name');
  let kind: string;
  let name: string | undefined;

  if (isEventAlert) {
    name = label(labels, 'involved_object_name');
    if (name === undefined) return { path: 'labels.involved_object_name', reason: 'must not be empty' };
    const kindText = explicitKind ?? label(labels, 'involved_object_kind');
    if (kindText === undefined) {
      return {
        path: 'labels.kind',
        reason: 'is required for an event alert (one with involved_object_name), or set involved_object_kind',
      };
    }
    kind = canonicalKind(kindText);
  } else {
    const pod = label(labels, 'pod');
    const node = nodeLabel ?? label(labels, 'instance');
    kind = explicitKind === undefined ? inferKind(pod, node) : canonicalKind(explicitKind);
    if (kind === 'Pod') {
      name = pod;
      if (name === undefined) return { path: 'labels.pod', reason: 'is required for a Pod alert' };
    } else if (kind === 'Node') {
      name = node;
      if (name === undefined)
        return { path: 'labels.node', reason: 'a Node alert needs a node or instance label' };
    } else {
      name = label(labels, 'instance') ?? label(labels, 'job');
      if (name === undefined) {
        return {
          path: 'labels',
          reason:
            'the alert names no object: set one of the labels involved_object_name, pod, node, instance or job',
        };
      }
    }
  }

  if (kind === 'Pod' && namespace === undefined) {
    return { path: 'labels.namespace', reason: 'is required for a Pod alert' };
  }
  const object: AlertInvolvedObject = { kind, name };
  // As upstream, the namespace belongs to Pods and event objects only (a node or an instance has none).
  if (namespace !== undefined && (kind === 'Pod' || isEventAlert)) object.namespace = namespace;
  if (nodeLabel !== undefined && kind !== 'Node') object.node = nodeLabel;
  return { object };
}

function convertOne(data: z.infer<typeof alertmanagerAlertSchema>): { alert: Alert } | Problem {
  const lowerStatus = data.status.toLowerCase();
  const status: AlertStatus | undefined =
    lowerStatus === 'firing' ? 'Firing' : lowerStatus === 'resolved' ? 'Resolved' : undefined;
  if (status === undefined) {
    return { path: 'status', reason: `must be "firing" or "resolved", not ${quote(data.status)}` };
  }

  const labels: Labels = data.labels ?? {};
  if (!Object.hasOwn(labels, 'alertname')) return { path: 'labels.alertname', reason: 'is required' };
  const type = label(labels, 'alertname');
  if (type === undefined) return { path: 'labels.alertname', reason: 'must not be empty' };

  const involved = involvedObjectFromLabels(labels);
  if (!('object' in involved)) return involved;

  const details: Record<string, string> = { ...labels };
  const annotations = data.annotations ?? {};
  const description = annotations['description'];
  if (typeof description === 'string') details['description'] = description;
  for (const key of [...keptAnnotations, ...keptUrlAnnotations]) {
    const value = annotations[key];
    if (typeof value !== 'string' || value === '' || Object.hasOwn(details, key)) continue;
    if ((keptUrlAnnotations as readonly string[]).includes(key) && !/^https?:\/\//i.test(value)) continue;
    details[key] = value;
  }
  for (const key of keptUrlFields) {
    const value = data[key];
    if (typeof value === 'string' && value !== '' && !Object.hasOwn(details, key)) details[key] = value;
  }

  const startsAt = data.startsAt ?? '';
  if (startsAt !== '' && !isRfc3339(startsAt)) {
    return { path: 'startsAt', reason: `must be an RFC 3339 time, not ${quote(startsAt)}` };
  }

  // labels hold a non-empty alertname here, so the details fingerprint cannot fail.
  const fingerprint = nonEmpty(data.fingerprint) ?? detailsFingerprint(labels);
  const alert: Alert = {
    source: alertSources.alertmanager,
    type,
    status,
    involvedObject: involved.object,
    details,
    fingerprint,
  };
  const severity = label(labels, 'severity');
  if (severity !== undefined) alert.severity = severity;
  if (startsAt !== '' && !isGoZeroTime(startsAt)) alert.startsAt = startsAt;
  return { alert };
}

/** Parses an Alertmanager webhook payload into alerts; never throws. */
export function parseAlertmanagerPayload(body: unknown): ConversionResult {
  const result: ConversionResult = { accepted: [], refused: [] };
  if (!isJsonObject(body)) {
    result.refused.push({
      index: 0,
      path: '',
      reason: `the body must be an Alertmanager webhook payload (a JSON object), not ${describeValue(body)}`,
    });
    return result;
  }
  const alerts = body['alerts'];
  if (!Array.isArray(alerts)) {
    result.refused.push({
      index: 0,
      path: 'alerts',
      reason: alerts === undefined ? 'is required' : `must be an array, not ${describeValue(alerts)}`,
    });
    return result;
  }
  alerts.forEach((item: unknown, index) => {
    const prefix = `alerts[${index}]`;
    if (!isJsonObject(item)) {
      result.refused.push({
        index,
        path: prefix,
        reason: `must be an alert object, not ${describeValue(item)}`,
      });
      return;
    }
    const parsed = alertmanagerAlertSchema.safeParse(item, { error: plainIssueMessage });
    if (!parsed.success) {
      result.refused.push(refusalFromIssues(index, prefix, parsed.error.issues));
      return;
    }
    const outcome = convertOne(parsed.data);
    if ('alert' in outcome) result.accepted.push({ index, alert: outcome.alert });
    else result.refused.push({ index, path: joinPath(prefix, outcome.path), reason: outcome.reason });
  });
  return result;
}
