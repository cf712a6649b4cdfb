/**
 * core/v1 Events about Aegis objects (what `kubectl describe` and `kubectl get events` show). One Event per
 * call, named `<object>.<random hex>` as client-go's recorder names them; no aggregation. Used by every
 * controller (alerts, rules, templates, approvals); each declares the `record` port it needs, which this fits.
 *
 * The ops path records about two Events per alert, so they go through the undici JSON client when the
 * KubeConfig allows it (as the custom-object stores do), else through client-node. The body is the same either
 * way: the involved object is copied field by field (client-node's serializer would drop anything else), and
 * the timestamps serialise as ISO strings in both.
 */
import { randomBytes } from 'node:crypto';
import type { CoreV1Event, KubeConfig } from '@kubernetes/client-node';
import { kubeJsonClientFor, type KubeClients } from './kube-clients.js';

/** The object an Event is about (an ObjectReference). */
export interface EventSubjectObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
}

export interface KubeEvent {
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. WorkflowSucceeded. */
  reason: string;
  message: string;
}

export interface KubeEventRecorder {
  record(subject: EventSubjectObject, event: KubeEvent): Promise<void>;
}

export interface EventRecorderOptions {
  /** `source.component` / `reportingComponent` (default `aegis-controller`). */
  readonly component?: string;
  /** `reportingInstance`, e.g. the pod name. */
  readonly instance?: string;
  readonly now?: () => Date;
}

export function createEventRecorder(
  clients: Pick<KubeClients, 'core'> & { readonly kubeConfig?: KubeConfig },
  options: EventRecorderOptions = {},
): KubeEventRecorder {
  const component = options.component ?? 'aegis-controller';
  const now = options.now ?? (() => new Date());
  const json = kubeJsonClientFor(clients.kubeConfig);
  const create =
    json === undefined
      ? async (namespace: string, body: CoreV1Event) => {
          await clients.core.createNamespacedEvent({ namespace, body });
        }
      : async (namespace: string, body: CoreV1Event) => {
          await json.request({
            method: 'POST',
            path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
            body,
          });
        };
  return {
    async record(subject, event) {
      const time = now();
      const name = `${subject.name.slice(0, 200)}.${randomBytes(8).toString('hex')}`;
      await create(subject.namespace, {
        metadata: { name, namespace: subject.namespace },
        involvedObject: objectReference(subject),
        type: event.type,
        reason: event.reason,
        message: event.message.slice(0, 1024),
        source: { component },
        reportingComponent: component,
        ...(options.instance === undefined ? {} : { reportingInstance: options.instance }),
        firstTimestamp: time,
        lastTimestamp: time,
        count: 1,
      });
    },
  };
}

/** The ObjectReference fields of `subject` (a caller may hand in a wider object). */
function objectReference(subject: EventSubjectObject): CoreV1Event['involvedObject'] {
  return {
    apiVersion: subject.apiVersion,
    kind: subject.kind,
    name: subject.name,
    namespace: subject.namespace,
    ...(subject.uid === undefined ? {} : { uid: subject.uid }),
    ...(subject.resourceVersion === undefined ? {} : { resourceVersion: subject.resourceVersion }),
  };
}
