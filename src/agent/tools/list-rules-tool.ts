import { z } from 'zod';
import { defineTool } from './agent-tool.js';
import { boundedList, limitField } from './common-fields.js';
import { summarizeRule } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  alertType: z
    .string()
    .max(200)
    .optional()
    .describe('Only rules with a condition on this alert type (compared as written in the rule).'),
  limit: limitField,
});

export function listRulesTool({ reader, namespace }: AgentToolDependencies) {
  return defineTool({
    name: 'list_rules',
    description:
      'List AegisAlertOpsRules: which alert types and statuses run which ops template, and whether a run needs approval.',
    schema,
    kind: 'read',
    async run(input) {
      const rules = (await reader.listRules(namespace)).filter(
        (rule) =>
          input.alertType === undefined ||
          rule.spec.alertConditions.some((condition) => condition.type === input.alertType),
      );
      return boundedList(rules, input.limit, summarizeRule);
    },
  });
}
