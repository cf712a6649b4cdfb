/**
 * kubernetes-event-exporter (resmoio / opsgenie) webhook receiver: the Kubernetes Event itself, `{metadata,
 * reason, message, source{component, host}, firstTimestamp, lastTimestamp, eventTime, count, type: Warning |
 * Normal, involvedObject{kind, namespace, name, uid, labels?, annotations?}, reportingComponent}`; also a list
 * (`items` or an array) of them. Recognised by `involvedObject` + `reason`.
 * type = reason (BackOff, NodeNotReady, FailedMount, ...); object = the event's involvedObject (with
 * `source.host` as the node of a Pod event); fingerprint = details fingerprint of reason + object, so the
 * repeats of one event (count++) are one alert.
 */
import type { AlertInvolvedObject } from '../../../core/alerts/index.js';
import { canonicalKind, detailsFingerprint } from '../../../core/alerts/index.js';
import type { Recognised, RecognisedPayload } from './build-alert.js';
import { buildAlert, isRecord, stringLabels, text } from './build-alert.js';

function isKubernetesEvent(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && isRecord(value['involvedObject']) && typeof value['reason'] === 'string';
}

function convert(event: Record<string, unknown>, index: number): Recognised {
  const involved = event['involvedObject'] as Record<string, unknown>;
  const kind = text(involved['kind']);
  const name = text(involved['name']);
  if (kind === undefined || kind === '')
    return { path: `[${index}].involvedObject.kind`, reason: 'is required' };
  if (name === undefined || name === '')
    return { path: `[${index}].involvedObject.name`, reason: 'is required' };
  const object: AlertInvolvedObject = { kind: canonicalKind(kind), name };
  const namespace = text(involved['namespace']);
  if (namespace !== undefined && namespace !== '') object.namespace = namespace;
  const source = isRecord(event['source']) ? event['source'] : {};
  const host = text(source['host']);
  if (host !== undefined && host !== '' && object.kind !== 'Node') object.node = host;
  const reason = text(event['reason']) ?? '';
  const labels: Record<string, string> = {
    reason,
    involved_object_kind: object.kind,
    involved_object_name: name,
    ...(namespace === undefined || namespace === '' ? {} : { namespace }),
    event_type: text(event['type']) ?? '',
    ...(text(source['component']) === undefined ? {} : { component: text(source['component']) ?? '' }),
    ...(host === undefined ? {} : { node: host }),
    ...stringLabels(involved['labels']),
  };
  const identity = { reason, kind: object.kind, name, namespace: namespace ?? '' };
  return buildAlert({
    type: reason,
    status: 'Firing',
    labels,
    description: text(event['message']),
    fingerprint: detailsFingerprint(identity),
    startsAt: text(event['firstTimestamp']) ?? text(event['eventTime']) ?? text(event['lastTimestamp']),
    severity: text(event['type']) === 'Warning' ? 'warning' : 'info',
    involvedObject: object,
    sender: 'kubernetes',
  });
}

export function recogniseKubernetesEvent(body: unknown): RecognisedPayload | undefined {
  const list = Array.isArray(body)
    ? body
    : isRecord(body) && Array.isArray(body['items'])
      ? body['items']
      : [body];
  if (!list.some(isKubernetesEvent)) return undefined;
  return {
    format: 'kubernetes-event',
    results: list.map((item: unknown, index) =>
      isKubernetesEvent(item)
        ? convert(item, index)
        : { path: `[${index}]`, reason: 'is not a Kubernetes event' },
    ),
  };
}
