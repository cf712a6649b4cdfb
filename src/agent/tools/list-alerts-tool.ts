import { z } from 'zod';
import { defineTool } from './agent-tool.js';
import { boundedList, limitField } from './common-fields.js';
import { summarizeAlert } from './summarize-objects.js';
import type { AgentToolDependencies } from './tool-dependencies.js';

const schema = z.object({
  status: z
    .enum(['Firing', 'Resolved'])
    .optional()
    .describe('Only alerts in this status. Leave out for both.'),
  type: z
    .string()
    .max(200)
    .optional()
    .describe('Only alerts of this exact type, e.g. NodeHasEmergencyEvent.'),
  node: z.string().max(253).optional().describe('Only alerts about this node.'),
  limit: limitField,
});

export function listAlertsTool({ reader, namespace }: AgentToolDependencies) {
  return defineTool({
    name: 'list_alerts',
    description:
      'List AegisAlerts (alerts received by Aegis, and ops requests), newest first, with their status, ops progress and approval state.',
    schema,
    kind: 'read',
    async run(input) {
      const alerts = (await reader.listAlerts(namespace)).filter(
        (alert) =>
          (input.status === undefined || (alert.status?.status ?? alert.spec.status) === input.status) &&
          (input.type === undefined || alert.spec.type === input.type) &&
          (input.node === undefined || alert.spec.involvedObject?.node === input.node),
      );
      const newest = [...alerts].sort((a, b) =>
        (b.status?.lastSeen ?? b.metadata.creationTimestamp ?? '').localeCompare(
          a.status?.lastSeen ?? a.metadata.creationTimestamp ?? '',
        ),
      );
      return boundedList(newest, input.limit, (alert) => summarizeAlert(alert, 'brief'));
    },
  });
}
