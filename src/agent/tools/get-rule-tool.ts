import { z } from 'zod';
import { defineTool, notFound } from './agent-tool.js';
import { summarizeRule } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  name: z.string().min(1).max(253).describe('Name of the AegisAlertOpsRule.'),
  namespace: z
    .string()
    .max(63)
    .optional()
    .describe('Namespace of the rule; leave out for the Aegis namespace.'),
});

export function getRuleTool({ reader, namespace }: AgentToolDependencies) {
  return defineTool({
    name: 'get_rule',
    description:
      'Get one AegisAlertOpsRule: the alert conditions it matches, the ops template it runs, its approval policy and status.',
    schema,
    kind: 'read',
    async run(input) {
      const where = input.namespace ?? namespace;
      const rule = await reader.getRule(where, input.name);
      return rule === undefined ? notFound('AegisAlertOpsRule', input.name, where) : summarizeRule(rule);
    },
  });
}
