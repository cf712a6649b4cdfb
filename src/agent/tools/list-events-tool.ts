import { z } from 'zod';
import { defineTool } from './agent-tool.js';
import { boundedList, limitField } from './common-fields.js';
import { summarizeEvent } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  kind: z
    .string()
    .min(1)
    .max(63)
    .describe('Kind of the object the events are about, e.g. Node, Pod, AegisAlert.'),
  name: z.string().min(1).max(253).describe('Name of the object.'),
  namespace: z
    .string()
    .max(63)
    .optional()
    .describe('Namespace of a namespaced object (Pod, AegisAlert); leave out for a Node.'),
  limit: limitField,
});

export function listEventsTool({ reader }: AgentToolDependencies) {
  return defineTool({
    name: 'list_events',
    description:
      'List the Kubernetes Events about one object (what `kubectl describe` shows at the bottom), newest first.',
    schema,
    kind: 'read',
    async run(input) {
      const events = await reader.listEvents({
        kind: input.kind,
        name: input.name,
        namespace: input.namespace,
        limit: 500,
      });
      const views = events.map(summarizeEvent).sort((a, b) => (b.last ?? '').localeCompare(a.last ?? ''));
      return boundedList(views, input.limit, (event) => event);
    },
  });
}
