import { z } from 'zod';
import { defineTool, notFound } from './agent-tool.js';
import { summarizeAlert } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  name: z.string().min(1).max(253).describe('Name of the AegisAlert, as list_alerts shows it.'),
});

export function getAlertTool({ reader, namespace }: AgentToolDependencies) {
  return defineTool({
    name: 'get_alert',
    description:
      'Get one AegisAlert in full: type, involved object (node, pod), details, delivery count and times, the ops workflow status and the approval it waits for.',
    schema,
    kind: 'read',
    async run(input) {
      const alert = await reader.getAlert(namespace, input.name);
      return alert === undefined
        ? notFound('AegisAlert', input.name, namespace)
        : summarizeAlert(alert, 'full');
    },
  });
}
