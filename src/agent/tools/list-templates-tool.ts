import { z } from 'zod';
import { defineTool } from './agent-tool.js';
import { boundedList, limitField } from './common-fields.js';
import { summarizeTemplate } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({ limit: limitField });

export function listTemplatesTool({ reader, namespace }: AgentToolDependencies) {
  return defineTool({
    name: 'list_templates',
    description:
      'List AegisOpsTemplates (the standard operating procedures that can run as Argo Workflows) with the variables each one needs.',
    schema,
    kind: 'read',
    async run(input) {
      const templates = await reader.listTemplates(namespace);
      return boundedList(templates, input.limit, (template) => summarizeTemplate(template, 'brief'));
    },
  });
}
