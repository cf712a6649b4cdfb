import { createCustomObjectClient, createEventRecorder } from '../../kube/index.js';
import { startController, watchInput } from '../runtime/index.js';
import type { Controller } from '../runtime/index.js';
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
    sources: [watchInput(source)],
    reconcile: createTemplateReconciler({
      source,
      status: createCustomObjectClient(options.clients, templateResource),
      events: options.events ?? createEventRecorder(options.clients, { component: 'aegis-controller' }),
      now: options.now,
    }),
    ...runtimeOptions(options),
  });
}
