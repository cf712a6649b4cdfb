import { z } from 'zod';
import { defineTool, notFound } from './agent-tool.js';
import { summarizeTemplate } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  name: z.string().min(1).max(253).describe('Name of the AegisOpsTemplate.'),
  namespace: z
    .string()
    .max(63)
    .optional()
    .describe('Namespace of the template; leave out for the Aegis namespace.'),
});

export function getTemplateTool({ reader, namespace }: AgentToolDependencies) {
  return defineTool({
    name: 'get_template',
    description:
      'Get one AegisOpsTemplate: its Workflow manifest (what would run), the variables it needs, and its run counters.',
    schema,
    kind: 'read',
    async run(input) {
      const where = input.namespace ?? namespace;
      const template = await reader.getTemplate(where, input.name);
      return template === undefined
        ? notFound('AegisOpsTemplate', input.name, where)
        : summarizeTemplate(template, 'full');
    },
  });
}
