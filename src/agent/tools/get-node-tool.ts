import { z } from 'zod';
import { defineTool, notFound } from './agent-tool.js';
import { summarizeNode } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  name: z.string().min(1).max(253).describe('Name of the node.'),
});

export function getNodeTool({ reader }: AgentToolDependencies) {
  return defineTool({
    name: 'get_node',
    description:
      'Get one node: conditions (Ready, MemoryPressure, DiskPressure, ...), cordon state, taints, labels, capacity and allocatable resources.',
    schema,
    kind: 'read',
    async run(input) {
      const node = await reader.getNode(input.name);
      return node === undefined ? notFound('Node', input.name) : summarizeNode(node, 'full');
    },
  });
}
