/**
 * core/v1 Events about Aegis objects (what `kubectl describe` and `kubectl get events` show). One Event per
 * call, named `<object>.<random hex>` as client-go's recorder names them; no aggregation. Used by every
 * controller (alerts, rules, templates, approvals); each declares the `record` port it needs, which this fits.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClients } from './kube-clients.js';

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
  clients: Pick<KubeClients, 'core'>,
  options: EventRecorderOptions = {},
): KubeEventRecorder {
  const component = options.component ?? 'aegis-controller';
  const now = options.now ?? (() => new Date());
  return {
    async record(subject, event) {
      const time = now();
      const name = `${subject.name.slice(0, 200)}.${randomBytes(8).toString('hex')}`;
      await clients.core.createNamespacedEvent({
        namespace: subject.namespace,
        body: {
          metadata: { name, namespace: subject.namespace },
          involvedObject: { ...subject },
          type: event.type,
          reason: event.reason,
          message: event.message.slice(0, 1024),
          source: { component },
          reportingComponent: component,
          ...(options.instance === undefined ? {} : { reportingInstance: options.instance }),
          firstTimestamp: time,
          lastTimestamp: time,
          count: 1,
        },
      });
    },
  };
}
