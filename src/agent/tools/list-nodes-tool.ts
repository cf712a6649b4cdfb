import { z } from 'zod';
import { defineTool } from './agent-tool.js';
import { boundedList, labelSelectorField, limitField } from './common-fields.js';
import { summarizeNode } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  labelSelector: labelSelectorField,
  onlyProblems: z
    .boolean()
    .optional()
    .describe('Only nodes that are not Ready, are cordoned, or report a problem condition.'),
  limit: limitField,
});

export function listNodesTool({ reader }: AgentToolDependencies) {
  return defineTool({
    name: 'list_nodes',
    description:
      'List cluster nodes with readiness, cordon state (unschedulable), taints, problem conditions and GPU capacity.',
    schema,
    kind: 'read',
    async run(input) {
      const nodes = (await reader.listNodes({ labelSelector: input.labelSelector, limit: 1_000 })).map(
        (node) => summarizeNode(node, 'brief'),
      );
      const selected =
        input.onlyProblems === true
          ? nodes.filter((node) => node.ready !== 'True' || node.unschedulable || node.problems.length > 0)
          : nodes;
      return boundedList(selected, input.limit, (node) => node);
    },
  });
}
