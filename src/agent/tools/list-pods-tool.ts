import { z } from 'zod';
import { defineTool } from './agent-tool.js';
import { boundedList, labelSelectorField, limitField, maxListLimit } from './common-fields.js';
import { summarizePod } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  namespace: z
    .string()
    .max(63)
    .optional()
    .describe('Only pods of this namespace. Leave out for all namespaces.'),
  node: z.string().max(253).optional().describe('Only pods scheduled on this node.'),
  labelSelector: labelSelectorField,
  onlyUnhealthy: z
    .boolean()
    .optional()
    .describe('Only pods that are not Running/Succeeded, not ready, or have restarted.'),
  limit: limitField,
});

export function listPodsTool({ reader }: AgentToolDependencies) {
  return defineTool({
    name: 'list_pods',
    description: 'List pods by namespace, node and/or labels with phase, readiness and restart counts.',
    schema,
    kind: 'read',
    async run(input) {
      const pods = await reader.listPods({
        namespace: input.namespace,
        node: input.node,
        labelSelector: input.labelSelector,
        limit: input.onlyUnhealthy === true ? 1_000 : maxListLimit,
      });
      const views = pods.map((pod) => summarizePod(pod, 'brief'));
      const selected =
        input.onlyUnhealthy === true
          ? views.filter(
              (pod) =>
                pod.phase !== 'Succeeded' && (pod.phase !== 'Running' || !pod.ready || pod.restarts > 0),
            )
          : views;
      return boundedList(selected, input.limit, (pod) => pod);
    },
  });
}
