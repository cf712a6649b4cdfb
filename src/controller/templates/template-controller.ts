import { createCustomObjectClient, createEventRecorder } from '../../kube/index.js';
import { objectKeyOf, startController, watchInput } from '../runtime/index.js';
import type { Controller, DeepReadonly } from '../runtime/index.js';
import {
  createTemplateSource,
  runtimeOptions,
  templateResource,
  type RecordedControllerOptions,
  type TemplateObject,
} from '../rules/index.js';
import { createTemplateReconciler } from './template-reconciler.js';

export const templateControllerName = 'aegis-templates';

/** The template reconciler on the runtime: informer → BullMQ queue (de-duplicated by key) → reconcile. */
export async function startTemplateController(
  options: RecordedControllerOptions<TemplateObject>,
): Promise<Controller> {
  const source =
    options.source ??
    createTemplateSource(options.clients, options.logger === undefined ? {} : { logger: options.logger });
  return await startController({
    name: templateControllerName,
    // Each Workflow outcome rewrites the template's counters (`status.executeStatus`); such an update changes
    // nothing the template reconciler judges or records, so it queues no run.
    sources: [
      watchInput(source, (event) => {
        const key = objectKeyOf(event.object);
        if (key === undefined) return [];
        return event.previous !== undefined && onlyCountersChanged(event.previous, event.object) ? [] : [key];
      }),
    ],
    reconcile: createTemplateReconciler({
      source,
      status: createCustomObjectClient(options.clients, templateResource),
      events: options.events ?? createEventRecorder(options.clients, { component: 'aegis-controller' }),
      now: options.now,
    }),
    ...runtimeOptions(options),
  });
}

function withoutCounters(template: DeepReadonly<TemplateObject>): string {
  const { executeStatus: _counters, ...status } = (template.status ?? {}) as Record<string, unknown>;
  return JSON.stringify([template.metadata?.generation, template.metadata?.deletionTimestamp, status]);
}

function onlyCountersChanged(
  previous: DeepReadonly<TemplateObject>,
  next: DeepReadonly<TemplateObject>,
): boolean {
  return withoutCounters(previous) === withoutCounters(next);
}
